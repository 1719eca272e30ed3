/**
 * Faults on the wire, for every provider: a real HTTP server on 127.0.0.1 plays a script of
 * answers (429 with Retry-After, 503 then 200, a reset mid-body, a hang, bad JSON, …) and the
 * test checks the attempts made, the waits between them, the typed error, and that no secret
 * shows up in the error or the debug log.
 */
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import {
  AbortedError,
  ConnectionError,
  MalformedResponseError,
  type PresignError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from "@presign/core";
import { createDatadogClient } from "@presign/datadog";
import { createDatalabClient } from "@presign/datalab";
import { createPowerdrillClient } from "@presign/powerdrill";
import { createSpaazaClient } from "@presign/spaaza";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

type Step = (req: IncomingMessage, res: ServerResponse) => void;
const json = (status: number, body: unknown, headers: Record<string, string> = {}): Step => (_req, res) => {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
};

let script: Step[] = [];
let arrivals: { at: number; headers: IncomingMessage["headers"] }[] = [];
let baseUrl = "";
const server = createServer((req, res) => {
  arrivals.push({ at: performance.now(), headers: req.headers });
  req.resume();
  req.on("end", () => (script.shift() ?? json(500, { errors: ["script ran out"] }))(req, res));
});
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});
beforeEach(() => {
  script = [];
  arrivals = [];
});

const SIGNATURE = "deadbeefcafebabe0123456789";
const presigned = `https://bucket.s3.amazonaws.com/f.csv?X-Amz-Credential=AKIAEXAMPLE%2F20240924&X-Amz-Signature=${SIGNATURE}`;

/** Each provider: its secrets, a client factory, one call, and the success body that call expects. */
const providers = [
  {
    name: "datadog",
    secrets: ["dd-api-key-0001", "dd-app-key-0002"],
    create: (o: object) => createDatadogClient({ apiKey: "dd-api-key-0001", appKey: "dd-app-key-0002", baseUrl, ...o }),
    call: (c: any, o?: object) => c.getTestFileDownloadUrl({ publicId: "abc-def-123", bucketKey: "k" }, o),
    ok: { url: presigned },
  },
  {
    name: "spaaza",
    secrets: ["0c6e8f7a-1111-4222-8333-944455556666:spaaza-secret-3"],
    create: (o: object) => createSpaazaClient({ accessToken: "0c6e8f7a-1111-4222-8333-944455556666:spaaza-secret-3", baseUrl, ...o }),
    call: (c: any, o?: object) => c.getTaskDownloadUrl({ id: 12345 }, o),
    ok: { url: presigned },
  },
  {
    name: "datalab",
    secrets: ["datalab-key-0004"],
    create: (o: object) => createDatalabClient({ apiKey: "datalab-key-0004", baseUrl, ...o }),
    call: (c: any, o?: object) => c.getFileDownloadUrl({ fileId: 42 }, o),
    ok: { download_url: presigned, expires_in: 3600, file_id: 42, original_filename: "f.csv" },
  },
  {
    name: "powerdrill",
    secrets: ["powerdrill-key-0005"],
    create: (o: object) => createPowerdrillClient({ apiKey: "powerdrill-key-0005", baseUrl, ...o }),
    call: (c: any, o?: object) => c.presignDataSource({ datasetId: "d", datasourceId: "s", userId: "u" }, o),
    ok: { code: 0, data: { presigned_url: presigned, expires_at: "2030-01-01T00:00:00.000Z" } },
  },
];

/** Runs a call, returning the error it threw (or failing if it did not throw). */
async function failure(promise: Promise<unknown>): Promise<PresignError> {
  try {
    await promise;
  } catch (error) {
    return error as PresignError;
  }
  throw new Error("expected the call to fail");
}

function expectNoSecrets(texts: string[], secrets: string[]) {
  const all = texts.join("\n");
  for (const secret of [...secrets, SIGNATURE]) expect(all).not.toContain(secret);
}

const gaps = () => arrivals.slice(1).map((a, i) => a.at - arrivals[i]!.at);
const fastRetry = { baseDelay: 1, maxDelay: 5 };

