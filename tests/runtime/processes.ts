/**
 * What the runtime matrices (runtimes.test.ts, storage.test.ts) share: child processes that are tracked until they
 * exit, so that afterAll can stop what is left, and a run folder whose $HOME keeps every runtime's caches.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp } from "node:fs/promises";
import { join } from "node:path";

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

const children = new Set<ChildProcess>();

/** Keeps the child in the set stopAllChildren stops, until it exits. */
export function track(child: ChildProcess) {
  children.add(child);
  child.on("close", () => children.delete(child));
}

/** Runs a command to its end (or kills it after `timeoutMs`) and gives back what it printed. */
export function run(command: string, args: string[], { cwd, env = process.env, timeoutMs = 60_000 }: RunOptions = {}) {
  return new Promise<Finished>((done, fail) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    track(child);
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (chunk) => (stdout += chunk));
    child.stderr!.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      stderr += `\n[runtime matrix] killed after ${timeoutMs} ms`;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      children.delete(child);
      fail(new Error(`could not start ${command}: ${error.message}`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr });
    });
  });
}

/** How a run ended, with the tail of its output: the message of a test that fails on it. */
export function describeRun(what: string, finished: Finished) {
  return `${what} exited with ${finished.signal ?? finished.code}\n--- stdout\n${finished.stdout.slice(-4000)}\n--- stderr\n${finished.stderr.slice(-4000)}`;
}

/** SIGTERM, then SIGKILL if the child is still there 3 s later. */
export function stopChild(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((done) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
    child.once("close", () => {
      clearTimeout(timer);
      done();
    });
    child.kill("SIGTERM");
  });
}

export function stopAllChildren() {
  return Promise.all([...children].map(stopChild));
}

/** The runtimes run the built packages: without a dist, say how to build rather than fail on an import. */
export function expectBuilt(repoDir: string, packageNames: string[]) {
  for (const name of packageNames) {
    const dist = join(repoDir, "packages", name, "dist", "index.js");
    if (!existsSync(dist)) throw new Error(`${dist} is missing: build the packages first (pnpm build at the repo root)`);
  }
}

export interface RunFolder {
  runDir: string;
  /** process.env with $HOME and every runtime's cache inside runDir. */
  runtimeEnv: NodeJS.ProcessEnv;
}

/** A fresh folder `<prefix>…` under cacheDir for one run; runtimes write caches into $HOME, so it points there. */
export async function makeRunFolder(cacheDir: string, prefix: string): Promise<RunFolder> {
  await mkdir(cacheDir, { recursive: true });
  const runDir = await mkdtemp(join(cacheDir, prefix));
  const home = join(runDir, "home");
  await mkdir(home, { recursive: true });
  const runtimeEnv = {
    ...process.env,
    HOME: home,
    XDG_CACHE_HOME: join(home, ".cache"),
    XDG_CONFIG_HOME: join(home, ".config"),
    XDG_DATA_HOME: join(home, ".local", "share"),
    DENO_DIR: join(home, "deno"),
    DENO_NO_UPDATE_CHECK: "1",
    BUN_INSTALL_CACHE_DIR: join(home, "bun-cache"),
    BUN_RUNTIME_TRANSPILER_CACHE_PATH: "0",
    DO_NOT_TRACK: "1",
    NO_COLOR: "1",
    NODE_OPTIONS: "",
  };
  return { runDir, runtimeEnv };
}
