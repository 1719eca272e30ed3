// Starts and stops Prism mock servers (`prism mock <spec> --errors`) as child processes bound to
// 127.0.0.1, for the contract suite. No orphans: stop() kills each server's process group, an exit
// handler kills whatever is left when the test process exits, and if the test process dies
// without running either (SIGKILL), each Prism notices its stdin closing and exits by itself.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { toolBin } from "../../test-support/tools.ts";

export const TESTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const REPO_ROOT = resolve(TESTS_DIR, "..");
const EXIT_WITH_PARENT = join(TESTS_DIR, "contract", "exit-with-parent.cjs");
const LOG_DIR = join(TESTS_DIR, ".tmp", "contract");
const HOST = "127.0.0.1";

export interface PrismMock {
  readonly name: string;
  readonly spec: string;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string;
  /** Everything Prism printed so far (stdout and stderr). */
  log(): string;
  stop(): Promise<void>;
}

export interface PrismOptions {
  /** Pass `--errors` (default true). */
  errors?: boolean;
  /** Milliseconds to wait for "Prism is listening" (default 45 000). */
  startTimeout?: number;
}

const running = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  // Prism is spawned as the leader of its own process group: signal the whole group, so
  // nothing it may have started outlives it.
  try {
    process.kill(-child.pid!, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

// Last resort if afterAll never runs (worker torn down, uncaught error): kill synchronously on exit.
process.once("exit", () => {
  for (const child of running) killGroup(child, "SIGKILL");
});

/** A port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() => (address && typeof address === "object" ? resolvePort(address.port) : reject(new Error("no port"))));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host: HOST, port });
    socket.once("connect", () => {
      socket.destroy();
      done(true);
    });
    socket.once("error", () => done(false));
  });
}

function saveLog(name: string, text: string) {
  try {
    mkdirSync(LOG_DIR, { recursive: true });
    writeFileSync(join(LOG_DIR, `prism-${name}.log`), text);
  } catch {
    // the log file is a debugging aid only
  }
}

async function startOnce(name: string, spec: string, port: number, options: PrismOptions): Promise<PrismMock> {
  const args = ["mock", spec, "-h", HOST, "-p", String(port)];
  if (options.errors !== false) args.push("--errors");
  const child = spawn(await toolBin("prism", "prism"), args, {
    cwd: REPO_ROOT,
    // stdin stays an open pipe that exit-with-parent.cjs watches; its own process group lets stop() signal everything.
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
    env: { ...process.env, FORCE_COLOR: "0", NODE_OPTIONS: `--require ${JSON.stringify(EXIT_WITH_PARENT)}` },
  });
  running.add(child);
  let output = "";
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  child.once("exit", () => running.delete(child));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      killGroup(child, "SIGTERM");
      const timer = setTimeout(() => killGroup(child, "SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    }
    saveLog(name, output);
  };

  const listening = `Prism is listening on http://${HOST}:${port}`;
  const ready = new Promise<void>((resolveReady, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Prism (${name}) did not listen on ${HOST}:${port} within ${options.startTimeout ?? 45_000} ms:\n${output}`)),
      options.startTimeout ?? 45_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(listening)) {
        clearTimeout(timer);
        resolveReady();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`Prism (${name}) exited before listening (code ${code}, signal ${signal}):\n${output}`));
    });
  });

  try {
    await ready;
    // The log line comes after listen(); make sure the port really answers before handing it out.
    if (!(await canConnect(port))) throw new Error(`Prism (${name}) logged that it listens on ${port} but refuses connections:\n${output}`);
  } catch (error) {
    await stop();
    throw error;
  }
  return { name, spec, port, baseUrl: `http://${HOST}:${port}`, log: () => output, stop };
}

/**
 * Starts `prism mock <spec> -h 127.0.0.1 -p <free port> [--errors]` and resolves once it listens.
 * `spec` is relative to the repository root. Retries once with a new port if the first one was
 * taken between choosing it and Prism binding it.
 */
export async function startPrism(name: string, spec: string, options: PrismOptions = {}): Promise<PrismMock> {
  try {
    return await startOnce(name, spec, await freePort(), options);
  } catch (error) {
    if (!String(error).includes("EADDRINUSE")) throw error;
    return startOnce(name, spec, await freePort(), options);
  }
}

/** Starts several mocks in parallel; if one fails, stops the others and rethrows. */
export async function startAll<K extends string>(specs: Record<K, { spec: string } & PrismOptions>): Promise<Record<K, PrismMock>> {
  const entries = Object.entries(specs) as [K, { spec: string } & PrismOptions][];
  const results = await Promise.allSettled(entries.map(([name, { spec, ...options }]) => startPrism(name, spec, options)));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) {
    await Promise.all(results.map((r) => (r.status === "fulfilled" ? r.value.stop() : undefined)));
    throw failed.reason;
  }
  return Object.fromEntries(entries.map(([name], i) => [name, (results[i] as PromiseFulfilledResult<PrismMock>).value])) as Record<K, PrismMock>;
}

/** How many Prism processes this module started that are still alive. */
export function runningCount(): number {
  return running.size;
}
