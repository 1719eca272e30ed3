/**
 * Per-call overhead for one provider, in a fresh process (run.ts starts one per provider):
 *   node --import tsx bench/per-call.ts <provider> <server url>
 * Every subject makes the same request to the same loopback server with keep-alive: first the
 * presign client's request is captured, then raw fetch and raw node:http replay its method, path,
 * headers and body (each transport adds its own framing headers, as it would for any caller).
 * Warm-up, then ROUNDS rounds; each round runs CALLS sequential calls of every subject, in an order
 * that rotates from round to round, so drift and position hit all subjects alike. No forced GC between
 * batches: a full GC before each batch made every subject slower and noisier (cold code and caches);
 * each batch pays for the young-generation collections of its own garbage instead.
 * Prints JSON: wall and CPU µs per call of every subject in every round (CPU is this process's user +
 * system time, all threads, so it includes GC helpers but not the server), and the new connections
 * opened while measuring.
 */
import { subscribe } from "node:diagnostics_channel";
import http, { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { ensureTool } from "../test-support/tools.ts";
import { providers } from "./shared.ts";

const [providerName, serverUrl] = process.argv.slice(2);
const provider = providers.find((p) => p.name === providerName);
if (!provider || !serverUrl) throw new Error("usage: per-call.ts <provider> <server url>");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 21);
const CALLS = Number(process.env.BENCH_CALLS ?? 300);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1000);

type Call = () => Promise<unknown>;
interface Subject {
  id: string;
  label: string;
  call: Call;
}

const presign = (options: Record<string, unknown>) => {
  const method = provider.client(options)[provider.method]!;
  return () => method(provider.input);
};

/** The request the presign client sends, seen by a throwaway server (whose reply it may reject). */
async function captureRequest() {
  let seen: { method: string; path: string; headers: Record<string, string>; body?: string } | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (["host", "connection", "content-length", "transfer-encoding"].includes(name) || value === undefined) continue;
        headers[name] = String(value);
      }
      seen ??= { method: req.method!, path: req.url!, headers, body: chunks.length ? Buffer.concat(chunks).toString("utf8") : undefined };
      res.writeHead(200, { "content-type": "application/json", connection: "close" });
      res.end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await presign({ baseUrl: `http://127.0.0.1:${port}`, maxRetries: 0 })().catch(() => {});
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  if (!seen) throw new Error(`${provider!.name}: the presign client sent nothing`);
  return seen;
}

const request = await captureRequest();
const target = new URL(request.path, serverUrl);

const rawFetch: Call = async () => {
  const response = await fetch(target, { method: request.method, headers: request.headers, body: request.body });
  if (response.status !== 200) throw new Error(`raw fetch: status ${response.status}`);
  return response.json();
};

const httpOptions: http.RequestOptions = {
  host: target.hostname,
  port: target.port,
  path: request.path,
  method: request.method,
  headers: request.body === undefined ? request.headers : { ...request.headers, "content-length": Buffer.byteLength(request.body) },
};
const rawHttp: Call = () =>
  new Promise((resolve, reject) => {
    const req = http.request(httpOptions, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        if (res.statusCode !== 200) reject(new Error(`raw node:http: status ${res.statusCode}`));
        else resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      });
    });
    req.on("error", reject);
    req.end(request.body);
  });

const subjects: Subject[] = [
  { id: "fetch", label: "raw fetch (global, undici)", call: rawFetch },
  { id: "node-http", label: "raw node:http", call: rawHttp },
  { id: "presign", label: "presign, default transport (node:http)", call: presign({ baseUrl: serverUrl }) },
  { id: "presign-fetch", label: "presign, `fetch: globalThis.fetch`", call: presign({ baseUrl: serverUrl, fetch: globalThis.fetch }) },
];
if (provider.name === "datadog" && provider.method === "getTestFileDownloadUrl") {
  // The official client, with its defaults (retries off, no timeout), pointed at the same server.
  // Not a workspace dependency (49 MB): pinned in tools/datadog-api-client, installed on first use.
  const { client, v2 } = (await ensureTool("datadog-api-client")).require("@datadog/datadog-api-client");
  const configuration = client.createConfiguration({
    authMethods: { apiKeyAuth: provider.credentials.apiKey, appKeyAuth: provider.credentials.appKey },
    baseServer: new client.BaseServerConfiguration(serverUrl, {}),
  });
  const api = new v2.SyntheticsApi(configuration);
  const { publicId, bucketKey } = provider.input;
  subjects.push({
    id: "official",
    label: "@datadog/datadog-api-client (official)",
    call: () => api.getTestFileDownloadUrl({ publicId, body: { bucketKey } }),
  });
}

// BENCH_ONLY=id,id keeps some subjects (to look at one in isolation); raw fetch always stays, as the reference.
const only = process.env.BENCH_ONLY?.split(",");
if (only) subjects.splice(0, subjects.length, ...subjects.filter((s) => s.id === "fetch" || only.includes(s.id)));

// Every subject must get the presigned URL the mock signs, or its timing means nothing.
for (const subject of subjects) {
  const url = provider.urlOf(await subject.call());
  if (typeof url !== "string" || !url.startsWith(`${serverUrl}/storage/`)) {
    throw new Error(`${provider.name} / ${subject.id}: unexpected result ${JSON.stringify(url)}`);
  }
}

// New sockets opened (by node:http or undici) while a subject runs: keep-alive should make it ~0.
let current: string | undefined;
const connections: Record<string, number> = {};
subscribe("net.client.socket", () => {
  if (current) connections[current] = (connections[current] ?? 0) + 1;
});

async function batch(call: Call, calls: number) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < calls; i++) await call();
  const wall = ((performance.now() - started) * 1000) / calls;
  const { user, system } = process.cpuUsage(cpu);
  return { wall, cpu: (user + system) / calls };
}

for (let pass = 0; pass < 2; pass++) for (const subject of subjects) await batch(subject.call, WARMUP / 2);

const wall: Record<string, number[]> = Object.fromEntries(subjects.map((s) => [s.id, []]));
const cpu: Record<string, number[]> = Object.fromEntries(subjects.map((s) => [s.id, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (let k = 0; k < subjects.length; k++) {
    const subject = subjects[(round + k) % subjects.length]!;
    current = subject.id;
    const result = await batch(subject.call, CALLS);
    wall[subject.id]!.push(result.wall);
    cpu[subject.id]!.push(result.cpu);
    current = undefined;
  }
}

process.stdout.write(
  JSON.stringify({
    provider: provider.name,
    request: { method: request.method, path: request.path, headers: Object.keys(request.headers), bodyBytes: request.body?.length ?? 0 },
    rounds: ROUNDS,
    calls: CALLS,
    warmup: WARMUP,
    subjects: subjects.map(({ id, label }) => ({ id, label, wallUs: wall[id], cpuUs: cpu[id], newConnections: connections[id] ?? 0 })),
  }),
);
// Keep-alive sockets would hold the process open for a while.
process.exit(0);
