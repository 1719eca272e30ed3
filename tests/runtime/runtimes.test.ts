/**
 * The runtime matrix: the built packages (through @presign/all) make one presign call per provider
 * in specs/ against the loopback mock on Node (the machine's, 22 and 24), Bun, Deno, workerd and
 * headless Chromium. A runtime that cannot be set up fails its test; none is skipped.
 *
 * Node, Bun and Deno run tests/runtime/programs/server-side.mjs directly, so they resolve the
 * packages' `exports` and core's `#send` themselves. workerd and Chromium run a bundle that esbuild
 * builds with the conditions a Workers / browser bundler uses. Each program counts its requests per
 * transport (calls to `globalThis.fetch`, and to node:http's `request` where there is one).
 *
 * Everything the run writes (Node 22/24 binaries, bundles, runtime caches) stays under tests/.tmp/.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { type BrowserContext, chromium } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { startMockProviders } from "../../scripts/mock-providers.ts";
import { CHROMIUM_ARGS, ensureChromium } from "../../test-support/chromium.ts";
import { ensureTool } from "../../test-support/tools.ts";
import { presignOperation, providers } from "../providers.ts";
import { describeRun, expectBuilt, makeRunFolder, run, stopAllChildren, stopChild, track } from "./processes.ts";

const here = dirname(fileURLToPath(import.meta.url));
const testsDir = resolve(here, "..");
const programs = join(here, "programs");
const cacheDir = join(testsDir, ".tmp", "runtimes");

/**
 * One call per provider: its presign operation with the spec's example input and fake credentials,
 * and where the presigned URL sits in the result. The programs get this list, so they name no provider.
 */
const calls = providers.map((provider) => {
  const op = presignOperation(provider);
  if (!op) throw new Error(`${provider.specFile}: no operation's example success response holds a presigned URL (an http(s) string); add one`);
  return {
    provider: provider.name,
    method: op.methodName,
    input: op.input,
    options: provider.credentialsOf(op.security[0] ?? []),
    urlAt: op.presignedUrlAt!,
  };
});

interface ProgramResult {
  runtime: string;
  urls: Record<string, string>;
  errors: Record<string, string>;
  transport: { fetch: number; nodeHttp?: number | null };
}

let mock: Awaited<ReturnType<typeof startMockProviders>>;
let runDir: string;
let runtimeEnv: NodeJS.ProcessEnv;
let keepRunDir = false;
const servers = new Set<Server>();
let browser: BrowserContext | undefined;
const summary: { runtime: string; version: string; ms: number; transport: string; ok: boolean }[] = [];

// ---------------------------------------------------------------------------------------------
// Programs and their results.

const payload = () => ({ baseUrl: mock.url, calls });

/** Runs server-side.mjs and reads its `PRESIGN_RESULT {…}` line. */
async function runServerSide(what: string, command: string, args: string[]): Promise<ProgramResult> {
  const finished = await run(command, [...args, JSON.stringify(payload())], { cwd: programs, env: runtimeEnv });
  const line = finished.stdout.split("\n").find((l) => l.startsWith("PRESIGN_RESULT "));
  if (finished.code !== 0 || !line) throw new Error(describeRun(what, finished));
  return JSON.parse(line.slice("PRESIGN_RESULT ".length)) as ProgramResult;
}

/** Every call returned the URL the mock signed for that provider (see scripts/mock-providers.ts). */
function expectPresigned(result: ProgramResult) {
  expect(result.errors, `${result.runtime}: calls that failed`).toEqual({});
  expect(Object.keys(result.urls).sort()).toEqual(calls.map((c) => c.provider).sort());
  for (const { provider } of calls) {
    const url = result.urls[provider];
    expect(url, `${result.runtime}: ${provider}`).toBeTypeOf("string");
    expect(url!.startsWith(`${mock.url}/storage/${provider}/`), `${result.runtime}: ${provider} returned ${url}`).toBe(true);
    expect(url, `${result.runtime}: ${provider}`).toContain("X-Amz-Signature=");
  }
}

const CALLS = calls.length;

function expectTransport(result: ProgramResult, transport: "node:http" | "fetch") {
  const { fetch, nodeHttp } = result.transport;
  if (transport === "node:http") expect({ fetch, nodeHttp }, `${result.runtime}: requests per transport`).toEqual({ fetch: 0, nodeHttp: CALLS });
  else expect(fetch, `${result.runtime}: requests through globalThis.fetch`).toBe(CALLS);
  if (transport === "fetch" && nodeHttp !== undefined) expect(nodeHttp).toBe(0);
}

async function timed<T>(runtime: string, work: () => Promise<T>) {
  const started = performance.now();
  const row = { runtime, version: "", ms: 0, transport: "", ok: false };
  summary.push(row);
  try {
    return await work();
  } finally {
    row.ms = Math.round(performance.now() - started);
  }
}

