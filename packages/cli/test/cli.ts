/** The built `presign` (dist/main.js) as a user runs it: a child process with no stdin and no TTY, and a clean environment. */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

const MAIN = join(import.meta.dirname, "..", "dist", "main.js");

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Started {
  child: ChildProcess;
  /** Resolves when the process has exited. */
  done: Promise<Run>;
  /** Resolves once stderr has shown text matching `pattern`. */
  stderrShows(pattern: RegExp): Promise<void>;
}

/** Starts `presign …`. Only PATH is inherited: no credential of the machine running the tests leaks in. */
export function start(args: readonly string[], env: Record<string, string> = {}): Started {
  const child = spawn(process.execPath, [MAIN, ...args], { env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  const watchers: { pattern: RegExp; resolve: () => void }[] = [];
  child.stdout!.on("data", (chunk: Buffer) => {
    stdout += chunk;
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk;
    for (const watcher of watchers.filter((w) => w.pattern.test(stderr))) watcher.resolve();
  });
  const done = new Promise<Run>((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
  const stderrShows = (pattern: RegExp) => new Promise<void>((resolve) => (pattern.test(stderr) ? resolve() : watchers.push({ pattern, resolve })));
  return { child, done, stderrShows };
}

/** Runs `presign …` to its end. */
export const presign = (args: readonly string[], env?: Record<string, string>): Promise<Run> => start(args, env).done;

/** The one JSON document of a --json run's stdout (the test fails if there is anything else). */
export function jsonOf(run: Run): unknown {
  return JSON.parse(run.stdout);
}
