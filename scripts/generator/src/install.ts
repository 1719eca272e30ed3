/**
 * After a package is scaffolded, the workspace needs `pnpm install` so its links exist
 * (node_modules/@presign/core in the new package, the new package in @presign/all). Offline first:
 * a new package adds no dependency the store lacks. The lockfile must take the new package in, so
 * it is never frozen here (pnpm freezes it by default when CI is set).
 */
import { spawnSync } from "node:child_process";

/** pnpm as it runs this script (`pnpm generate` sets npm_execpath), else the one on PATH. */
function pnpm(args: string[], cwd: string): boolean {
  const execPath = process.env.npm_execpath;
  const [command, commandArgs] = execPath && /pnpm/.test(execPath) ? [process.execPath, [execPath, ...args]] : ["pnpm", args];
  return spawnSync(command, commandArgs, { cwd, stdio: "inherit" }).status === 0;
}

/** Runs `pnpm install --offline`, then `--prefer-offline` if that fails; true when one succeeded. */
export function installWorkspace(root: string, log: (line: string) => void): boolean {
  log("linking the new package into the workspace: pnpm install --offline --no-frozen-lockfile");
  if (pnpm(["install", "--offline", "--no-frozen-lockfile"], root)) return true;
  log("pnpm install --offline failed; retrying with --prefer-offline");
  return pnpm(["install", "--prefer-offline", "--no-frozen-lockfile"], root);
}