/** Checks a result and records it in the summary printed at the end. */
function check(runtime: string, result: ProgramResult, transport: "node:http" | "fetch") {
  const row = summary.find((r) => r.runtime === runtime)!;
  row.version = result.runtime;
  row.transport = `fetch ${result.transport.fetch}, node:http ${result.transport.nodeHttp ?? "-"}`;
  expectPresigned(result);
  expectTransport(result, transport);
  row.ok = true;
}

// ---------------------------------------------------------------------------------------------
// Bundles for workerd and Chromium, built as a Workers / browser bundler would.

async function bundle(entry: string, conditions: string[]) {
  const outfile = join(runDir, `${entry.replace(/\.mjs$/, "")}.bundle.js`);
  const built = await esbuild.build({
    entryPoints: [join(programs, entry)],
    absWorkingDir: testsDir,
    bundle: true,
    format: "esm",
    platform: "browser",
    conditions,
    target: "es2022",
    outfile,
    metafile: true,
    logLevel: "silent",
  });
  const inputs = Object.keys(built.metafile.inputs);
  const code = await readFile(outfile, "utf8");
  // The fetch transport, not node:http, is what #send gives these runtimes.
  expect(code, `${entry}: the bundle must not import node:http`).not.toMatch(/node:https?\b/);
  expect(
    inputs.some((input) => input.endsWith("packages/core/dist/send-fetch.js")),
    `${entry}: bundled ${inputs.join(", ")}`,
  ).toBe(true);
  expect(
    inputs.some((input) => input.includes("send-node")),
    `${entry}: bundled ${inputs.join(", ")}`,
  ).toBe(false);
  return { outfile, code };
}

async function listen(server: Server) {
  servers.add(server);
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return (server.address() as AddressInfo).port;
}

// ---------------------------------------------------------------------------------------------

