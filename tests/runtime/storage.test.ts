/**
 * The storage leg in the runtime matrix: on Node, Bun, Deno and headless Chromium, the built packages (through
 * @presign/all) upload 11 MiB with Datadog's `uploadTestFile` (three parts through presigned part URLs) and
 * `download` a test file, whose first attempt breaks mid-body, into a web WritableStream. The storage is the
 * loopback S3 (test-support/storage-server.ts), the API a fake Datadog that drives it (test-support/loopback-api.ts).
 *
 * Node, Bun and Deno run tests/runtime/programs/storage.mjs; Chromium runs a bundle of storage-browser.mjs from a page
 * on a third loopback origin, so every API call and every storage request goes through CORS, as from a real page.
 * In Chromium a second run uploads to a bucket whose CORS rule hides the ETag: the typed error says how to fix the
 * rule, and the multipart upload is aborted. A runtime that cannot be set up fails its test; none is skipped.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { CHROMIUM_ARGS, ensureChromium } from "../../test-support/chromium.ts";
import {
  DATADOG_API_KEY,
  DATADOG_APP_KEY,
  type DatadogOperation,
  datadogStorageKey,
  type FakeDatadog,
  startFakeDatadog,
} from "../../test-support/loopback-api.ts";
import { type StorageServer, type StorageServerOptions, startStorageServer } from "../../test-support/storage-server.ts";
import { ensureTool } from "../../test-support/tools.ts";
import { describeRun, expectBuilt, makeRunFolder, run, stopAllChildren } from "./processes.ts";
import { patternBytes } from "./programs/storage-bytes.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const testsDir = resolve(here, "..");
const programs = join(here, "programs");
const cacheDir = join(testsDir, ".tmp", "runtimes");

const MiB = 1024 * 1024;
const PUBLIC_ID = "abc-def-123";
/** Three parts: 5 MiB, 5 MiB and 1 MiB. */
const UPLOAD = { size: 11 * MiB, partSize: 5 * MiB, seed: 0x5eed };
const UPLOAD_BYTES = patternBytes(UPLOAD.size, UPLOAD.seed);
/** The test file every run downloads: not a whole number of chunks, and cut once after 1 MiB. */
const DOWNLOAD_BUCKET_KEY = `api-upload-file/${PUBLIC_ID}/seeded.bin`;
const DOWNLOAD_BYTES = new Uint8Array(randomBytes(3 * MiB + 123));
const CUT_AFTER = MiB;
/**
 * A bucket rule a browser app needs: ETag for the parts, Content-Range for a resume's 206 (a browser hides every
 * response header but a few unless the rule exposes it).
 */
const BROWSER_READY_CORS: StorageServerOptions["cors"] = { exposeETag: true, exposeHeaders: ["Content-Range"] };

const sha256 = (bytes: Uint8Array | undefined) => bytes && createHash("sha256").update(bytes).digest("hex");
/** The ETag S3 gives a part: its MD5 in hex, quoted. */
const partEtag = (bytes: Uint8Array) => `"${createHash("md5").update(bytes).digest("hex")}"`;

// ---------------------------------------------------------------------------------------------
// What the programs report (tests/runtime/programs/storage-run.mjs)

interface ReportedError {
  name: string;
  kind?: string;
  code?: string;
  storageCode?: string;
  isStorageError: boolean;
  message: string;
  cause?: string;
}

interface ProgressLog {
  events: number;
  last?: { bytes: number; total?: number; rate: number };
}

interface StorageRun {
  runtime: string;
  program?: ReportedError;
  upload: { ok: true; bucketKey: string; sha256: string; progress: ProgressLog } | { ok: false; error: ReportedError; progress: ProgressLog };
  download?: {
    ok: boolean;
    error?: ReportedError;
    result?: { bytes: number; etag?: string; resumes: number; refreshes: number };
    received: { bytes: number; closed: boolean; sha256: string };
    url?: { method: string; expiresAtSource: string };
    progress: ProgressLog;
  };
}

// ---------------------------------------------------------------------------------------------
// One run's servers: a storage, a fake Datadog on it, the seeded test file

interface World {
  storage: StorageServer;
  datadog: FakeDatadog;
  seededEtag: string;
}

