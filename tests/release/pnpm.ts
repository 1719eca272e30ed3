/**
 * Makes sure a `pnpm` command is on PATH for tools that shell out to it (changesets publishes with
 * `pnpm publish` in a pnpm workspace; publint packs with `pnpm pack`). Under `pnpm run` or
 * `npx pnpm@… run` it already is; otherwise a shim running the root's `packageManager` pnpm
 * through npx is put in a temporary folder.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

export function envWithPnpm(root: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  if (spawnSync("pnpm", ["--version"], { env, stdio: "ignore" }).status === 0) return env;
  const { packageManager } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { packageManager: string };
  const dir = mkdtempSync(join(tmpdir(), "presign-pnpm-"));
  writeFileSync(join(dir, "pnpm"), `#!/bin/sh\nexec npx -y ${packageManager.split("+")[0]} "$@"\n`);
  chmodSync(join(dir, "pnpm"), 0o755);
  return { ...env, PATH: `${dir}${delimiter}${env.PATH ?? ""}` };
}