describe("runtime matrix: one presign call per provider on each runtime", () => {
  beforeAll(async () => {
    expectBuilt(join(testsDir, ".."), ["core", "all", ...providers.map((p) => p.name)]);
    ({ runDir, runtimeEnv } = await makeRunFolder(cacheDir, "run-"));
    mock = await startMockProviders();
  });

  beforeEach(({ onTestFailed }) => {
    onTestFailed(() => {
      keepRunDir = true;
    });
  });

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await stopAllChildren();
    await Promise.all([...servers].map((server) => new Promise<void>((done) => server.close(() => done()))));
    await mock?.close();
    if (runDir && !keepRunDir) await rm(runDir, { recursive: true, force: true });
    if (summary.length) {
      const lines = summary.map(
        (r) => `${r.ok ? "ok  " : "FAIL"} ${r.runtime.padEnd(16)} ${String(r.ms).padStart(6)} ms  ${r.transport.padEnd(22)} ${r.version}`,
      );
      console.log(`runtime matrix${keepRunDir ? ` (files kept in ${runDir})` : ""}\n${lines.join("\n")}`);
    }
  });

  test("Node (the machine's)", { timeout: 60_000 }, async () => {
    const result = await timed("node", () => runServerSide("node", process.execPath, ["server-side.mjs"]));
    check("node", result, "node:http");
  });

  for (const major of [22, 24] as const) {
    test(`Node ${major} (npm node@${major})`, { timeout: 240_000 }, async () => {
      const result = await timed(`node ${major}`, async () => {
        // Pinned in tools/node-<major>; the package's install script fetches the platform's binary.
        const binary = join((await ensureTool(`node-${major}`)).packageDir("node"), "bin", "node");
        return runServerSide(`node ${major}`, binary, ["server-side.mjs"]);
      });
      expect(result.runtime).toMatch(new RegExp(`^node v${major}\\.`));
      check(`node ${major}`, result, "node:http");
    });
  }

  // Bun and Deno match the `node` condition of core's `#send` import, so they send with node:http
  // (their compat layer). Pinned here so that a change to that choice is a deliberate one.
  test("Bun", { timeout: 60_000 }, async () => {
    // The npm package's postinstall puts the native binary at bin/bun.exe on every platform.
    const bun = join((await ensureTool("bun")).packageDir("bun"), "bin", "bun.exe");
    const result = await timed("bun", () => runServerSide("bun", bun, ["run", "server-side.mjs"]));
    expect(result.runtime).toMatch(/^bun /);
    check("bun", result, "node:http");
  });

  test("Deno", { timeout: 120_000 }, async () => {
    const deno = join((await ensureTool("deno")).packageDir("deno"), process.platform === "win32" ? "deno.exe" : "deno");
    // tests/package.json and tests/node_modules: Deno resolves the workspace packages from node_modules.
    const args = ["run", "--allow-net", "--allow-read", "--allow-env", "--node-modules-dir=manual", "--no-lock", "server-side.mjs"];
    const result = await timed("deno", () => runServerSide("deno", deno, args));
    expect(result.runtime).toMatch(/^deno /);
    check("deno", result, "node:http");
  });

  test("workerd", { timeout: 60_000 }, async () => {
    const result = await timed("workerd", async () => {
      const { outfile } = await bundle("worker.mjs", ["workerd", "worker", "browser"]);
      const workerdTool = await ensureTool("workerd");
      const { compatibilityDate } = workerdTool.require("workerd") as { compatibilityDate: string };
      // Embedded paths are relative to the config (an absolute one would be looked up on the import path).
      const config = join(runDir, "workerd.capnp");
      await writeFile(
        config,
        `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    # The mock listens on 127.0.0.1: the default "internet" service allows public addresses only.
    (name = "loopback", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed ${JSON.stringify(basename(outfile))})],
  compatibilityDate = ${JSON.stringify(compatibilityDate)},
  globalOutbound = "loopback",
);
`,
      );
      const workerd = join(workerdTool.packageDir("workerd"), "bin", "workerd");
      // --control-fd reports the port workerd bound for 127.0.0.1:0 once it is ready.
      const child = spawn(workerd, ["serve", config, "--control-fd=3"], { cwd: runDir, env: runtimeEnv, stdio: ["ignore", "pipe", "pipe", "pipe"] });
      track(child);
      let output = "";
      child.stdout!.on("data", (chunk) => (output += chunk));
      child.stderr!.on("data", (chunk) => (output += chunk));
      try {
        const port = await new Promise<number>((done, fail) => {
          let control = "";
          const timer = setTimeout(() => fail(new Error(`workerd did not report a listening socket within 30 s\n${output}`)), 30_000);
          child.stdio[3]!.on("data", (chunk) => {
            control += chunk;
            for (const line of control.split("\n").slice(0, -1)) {
              let event: { event?: string; socket?: string; port?: number } = {};
              try {
                event = JSON.parse(line);
              } catch {
                // Not a control message we know.
              }
              if (event.event === "listen" && event.socket === "http" && event.port) {
                clearTimeout(timer);
                done(event.port);
              }
            }
          });
          child.on("error", (error) => fail(error));
          child.on("close", (code, signal) => {
            clearTimeout(timer);
            fail(new Error(`workerd exited with ${signal ?? code} before listening\n${output}`));
          });
        });
        const response = await fetch(`http://127.0.0.1:${port}/`, {
          method: "POST",
          body: JSON.stringify(payload()),
          signal: AbortSignal.timeout(30_000),
        });
        const text = await response.text();
        if (response.status !== 200) throw new Error(`workerd answered ${response.status}: ${text}\n${output}`);
        return JSON.parse(text) as ProgramResult;
      } finally {
        await stopChild(child);
      }
    });
    expect(result.runtime).toMatch(/^workerd /);
    check("workerd", result, "fetch");
  });

  test("Chromium (headless, playwright-core)", { timeout: 420_000 }, async () => {
    const result = await timed("chromium", async () => {
      const executablePath = await ensureChromium("The runtime matrix");
      const { code } = await bundle("browser.mjs", ["browser"]);
      // The page comes from another loopback origin than the mock's, so the calls go through CORS.
      const page = createServer((req, res) => {
        if (req.url === "/") {
          res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
          res.end('<!doctype html><meta charset="utf-8"><title>presign runtime matrix</title><script type="module" src="/bundle.js"></script>');
        } else if (req.url === "/bundle.js") {
          res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" });
          res.end(code);
        } else {
          res.writeHead(404).end();
        }
      });
      const port = await listen(page);
      const profile = await mkdtemp(join(runDir, "chromium-profile-"));
      browser = await chromium.launchPersistentContext(profile, {
        executablePath,
        headless: true,
        args: CHROMIUM_ARGS,
        env: runtimeEnv,
        timeout: 60_000,
      });
      const tab = browser.pages()[0] ?? (await browser.newPage());
      const problems: string[] = [];
      tab.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
      tab.on("console", (message) => message.type() === "error" && problems.push(`console: ${message.text()}`));
      await tab.goto(`http://127.0.0.1:${port}/`, { timeout: 30_000 });
      await tab.waitForFunction(() => typeof (globalThis as { presignMatrix?: unknown }).presignMatrix === "function", undefined, {
        timeout: 30_000,
      });
      const outcome = (await tab.evaluate(
        ({ baseUrl, calls }) =>
          (globalThis as unknown as { presignMatrix: (b: string, c: unknown) => Promise<unknown> }).presignMatrix(baseUrl, calls),
        payload(),
      )) as ProgramResult;
      if (Object.keys(outcome.errors).length && problems.length) outcome.errors.page = problems.join("\n");
      return outcome;
    });
    expect(result.runtime).toMatch(/Chrome\//);
    check("chromium", result, "fetch");
  });
});