const worlds = new Set<World>();

async function startWorld(cors: StorageServerOptions["cors"]): Promise<World> {
  const storage = await startStorageServer({ cors });
  const datadog = await startFakeDatadog(storage, { cors: true });
  const { etag: seededEtag } = storage.putObject(datadogStorageKey(DOWNLOAD_BUCKET_KEY), DOWNLOAD_BYTES);
  storage.fault.resetMidBody({ key: datadogStorageKey(DOWNLOAD_BUCKET_KEY), afterBytes: CUT_AFTER });
  const world = { storage, datadog, seededEtag };
  worlds.add(world);
  return world;
}

async function closeWorld(world: World) {
  worlds.delete(world);
  await world.datadog.close();
  await world.storage.close();
}

const payloadOf = ({ datadog }: World, { withDownload = true } = {}) => ({
  apiBase: datadog.origin,
  apiKey: DATADOG_API_KEY,
  appKey: DATADOG_APP_KEY,
  publicId: PUBLIC_ID,
  upload: UPLOAD,
  ...(withDownload ? { download: { bucketKey: DOWNLOAD_BUCKET_KEY, size: DOWNLOAD_BYTES.byteLength } } : {}),
});

// ---------------------------------------------------------------------------------------------
// What a user must see, on every runtime

const operations = (world: World) => world.datadog.calls.map((call) => call.operation);
const callOf = (world: World, operation: DatadogOperation) => world.datadog.calls.find((call) => call.operation === operation);

/** No provider credential ever reached the storage, whatever the run did. */
function expectNoCredentialOnStorage({ storage }: World) {
  expect(storage.requests.length).toBeGreaterThan(0);
  for (const request of storage.requests) {
    for (const name of ["dd-api-key", "dd-application-key", "authorization", "cookie"]) expect(request.headers).not.toHaveProperty(name);
    const seen = JSON.stringify(request);
    expect(seen).not.toContain(DATADOG_API_KEY);
    expect(seen).not.toContain(DATADOG_APP_KEY);
  }
}

function expectUploaded(world: World, run: StorageRun) {
  expect(run.program, `${run.runtime}: the program failed`).toBeUndefined();
  const { upload } = run;
  if (!upload.ok) expect.fail(`${run.runtime}: the upload failed: ${JSON.stringify(upload.error)}`);
  expect(upload.sha256, "the program uploaded other bytes than the test expects").toBe(sha256(UPLOAD_BYTES));
  expect(upload.bucketKey).toBe(`api-upload-file/${PUBLIC_ID}/upload-1.bin`);
  const stored = world.storage.getObject(datadogStorageKey(upload.bucketKey));
  expect(stored?.byteLength).toBe(UPLOAD.size);
  expect(sha256(stored), `${run.runtime}: the stored object differs from the bytes uploaded`).toBe(sha256(UPLOAD_BYTES));
  expect(world.storage.openUploads()).toEqual([]);
  expect(upload.progress.last).toMatchObject({ bytes: UPLOAD.size, total: UPLOAD.size });

  // Completion named each part with the ETag the storage gave it.
  const slices = [0, 1, 2].map((index) => UPLOAD_BYTES.subarray(index * UPLOAD.partSize, (index + 1) * UPLOAD.partSize));
  expect(callOf(world, "complete")?.body.parts).toEqual(slices.map((slice, index) => ({ PartNumber: index + 1, ETag: partEtag(slice) })));
}

function expectDownloaded(world: World, run: StorageRun) {
  const { download } = run;
  if (!download?.ok) expect.fail(`${run.runtime}: the download failed: ${JSON.stringify(download?.error)}`);
  expect(download.url).toEqual({ method: "GET", expiresAtSource: "url" });
  expect(download.received).toEqual({ bytes: DOWNLOAD_BYTES.byteLength, closed: true, sha256: sha256(DOWNLOAD_BYTES) });
  // The first GET broke after 1 MiB; the resume asked for the rest of the same version. Where the rest starts is
  // what reached the program before the reset: a browser may drop some of what the socket had buffered.
  expect(download.result).toEqual({ bytes: DOWNLOAD_BYTES.byteLength, etag: world.seededEtag, resumes: 1, refreshes: 0 });
  const [first, resume, ...more] = world.storage.requests.filter((request) => request.method === "GET");
  expect(more).toEqual([]);
  expect(first).toMatchObject({ status: 200 });
  expect(first!.headers).not.toHaveProperty("range");
  expect(resume).toMatchObject({ status: 206, headers: { "if-match": world.seededEtag } });
  const resumedAt = Number(resume!.headers.range?.match(/^bytes=(\d+)-$/)?.[1]);
  expect(resumedAt, `resumed with ${resume!.headers.range}`).toBeGreaterThan(0);
  expect(resumedAt).toBeLessThanOrEqual(CUT_AFTER);
  expect(download.progress.last?.bytes).toBe(DOWNLOAD_BYTES.byteLength);
}

