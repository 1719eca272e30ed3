/**
 * exportTask against a scripted Spaaza Tasks API: the polling, its backoff, the timeout and the abort on a
 * fake clock (a fake fetch, so no real waiting), then the whole flow over a loopback Spaaza API whose
 * download URLs point at the loopback storage server.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type StorageServer, startStorageServer } from "../../../test-support/storage-server.js";
import {
  AbortedError,
  createSpaazaClient,
  type ExportTaskOptions,
  type ExportTaskResult,
  exportTask,
  InvalidRequestError,
  MalformedResponseError,
  type SpaazaClient,
  type SpaazaClientOptions,
  TaskFailedError,
  TimeoutError,
  type TransferProgress,
} from "../src/index.js";

// ---------------------------------------------------------------------------------------------
// A scripted Spaaza Tasks API, served by a fake fetch (fake clock) or by node:http (loopback)
// ---------------------------------------------------------------------------------------------

const TOKEN = "3f2c7a9e-1b4d-4c8e-9f6a-2d5b8c0e1a37:tok_secret_Vq8sZ1xY4w";
const SESSION = { sessionUserId: "u-88231", sessionKey: "sess_k_0d9c7b5a3e1f", sessionChainId: "chain-1744" } as const;
const TASK_ID = 4242;
const CHAIN = 1743;
const OPAQUE_URL = "https://exports.example.com/Users_Export-4242.csv?token=opaque-download-token";
const NOW = new Date("2026-05-26T12:00:00.000Z");

interface ApiRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
  /** The clock when it arrived (the fake one, on the fake clock). */
  at: number;
}

interface ApiScript {
  /** The state each poll reports, in order; the last one repeats. */
  states: string[];
  /** What `execute` answers (default INPROGRESS). */
  executeState?: string;
  logs?: unknown[];
  /** The download URL of each download_url call; the last one repeats. */
  urls?: (() => string)[];
  /** A task without an id, as a confused server might send. */
  createdTask?: Record<string, unknown>;
}

/** What a request is answered with; `hang` never answers. */
type Answer = { status: number; body: unknown } | "hang";

/** The Tasks API of one chain with one export task, as Spaaza documents it. */
function scriptedApi(script: ApiScript) {
  const requests: ApiRequest[] = [];
  let polls = 0;
  let urlCalls = 0;
  const task = (state: string, created: Record<string, unknown>) => ({
    id: TASK_ID,
    chain: created.chain,
    desc: created.desc,
    state: { code: state, last_modified: new Date().toISOString(), created_date: NOW.toISOString() },
    trigger: created.trigger,
    target: created.target,
    logs: state === "ERROR" ? (script.logs ?? []) : [],
    debug: "",
    version: 1,
  });

  function answer(request: ApiRequest): Answer {
    requests.push(request);
    const created = (requests.find((r) => r.method === "POST" && r.path === "/tasks")?.body ?? {}) as Record<string, unknown>;
    const route = `${request.method} ${request.path}`;
    if (route === "POST /tasks") return { status: 200, body: script.createdTask ?? task("READY", created) };
    if (route === `POST /tasks/${TASK_ID}/execute`) return { status: 200, body: { code: script.executeState ?? "INPROGRESS" } };
    if (route === `GET /tasks/${TASK_ID}`) {
      const state = script.states[Math.min(polls++, script.states.length - 1)]!;
      return state === "hang" ? "hang" : { status: 200, body: task(state, created) };
    }
    if (route === `GET /tasks/${TASK_ID}/download_url`) {
      const urls = script.urls ?? [() => OPAQUE_URL];
      return { status: 200, body: { url: urls[Math.min(urlCalls++, urls.length - 1)]!() } };
    }
    return { status: 404, body: "task not found" };
  }

  /** The requests, as `METHOD /path`. */
  const routes = () => requests.map(({ method, path }) => `${method} ${path}`);
  return { requests, answer, routes };
}

type ScriptedApi = ReturnType<typeof scriptedApi>;

