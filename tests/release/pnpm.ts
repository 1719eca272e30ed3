/**
 * Makes sure `pnpm` is on PATH for tools that shell out to it (changesets publishes with
 * `pnpm publish` in a pnpm workspace; publint packs with `pnpm pack`). Under `pnpm run` through
 * `npx pnpm@…` it already is; otherwise npx fetches the root's `packageManager` version once and
 * its bin folder is put in front of PATH.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";

export function envWithPnpm(root: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  if (spawnSync("pnpm", ["--version"], { env, stdio: "ignore" }).status === 0) return env;
  const { packageManager } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { packageManager: string };
  const bin = execFileSync("npx", ["-y", "-p", packageManager.split("+")[0]!, "-c", "command -v pnpm"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  }).trim();
  return { ...env, PATH: `${dirname(bin)}${delimiter}${env.PATH ?? ""}` };
}