function expectRoundTrip(world: World, run: StorageRun) {
  expectUploaded(world, run);
  expectDownloaded(world, run);
  expect(operations(world)).toEqual(["presign", "complete", "download"]);
  expectNoCredentialOnStorage(world);
}

// ---------------------------------------------------------------------------------------------
// Child processes (tracked in ./processes.ts until they exit)

let runDir: string;
let runtimeEnv: NodeJS.ProcessEnv;

/** Runs storage.mjs on a server-side runtime and reads its `PRESIGN_STORAGE {…}` line. */
async function runServerSide(what: string, command: string, args: string[], world: World): Promise<StorageRun> {
  const finished = await run(command, [...args, "storage.mjs", JSON.stringify(payloadOf(world))], {
    cwd: programs,
    env: runtimeEnv,
    timeoutMs: 120_000,
  });
  const line = finished.stdout.split("\n").find((l) => l.startsWith("PRESIGN_STORAGE "));
  if (finished.code !== 0 || !line) throw new Error(describeRun(what, finished));
  return JSON.parse(line.slice("PRESIGN_STORAGE ".length)) as StorageRun;
}

async function serverSideRoundTrip(what: string, command: string, args: string[]): Promise<StorageRun> {
  const world = await startWorld(BROWSER_READY_CORS);
  try {
    const result = await runServerSide(what, command, args, world);
    expectRoundTrip(world, result);
    return result;
  } finally {
    await closeWorld(world);
  }
}

// ---------------------------------------------------------------------------------------------
// Chromium: a bundle as a browser bundler builds it, served from a loopback page

const servers = new Set<Server>();
let browser: BrowserContext | undefined;
let page: Page | undefined;

async function bundleForBrowser(): Promise<string> {
  const outfile = join(runDir, "storage-browser.bundle.js");
  const built = await esbuild.build({
    entryPoints: [join(programs, "storage-browser.mjs")],
    absWorkingDir: testsDir,
    bundle: true,
    format: "esm",
    platform: "browser",
    conditions: ["browser"],
    target: "es2022",
    outfile,
    metafile: true,
    logLevel: "silent",
  });
  const inputs = Object.keys(built.metafile.inputs);
  // What a browser gets: fetch for the API, and an MD5 in JavaScript (node:crypto's is Node's only).
  expect(
    inputs.some((input) => input.endsWith("packages/core/dist/send-fetch.js")),
    inputs.join(", "),
  ).toBe(true);
  expect(
    inputs.some((input) => input.endsWith("packages/datadog/dist/md5-noble.js")),
    inputs.join(", "),
  ).toBe(true);
  expect(
    inputs.some((input) => /send-node|md5-node/.test(input)),
    inputs.join(", "),
  ).toBe(false);
  const code = await readFile(outfile, "utf8");
  expect(code).not.toMatch(/from\s*["']node:/);
  return code;
}

async function listen(server: Server) {
  servers.add(server);
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return (server.address() as AddressInfo).port;
}

/** The page, on an origin of its own (neither the API's nor the storage's), with the bundle loaded. */
async function openPage(): Promise<Page> {
  if (page) return page;
  const executablePath = await ensureChromium("The storage matrix");
  const code = await bundleForBrowser();
  const port = await listen(
    createServer((req, res) => {
      if (req.url === "/") {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.end('<!doctype html><meta charset="utf-8"><title>presign storage matrix</title><script type="module" src="/bundle.js"></script>');
      } else if (req.url === "/bundle.js") {
        res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" });
        res.end(code);
      } else {
        res.writeHead(404).end();
      }
    }),
  );
  const profile = await mkdtemp(join(runDir, "chromium-profile-"));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    env: runtimeEnv,
    timeout: 60_000,
  });
  const tab = browser.pages()[0] ?? (await browser.newPage());
  await tab.goto(`http://127.0.0.1:${port}/`, { timeout: 30_000 });
  await tab.waitForFunction(() => typeof (globalThis as { presignStorage?: unknown }).presignStorage === "function", undefined, { timeout: 30_000 });
  page = tab;
  return tab;
}