/** A fetch that answers from the script; a hanging answer rejects only when the call is aborted. */
function fetchOf(api: ScriptedApi): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const text = await request.text();
    const answer = api.answer({
      method: request.method,
      path: new URL(request.url).pathname,
      headers: Object.fromEntries(request.headers),
      body: text ? JSON.parse(text) : undefined,
      at: Date.now(),
    });
    if (answer === "hang") return new Promise<never>((_, reject) => request.signal.addEventListener("abort", () => reject(request.signal.reason)));
    return Response.json(answer.body, { status: answer.status });
  };
}

const clientOf = (api: ScriptedApi, options: SpaazaClientOptions = {}): SpaazaClient =>
  createSpaazaClient({ host: "services.example.test", accessToken: TOKEN, fetch: fetchOf(api), ...options });

const EXPORT: ExportTaskOptions = { chain: CHAIN, index: "users", format: "csv" };

/** An export running on the fake clock; its outcome is caught at once, so a rejection is never unhandled. */
function startExport(client: SpaazaClient, options: ExportTaskOptions) {
  const run = { settled: false, value: undefined as ExportTaskResult | undefined, error: undefined as unknown };
  const done = exportTask(client, options).then(
    (value) => Object.assign(run, { settled: true, value }),
    (error: unknown) => Object.assign(run, { settled: true, error }),
  );
  return Object.assign(run, { done });
}

/** Milliseconds between successive polls, the first counted from the execute call. */
function pollGaps(api: ScriptedApi): number[] {
  const times = api.requests.filter((r) => (r.method === "GET" && r.path === `/tasks/${TASK_ID}`) || r.path.endsWith("/execute")).map((r) => r.at);
  return times.slice(1).map((at, i) => at - times[i]!);
}

// ---------------------------------------------------------------------------------------------
// On a fake clock
// ---------------------------------------------------------------------------------------------

