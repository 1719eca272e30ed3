/**
 * `pnpm lint:packages`: publint (strict) and `attw --pack` on every publishable package in
 * packages/. Run after `pnpm build`: both look at what `pack` puts in the tarball.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { envWithPnpm } from "./pnpm.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const bin = (name: string) => join(root, "tests", "node_modules", ".bin", name);
const env = envWithPnpm(root);

const failed: string[] = [];
for (const dir of readdirSync(join(root, "packages")).sort()) {
  const cwd = join(root, "packages", dir);
  let manifest: { name: string; private?: boolean };
  try {
    manifest = JSON.parse(readFileSync(join(cwd, "package.json"), "utf8"));
  } catch {
    continue;
  }
  if (manifest.private) continue;
  for (const [tool, args] of [
    ["publint", ["--strict"]],
    ["attw", ["--pack", "."]],
  ] as const) {
    console.log(`\n── ${tool} ${manifest.name}`);
    const result = spawnSync(bin(tool), args, { cwd, env, stdio: "inherit" });
    if (result.status !== 0) failed.push(`${tool} ${manifest.name}`);
  }
}
if (failed.length) {
  console.error(`\nFailed:\n  ${failed.join("\n  ")}`);
  process.exit(1);
}
console.log("\npublint and attw pass on every package");