describe.each(providers)("$name under faults", (p) => {
  it("waits as Retry-After says after a 429, then succeeds", async () => {
    script = [json(429, { errors: ["slow down"] }, { "retry-after": "1" }), json(200, p.ok)];
    expect(await p.call(p.create({}))).toEqual(p.ok);
    expect(arrivals).toHaveLength(2);
    expect(gaps()[0]).toBeGreaterThanOrEqual(990);
  });

  it("fails at once with a RateLimitError when Retry-After is beyond the cap", async () => {
    script = [json(429, { errors: ["slow down"] }, { "retry-after": "120" })];
    const error = await failure(p.call(p.create({})));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, retryAfter: 120, attempts: 1, provider: p.name });
    expect(arrivals).toHaveLength(1);
  });

  it("retries a 503 and returns the 200 that follows", async () => {
    script = [json(503, { errors: ["unavailable"] }), json(200, p.ok)];
    expect(await p.call(p.create({ retry: fastRetry }))).toEqual(p.ok);
    expect(arrivals).toHaveLength(2);
  });

  it("gives up after the default 2 retries with a ServerError that counts 3 attempts", async () => {
    script = [json(500, {}), json(502, {}), json(504, {})];
    const error = await failure(p.call(p.create({ retry: fastRetry })));
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 504, attempts: 3 });
  });

  it("retries a connection reset in the middle of the body", async () => {
    const reset: Step = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "500" });
      res.write('{"url": "https://');
      setTimeout(() => res.socket?.destroy(), 20);
    };
    script = [reset, json(200, p.ok)];
    expect(await p.call(p.create({ retry: fastRetry }))).toEqual(p.ok);
    expect(arrivals).toHaveLength(2);

    script = [reset, reset];
    const error = await failure(p.call(p.create({ retry: fastRetry, maxRetries: 1 })));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.attempts).toBe(2);
  });

  it("abandons an attempt that hangs past the timeout, retries, then throws a TimeoutError", async () => {
    script = [() => {}, () => {}];
    const started = performance.now();
    const error = await failure(p.call(p.create({ timeout: 150, maxRetries: 1, retry: fastRetry })));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.attempts).toBe(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it("stops at once, without retrying, when the caller aborts", async () => {
    script = [() => {}];
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await failure(p.call(p.create({}), { signal: controller.signal }));
    expect(error).toBeInstanceOf(AbortedError);
    expect(arrivals).toHaveLength(1);
  });

  it("reports malformed JSON in a 200 as a MalformedResponseError, without retrying", async () => {
    script = [(_req, res) => res.writeHead(200, { "content-type": "application/json" }).end('{"url": "https://x')];
    const error = await failure(p.call(p.create({})));
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error).toMatchObject({ status: 200, attempts: 1 });
  });

  it("keeps every secret out of errors and the debug log", async () => {
    const log: string[] = [];
    script = [json(500, { errors: [`boom at ${presigned}`], detail: `boom at ${presigned}`, code: 9999, msg: `boom at ${presigned}` }), json(503, "down")];
    const error = await failure(p.call(p.create({ debug: (line: string) => log.push(line), maxRetries: 1, retry: fastRetry })));
    expect(error).toBeInstanceOf(ServerError);
    // The server did get the credentials …
    expect(JSON.stringify(arrivals[0]!.headers)).toContain(p.secrets[0]!.split(":")[0]);
    // … but nothing the library shows does.
    expect(log).toHaveLength(2);
    expect(log[0]).toMatch(new RegExp(`^\\[presign:${p.name}\\] (GET|POST) http://127\\.0\\.0\\.1:\\d+/\\S+ -> 500 \\(attempt 1, \\d+ ms\\)$`));
    expectNoSecrets([String(error), error.message, error.stack ?? "", JSON.stringify(error), inspect(error, { depth: 5 }), ...log], p.secrets);
  });
});

describe("provider quirks", () => {
  it("datalab: a 200 without download_url is a MalformedResponseError", async () => {
    script = [json(200, { expires_in: 3600, file_id: 42, original_filename: "f.csv" })];
    const error = await failure(providers[2]!.call(providers[2]!.create({})));
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error.message).toContain("download_url");
  });

  it("powerdrill: HTTP 200 with code 300008 is a ServerError carrying code, message and trace id, not retried", async () => {
    script = [json(200, { code: 300008, msg: "failed to generate presigned url" }, { "x-pd-trace-id": "trace-77" })];
    const error = await failure(providers[3]!.call(providers[3]!.create({})));
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 200, code: 300008, messages: ["failed to generate presigned url"], requestId: "trace-77", attempts: 1 });
  });

  it("datadog: a 429 waits for X-RateLimit-Reset seconds", async () => {
    script = [json(429, { errors: ["Too many requests"] }, { "x-ratelimit-reset": "1", "x-ratelimit-limit": "10" }), json(200, providers[0]!.ok)];
    expect(await providers[0]!.call(providers[0]!.create({}))).toEqual(providers[0]!.ok);
    expect(gaps()[0]).toBeGreaterThanOrEqual(990);
  });

  it("datalab: 529 is retried", async () => {
    script = [json(529, { detail: "Overloaded" }), json(200, providers[2]!.ok)];
    expect(await providers[2]!.call(providers[2]!.create({ retry: fastRetry }))).toEqual(providers[2]!.ok);
    expect(arrivals).toHaveLength(2);
  });
});
