/**
 * The heavy tools a few suites need — other runtimes, a registry, Prism, Datadog's official client — are not
 * workspace dependencies, so `pnpm install` stays light for everybody. Each one is pinned, with its lockfile, in
 * tools/<name>/, and installed there with `npm ci` the first time a suite asks for it.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export type ToolName = "prism" | "verdaccio" | "bun" | "deno" | "workerd" | "node-22" | "node-24" | "datadog-api-client";

const TOOLS_DIR = join(import.meta.dirname, "..", "tools");
/** `npm ci` of the largest tool (a runtime binary) on a slow link. */
const INSTALL_TIMEOUT_MS = 300_000;
const LOCK_POLL_MS = 500;

/** What a suite gets back: where the tool is, and a `require` that resolves from its install. */
export interface Tool {
  dir: string;
  require: NodeJS.Require;
  /** The directory of one of its packages (`bun`, `@stoplight/prism-cli`, …). */
  packageDir(name: string): string;
}

/** Installs the tool when it is missing or its lockfile changed, then returns it. Safe across processes. */
export async function ensureTool(name: ToolName): Promise<Tool> {
  const dir = join(TOOLS_DIR, name);
  if (!isInstalled(dir)) await withInstallLock(dir, async () => isInstalled(dir) || (await install(name, dir)));
  const require = createRequire(join(dir, "package.json"));
  return { dir, require, packageDir: (pkg) => dirname(require.resolve(`${pkg}/package.json`)) };
}

/** The path of a bin that a tool's packages install (`prism`, `verdaccio`). */
export async function toolBin(name: ToolName, bin: string): Promise<string> {
  return join((await ensureTool(name)).dir, "node_modules", ".bin", bin);
}

/** npm writes node_modules/.package-lock.json after a complete install; it must postdate the lockfile. */
function isInstalled(dir: string): boolean {
  const done = join(dir, "node_modules", ".package-lock.json");
  return existsSync(done) && statSync(done).mtimeMs >= statSync(join(dir, "package-lock.json")).mtimeMs;
}

async function install(name: ToolName, dir: string): Promise<true> {
  // Quiet, and nothing but the registry: no audit, no funding notice, no update box in CI logs.
  const args = ["ci", "--no-audit", "--no-fund", "--no-update-notifier", "--loglevel=error"];
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const result = await runQuietly(npm, args, { cwd: dir, timeoutMs: INSTALL_TIMEOUT_MS });
  if (result.code !== 0)
    throw new Error(`Installing the ${name} tool failed (npm ${args.join(" ")} in tools/${name}, exit ${result.code}):\n${result.output}`);
  return true;
}

/** Runs a command with its output captured (the last 20 000 characters), killed after `timeoutMs`. */
export function runQuietly(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const env = { ...(options.env ?? process.env), NO_COLOR: "1" };
    const child = spawn(command, args, { cwd: options.cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ code: null, output: String(error) });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/**
 * One installer at a time per tool: vitest runs files in parallel workers and turbo runs suites side by side.
 * The lock is a directory holding the owner's pid; a lock whose owner has died is taken over.
 */
async function withInstallLock<T>(dir: string, work: () => Promise<T>): Promise<T> {
  const lock = join(dir, ".installing");
  const deadline = Date.now() + INSTALL_TIMEOUT_MS * 2;
  while (!tryLock(lock)) {
    if (Date.now() > deadline) throw new Error(`Gave up waiting for another process installing ${dir} (remove ${lock} if it is stale)`);
    await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function tryLock(lock: string): boolean {
  try {
    mkdirSync(lock);
    writeFileSync(join(lock, "pid"), String(process.pid));
    return true;
  } catch {
    if (ownerIsGone(lock)) rmSync(lock, { recursive: true, force: true });
    return false;
  }
}

function ownerIsGone(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(lock, "pid"), "utf8"));
  } catch {
    return false; // just created: the owner is about to write its pid
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}