describe("exportTask on a fake clock", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  describe("the calls it makes", () => {
    it("creates an export task that runs once now, executes it, polls until DONE and returns the task and its URL", async () => {
      const api = scriptedApi({ states: ["INPROGRESS", "DONE"] });
      const run = startExport(clientOf(api), { ...EXPORT, desc: "Nightly users" });
      await vi.advanceTimersByTimeAsync(2_500);
      await run.done;

      expect(api.routes()).toStrictEqual([
        "POST /tasks",
        `POST /tasks/${TASK_ID}/execute`,
        `GET /tasks/${TASK_ID}`,
        `GET /tasks/${TASK_ID}`,
        `GET /tasks/${TASK_ID}/download_url`,
      ]);
      expect(api.requests[0]!.body).toStrictEqual({
        chain: CHAIN,
        desc: "Nightly users",
        target: { action: "export", export_index: "users", export_format: "csv" },
        trigger: { once: NOW.toISOString() },
      });
      for (const request of api.requests) expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(run.error).toBeUndefined();
      expect(run.value!.task).toMatchObject({ id: TASK_ID, state: { code: "DONE" } });
      // Spaaza's URL says nothing of its expiry: the documented hour counts from when it arrived.
      expect(run.value!.url).toStrictEqual({
        url: OPAQUE_URL,
        method: "GET",
        headers: {},
        expiresAt: new Date(NOW.getTime() + 2_500 + 3_600_000),
        expiresAtSource: "documented",
      });
      expect(run.value).not.toHaveProperty("download");
    });

    it("sends a segment id in the trigger, a default description, and X-Spaaza-API-Version on every call", async () => {
      const api = scriptedApi({ states: ["DONE"] });
      const run = startExport(clientOf(api), { chain: CHAIN, index: "transactions", format: "json", segmentId: 77, apiVersion: "1.4.3" });
      await vi.advanceTimersByTimeAsync(1_000);
      await run.done;

      expect(api.requests[0]!.body).toStrictEqual({
        chain: CHAIN,
        desc: "presign export of transactions",
        target: { action: "export", export_index: "transactions", export_format: "json" },
        trigger: { once: NOW.toISOString(), segment_id: 77 },
      });
      expect(api.requests.map((r) => r.headers["x-spaaza-api-version"])).toStrictEqual(["1.4.3", "1.4.3", "1.4.3", "1.4.3"]);
    });

    it("a created task without a usable id ends the export with a MalformedResponseError, before anything else is sent", async () => {
      const api = scriptedApi({ states: ["DONE"], createdTask: { id: "../4242", state: { code: "READY" } } });
      const run = startExport(clientOf(api, { validateResponses: false }), EXPORT);
      await run.done;

      expect(run.error).toBeInstanceOf(MalformedResponseError);
      expect(api.routes()).toStrictEqual(["POST /tasks"]);
    });
  });

  describe("polling", () => {
    it("waits 1 s before the first poll, then 1.5 times longer each time, never more than 15 s", async () => {
      const api = scriptedApi({ states: [...Array(9).fill("INPROGRESS"), "DONE"] });
      const run = startExport(clientOf(api), EXPORT);
      await vi.advanceTimersByTimeAsync(120_000);
      await run.done;

      expect(run.error).toBeUndefined();
      expect(pollGaps(api)).toStrictEqual([1_000, 1_500, 2_250, 3_375, 5_063, 7_595, 11_393, 15_000, 15_000, 15_000]);
    });

    it("starts from pollInterval instead of 1 s", async () => {
      const api = scriptedApi({ states: ["READY", "INPROGRESS", "INPROGRESS", "DONE"] });
      const run = startExport(clientOf(api), { ...EXPORT, pollInterval: 200 });
      await vi.advanceTimersByTimeAsync(10_000);
      await run.done;

      expect(pollGaps(api)).toStrictEqual([200, 300, 450, 675]);
    });

    it("keeps a long pollInterval as it is rather than shortening it to 15 s", async () => {
      const api = scriptedApi({ states: ["INPROGRESS", "DONE"] });
      const run = startExport(clientOf(api), { ...EXPORT, pollInterval: 60_000 });
      await vi.advanceTimersByTimeAsync(200_000);
      await run.done;

      expect(pollGaps(api)).toStrictEqual([60_000, 60_000]);
    });

    it("reads the task at once when execute already answers DONE", async () => {
      const api = scriptedApi({ states: ["DONE"], executeState: "DONE" });
      const run = startExport(clientOf(api), EXPORT);
      await vi.advanceTimersByTimeAsync(0);
      await run.done;

      expect(pollGaps(api)).toStrictEqual([0]);
      expect(run.value!.task.state.code).toBe("DONE");
    });
  });

  describe("a task that ends in ERROR", () => {
    it("rejects with a TaskFailedError that carries the task's logs, the client's secrets and signatures redacted, and asks for no URL", async () => {
      const logs = [
        "export started",
        { time: "2026-05-26T12:00:02Z", message: "writing https://bucket.example/x.csv?X-Amz-Signature=deadbeefcafe&X-Amz-Date=20260526T120000Z" },
        `auth header was Bearer ${TOKEN}`,
        "export failed: index unavailable",
      ];
      const api = scriptedApi({ states: ["INPROGRESS", "ERROR"], logs });
      const run = startExport(clientOf(api), EXPORT);
      await vi.advanceTimersByTimeAsync(2_500);
      await run.done;

      const error = run.error as TaskFailedError;
      expect(error).toBeInstanceOf(TaskFailedError);
      expect(error.kind).toBe("task_failed");
      expect(error.message).toBe(`spaaza: export task ${TASK_ID} ended in ERROR: export failed: index unavailable`);
      expect(error.logs).toStrictEqual([
        "export started",
        '{"time":"2026-05-26T12:00:02Z","message":"writing https://bucket.example/x.csv?X-Amz-Signature=[REDACTED]&X-Amz-Date=20260526T120000Z"}',
        "auth header was Bearer [REDACTED]",
        "export failed: index unavailable",
      ]);
      expect(JSON.stringify(error)).not.toContain(TOKEN);
      expect(error.request).toBe(`GET https://services.example.test/tasks/${TASK_ID}`);
      expect(JSON.stringify(error)).not.toContain("deadbeefcafe");
      expect(api.routes()).not.toContain(`GET /tasks/${TASK_ID}/download_url`);
    });

    it("keeps the last 50 log entries, each cut to 500 characters", async () => {
      const logs = Array.from({ length: 80 }, (_, i) => `line ${i} ${"x".repeat(2_000)}`);
      const api = scriptedApi({ states: ["ERROR"], logs });
      const run = startExport(clientOf(api), EXPORT);
      await vi.advanceTimersByTimeAsync(1_000);
      await run.done;

      const { logs: kept } = run.error as TaskFailedError;
      expect(kept).toHaveLength(50);
      expect(kept[0]).toMatch(/^line 30 x+…$/);
      expect(kept.at(-1)).toMatch(/^line 79 /);
      for (const line of kept) expect(line.length).toBeLessThanOrEqual(501);
    });
  });

  describe("timeout and abort", () => {
    it("past the timeout it rejects with a TimeoutError naming the task and its last state, and polls no more", async () => {
      const api = scriptedApi({ states: ["INPROGRESS"] });
      const run = startExport(clientOf(api), { ...EXPORT, timeout: 30_000 });
      await vi.advanceTimersByTimeAsync(29_999);
      expect(run.settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await run.done;

      expect(run.error).toBeInstanceOf(TimeoutError);
      expect((run.error as TimeoutError).message).toBe(`spaaza: the export did not finish within 30000 ms (task ${TASK_ID}, last state INPROGRESS)`);
      const sent = api.requests.length;
      await vi.advanceTimersByTimeAsync(60_000);
      expect(api.requests).toHaveLength(sent);
    });

    it("gives up after 10 minutes by default", async () => {
      const api = scriptedApi({ states: ["READY"] });
      const run = startExport(clientOf(api), EXPORT);
      await vi.advanceTimersByTimeAsync(599_999);
      expect(run.settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await run.done;

      expect((run.error as TimeoutError).message).toBe(`spaaza: the export did not finish within 600000 ms (task ${TASK_ID}, last state READY)`);
    });

    it("times out a poll that never answers", async () => {
      const api = scriptedApi({ states: ["hang"] });
      const run = startExport(clientOf(api, { timeout: 120_000 }), { ...EXPORT, timeout: 5_000 });
      await vi.advanceTimersByTimeAsync(5_000);
      await run.done;

      expect(run.error).toBeInstanceOf(TimeoutError);
      expect((run.error as TimeoutError).message).toContain(`task ${TASK_ID}, last state INPROGRESS`);
    });

    it("an abort while it waits between polls rejects at once with an AbortedError, and nothing more is sent", async () => {
      const api = scriptedApi({ states: ["INPROGRESS"] });
      const controller = new AbortController();
      const run = startExport(clientOf(api), { ...EXPORT, signal: controller.signal });
      await vi.advanceTimersByTimeAsync(1_500);
      controller.abort(new Error("user left"));
      await vi.advanceTimersByTimeAsync(0);

      expect(run.settled).toBe(true);
      expect(run.error).toBeInstanceOf(AbortedError);
      expect((run.error as AbortedError).message).toBe(`spaaza: the export was aborted (task ${TASK_ID}, last state INPROGRESS)`);
      const sent = api.requests.length;
      await vi.advanceTimersByTimeAsync(60_000);
      expect(api.requests).toHaveLength(sent);
    });

    it("an abort while a poll is in flight rejects at once with an AbortedError", async () => {
      const api = scriptedApi({ states: ["hang"] });
      const controller = new AbortController();
      const run = startExport(clientOf(api), { ...EXPORT, signal: controller.signal });
      await vi.advanceTimersByTimeAsync(1_000);
      expect(api.routes().at(-1)).toBe(`GET /tasks/${TASK_ID}`);
      controller.abort();
      await vi.advanceTimersByTimeAsync(0);

      expect(run.error).toBeInstanceOf(AbortedError);
    });

    it("an already aborted signal sends nothing", async () => {
      const api = scriptedApi({ states: ["DONE"] });
      const run = startExport(clientOf(api), { ...EXPORT, signal: AbortSignal.abort() });
      await run.done;

      expect(run.error).toBeInstanceOf(AbortedError);
      expect(api.requests).toStrictEqual([]);
    });
  });

  describe("bad input", () => {
    it("is refused with an InvalidRequestError naming every problem, before any call", async () => {
      const api = scriptedApi({ states: ["DONE"] });
      const run = startExport(clientOf(api), {
        chain: CHAIN,
        index: "orders" as never,
        format: "xml" as never,
        segment: { all: true },
        segmentId: 7,
        timeout: 0,
        pollInterval: Number.NaN,
        download: 42 as never,
      });
      await run.done;

      expect(run.error).toBeInstanceOf(InvalidRequestError);
      expect((run.error as InvalidRequestError).message).toBe(
        "spaaza: index: expected one of transactions, users, vouchers, wallet-ledger, products, product-variants; " +
          'format: expected "csv" or "json"; segment, segmentId: give one of them, not both; ' +
          "timeout: expected milliseconds from 1 to 2147483647; pollInterval: expected milliseconds from 1 to 2147483647; " +
          "download: expected a file path, a WritableStream or a Node writable stream",
      );
      expect(api.requests).toStrictEqual([]);
    });

    it("refuses a chain that is not a positive whole number before any call", async () => {
      const api = scriptedApi({ states: ["DONE"] });
      const run = startExport(clientOf(api), { ...EXPORT, chain: 0 });
      await run.done;

      expect(run.error).toBeInstanceOf(InvalidRequestError);
      expect((run.error as InvalidRequestError).message).toContain("chain");
      expect(api.requests).toStrictEqual([]);
    });

    it("refuses something that is not a Spaaza client", async () => {
      const run = startExport({} as SpaazaClient, EXPORT);
      await run.done;

      expect(run.error).toBeInstanceOf(InvalidRequestError);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Over a loopback Spaaza API and the loopback storage server
// ---------------------------------------------------------------------------------------------

/** Serves a scripted API on 127.0.0.1; a hanging answer holds the request until the client leaves. */
async function startApi(api: ScriptedApi): Promise<{ origin: string; close(): Promise<void> }> {
  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const answer = api.answer({
      method: request.method!,
      path: request.url!.split("?")[0]!,
      headers: request.headers as Record<string, string>,
      body: text ? JSON.parse(text) : undefined,
      at: Date.now(),
    });
    if (answer === "hang") return;
    response.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe("exportTask over loopback", () => {
  const KEY = `chains/${CHAIN}/Users_Export-${TASK_ID}.csv`;
  const CSV = `id,email\n${Array.from({ length: 5_000 }, (_, i) => `${i},user${i}@example.com`).join("\n")}\n`;
  const FILE = new TextEncoder().encode(CSV);
  let storage: StorageServer;
  let dir: string;
  const closers: (() => Promise<void>)[] = [];

  beforeEach(async () => {
    storage = await startStorageServer();
    storage.putObject(KEY, FILE);
    dir = await mkdtemp(join(tmpdir(), "presign-spaaza-export-"));
  });
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
    await storage.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function loopbackClient(script: ApiScript, options: SpaazaClientOptions = { ...SESSION }) {
    const api = scriptedApi({ urls: [() => storage.presign({ method: "GET", key: KEY, expiresIn: 3_600 })], ...script });
    const server = await startApi(api);
    closers.push(server.close);
    return { api, client: createSpaazaClient({ baseUrl: server.origin, ...options }) };
  }

  it("downloads the exported file to a path, and no Spaaza credential reaches the storage", async () => {
    const { api, client } = await loopbackClient({ states: ["INPROGRESS", "DONE"] });
    const target = join(dir, "users.csv");
    const progress: TransferProgress[] = [];

    const result = await exportTask(client, { ...EXPORT, pollInterval: 10, download: target, onProgress: (p) => progress.push(p) });

    expect(await readFile(target, "utf8")).toBe(CSV);
    expect(result.download).toMatchObject({ bytes: FILE.byteLength, resumes: 0, refreshes: 0 });
    expect(result.url.expiresAtSource).toBe("url");
    expect(progress.at(-1)).toMatchObject({ bytes: FILE.byteLength, total: FILE.byteLength });
    // The API got the admin session on every call; the storage got none of it.
    for (const request of api.requests) expect(request.headers["x-spaaza-session-key"]).toBe(SESSION.sessionKey);
    expect(storage.requests).toHaveLength(1);
    const [fetched] = storage.requests;
    expect(fetched).toMatchObject({ method: "GET", path: `/${KEY}`, status: 200 });
    expect(Object.keys(fetched!.headers).filter((name) => name === "authorization" || name.startsWith("x-spaaza-"))).toStrictEqual([]);
    for (const secret of [...Object.values(SESSION), TOKEN]) expect(JSON.stringify(fetched!.headers)).not.toContain(secret);
  });

  it("sends no bearer token to the storage either", async () => {
    const { client } = await loopbackClient({ states: ["DONE"] }, { accessToken: TOKEN });
    await exportTask(client, { ...EXPORT, pollInterval: 10, download: join(dir, "users.csv") });

    expect(storage.requests[0]!.headers).not.toHaveProperty("authorization");
    expect(JSON.stringify(storage.requests[0]!.headers)).not.toContain("tok_secret");
  });

  it("gets a fresh URL from Spaaza when the storage says the first one has expired", async () => {
    const { api, client } = await loopbackClient({
      states: ["DONE"],
      urls: [
        () => {
          const url = storage.presign({ method: "GET", key: KEY });
          storage.fault.expire(KEY, { issuedSoFar: true });
          return url;
        },
        () => storage.presign({ method: "GET", key: KEY }),
      ],
    });
    const target = join(dir, "users.csv");

    const result = await exportTask(client, { ...EXPORT, pollInterval: 10, download: target });

    expect(await readFile(target, "utf8")).toBe(CSV);
    expect(result.download).toMatchObject({ bytes: FILE.byteLength, refreshes: 1 });
    expect(api.routes().filter((route) => route.endsWith("/download_url"))).toHaveLength(2);
    expect(storage.requests.map((r) => r.status)).toStrictEqual([403, 200]);
  });

  it("a task that ends in ERROR rejects with its logs, and nothing is downloaded", async () => {
    const { client } = await loopbackClient({ states: ["INPROGRESS", "ERROR"], logs: ["segment 77 not found"] });

    const error = await exportTask(client, { ...EXPORT, pollInterval: 10, download: join(dir, "users.csv") }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TaskFailedError);
    expect((error as TaskFailedError).logs).toStrictEqual(["segment 77 not found"]);
    expect(storage.requests).toStrictEqual([]);
  });

  it("an abort while a poll is in flight rejects promptly with an AbortedError", async () => {
    const { api, client } = await loopbackClient({ states: ["hang"] });
    const controller = new AbortController();
    const exported = exportTask(client, { ...EXPORT, pollInterval: 10, signal: controller.signal }).catch((e: unknown) => e);
    await vi.waitFor(() => expect(api.routes()).toContain(`GET /tasks/${TASK_ID}`));
    const abortedAt = Date.now();
    controller.abort();

    expect(await exported).toBeInstanceOf(AbortedError);
    expect(Date.now() - abortedAt).toBeLessThan(2_000);
  });

  it("a task that never finishes rejects with a TimeoutError once the timeout has passed", async () => {
    const { client } = await loopbackClient({ states: ["INPROGRESS"] });
    const started = Date.now();

    const error = await exportTask(client, { ...EXPORT, pollInterval: 10, timeout: 300 }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).message).toContain(`task ${TASK_ID}, last state INPROGRESS`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