async function runInChromium(world: World, options: { withDownload?: boolean } = {}): Promise<StorageRun> {
  const tab = await openPage();
  return (await tab.evaluate(
    (payload) => (globalThis as unknown as { presignStorage: (p: unknown) => Promise<unknown> }).presignStorage(payload),
    payloadOf(world, options),
  )) as StorageRun;
}

// ---------------------------------------------------------------------------------------------

describe("runtime matrix: upload and download on each runtime", () => {
  beforeAll(async () => {
    expectBuilt(join(testsDir, ".."), ["core", "all", "datadog"]);
    ({ runDir, runtimeEnv } = await makeRunFolder(cacheDir, "storage-"));
  });

  afterEach(async () => {
    await Promise.all([...worlds].map(closeWorld));
  });

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await stopAllChildren();
    await Promise.all([...servers].map((server) => new Promise<void>((done) => server.close(() => done()))));
    if (runDir) await rm(runDir, { recursive: true, force: true });
  });

  test("Node (the machine's)", { timeout: 120_000 }, async () => {
    const result = await serverSideRoundTrip("node", process.execPath, []);
    expect(result.runtime).toBe(`node ${process.version}`);
  });

  test("Bun", { timeout: 120_000 }, async () => {
    // The npm package's postinstall puts the native binary at bin/bun.exe on every platform.
    const result = await serverSideRoundTrip("bun", join((await ensureTool("bun")).packageDir("bun"), "bin", "bun.exe"), ["run"]);
    expect(result.runtime).toMatch(/^bun /);
  });

  test("Deno", { timeout: 180_000 }, async () => {
    const deno = join((await ensureTool("deno")).packageDir("deno"), process.platform === "win32" ? "deno.exe" : "deno");
    // Deno resolves the workspace packages from tests/node_modules.
    const args = ["run", "--allow-net", "--allow-read", "--allow-env", "--node-modules-dir=manual", "--no-lock"];
    const result = await serverSideRoundTrip("deno", deno, args);
    expect(result.runtime).toMatch(/^deno /);
  });

  test("Chromium (headless, playwright-core): through CORS", { timeout: 300_000 }, async () => {
    const world = await startWorld(BROWSER_READY_CORS);
    const result = await runInChromium(world);
    expect(result.runtime).toMatch(/Chrome\//);
    expectRoundTrip(world, result);
    // The part PUTs and the GETs were cross-origin: a preflight went first wherever a header made one necessary.
    expect(world.storage.requests.some((request) => request.method === "OPTIONS")).toBe(true);
    expect(world.datadog.calls.every((call) => call.headers.origin !== undefined)).toBe(true);
  });

  test("Chromium: a bucket whose CORS rule hides the ETag fails with etag_not_exposed, and leaves no upload open", { timeout: 300_000 }, async () => {
    const world = await startWorld({ exposeETag: false });
    const { upload, runtime } = await runInChromium(world, { withDownload: false });
    if (upload.ok) expect.fail(`${runtime}: the upload succeeded though the browser could not read any ETag`);
    expect(upload.error).toMatchObject({ isStorageError: true, name: "StorageError", kind: "storage", code: "etag_not_exposed" });
    expect(upload.error.message).toContain("ExposeHeaders: ETag");
    // The upload Datadog opened was aborted before the error reached the caller: no orphan on the storage.
    expect(operations(world)).toEqual(["presign", "abort"]);
    expect(callOf(world, "abort")?.body).toEqual(world.datadog.opened[0]);
    expect(world.datadog.opened).toHaveLength(1);
    expect(world.storage.openUploads()).toEqual([]);
    expectNoCredentialOnStorage(world);
  });
});
