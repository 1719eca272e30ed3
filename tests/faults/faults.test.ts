/**
 * Faults on the wire, for every provider: a real HTTP server on 127.0.0.1 plays a script of
 * answers (429 with Retry-After, 503 then 200, a reset mid-body, a hang, bad JSON, …) and the
 * test checks the attempts made, the waits between them, the typed error, and that no secret
 * shows up in the error or the debug log.
 */
import { inspect } from "node:util";
import { AbortedError, ConnectionError, MalformedResponseError, RateLimitError, ServerError, TimeoutError } from "@presign/core";
import { describe, expect, it } from "vitest";
import {
  errorBody,
  expectNoSecrets,
  failOnEscapes,
  failure,
  json,
  named,
  PRESIGNED as presigned,
  providers,
  type Step,
  scriptedServer,
} from "./harness.ts";

const api = scriptedServer();
failOnEscapes();

const gaps = () => api.arrivals.slice(1).map((a, i) => a.at - api.arrivals[i]!.at);
const fastRetry = { baseDelay: 1, maxDelay: 5 };

describe.each(providers)("$name under faults", (p) => {
  it("waits as Retry-After says after a 429, then succeeds", async () => {
    api.script = [json(429, { errors: ["slow down"] }, { "retry-after": "1" }), json(200, p.ok)];
    expect(await p.call(p.create(api.baseUrl, {}))).toEqual(p.ok);
    expect(api.arrivals).toHaveLength(2);
    expect(gaps()[0]).toBeGreaterThanOrEqual(990);
  });

  it("fails at once with a RateLimitError when Retry-After is beyond the cap", async () => {
    api.script = [json(429, { errors: ["slow down"] }, { "retry-after": "120" })];
    const error = await failure(p.call(p.create(api.baseUrl, {})));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, retryAfter: 120, attempts: 1, provider: p.name });
    expect(api.arrivals).toHaveLength(1);
  });

  it("retries a 503 and returns the 200 that follows", async () => {
    api.script = [json(503, { errors: ["unavailable"] }), json(200, p.ok)];
    expect(await p.call(p.create(api.baseUrl, { retry: fastRetry }))).toEqual(p.ok);
    expect(api.arrivals).toHaveLength(2);
  });

  it("gives up after the default 2 retries with a ServerError that counts 3 attempts", async () => {
    api.script = [json(500, {}), json(502, {}), json(504, {})];
    const error = await failure(p.call(p.create(api.baseUrl, { retry: fastRetry })));
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 504, attempts: 3 });
  });

  it("retries a connection reset in the middle of the body", async () => {
    const reset: Step = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "500" });
      res.write('{"url": "https://');
      setTimeout(() => res.socket?.destroy(), 20);
    };
    api.script = [reset, json(200, p.ok)];
    expect(await p.call(p.create(api.baseUrl, { retry: fastRetry }))).toEqual(p.ok);
    expect(api.arrivals).toHaveLength(2);

    api.script = [reset, reset];
    const error = await failure(p.call(p.create(api.baseUrl, { retry: fastRetry, maxRetries: 1 })));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.attempts).toBe(2);
  });

  it("abandons an attempt that hangs past the timeout, retries, then throws a TimeoutError", async () => {
    api.script = [() => {}, () => {}];
    const started = performance.now();
    const error = await failure(p.call(p.create(api.baseUrl, { timeout: 150, maxRetries: 1, retry: fastRetry })));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.attempts).toBe(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
    // Far below the 10 s default timeout, with room for a busy machine.
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it("stops at once, without retrying, when the caller aborts", async () => {
    api.script = [() => {}];
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await failure(p.call(p.create(api.baseUrl, {}), { signal: controller.signal }));
    expect(error).toBeInstanceOf(AbortedError);
    expect(api.arrivals).toHaveLength(1);
  });

  it("reports malformed JSON in a 200 as a MalformedResponseError, without retrying", async () => {
    api.script = [(_req, res) => res.writeHead(200, { "content-type": "application/json" }).end('{"url": "https://x')];
    const error = await failure(p.call(p.create(api.baseUrl, {})));
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error).toMatchObject({ status: 200, attempts: 1 });
  });

  it("keeps every secret out of errors and the debug log", async () => {
    const log: string[] = [];
    api.script = [json(500, errorBody(p, 500, `boom at ${presigned}`)), json(503, "down")];
    const error = await failure(p.call(p.create(api.baseUrl, { debug: (line: string) => log.push(line), maxRetries: 1, retry: fastRetry })));
    expect(error).toBeInstanceOf(ServerError);
    // The server did get the credentials …
    for (const secret of p.secrets) expect(JSON.stringify(api.arrivals[0]!.headers)).toContain(secret);
    // … but nothing the library shows does.
    expect(log).toHaveLength(2);
    expect(log[0]).toMatch(
      new RegExp(`^\\[presign:${p.name}\\] ${p.operation.method} http://127\\.0\\.0\\.1:\\d+/\\S+ -> 500 \\(attempt 1, \\d+ ms\\)$`),
    );
    expectNoSecrets([String(error), error.message, error.stack ?? "", JSON.stringify(error), inspect(error, { depth: 5 }), ...log], p.secrets);
  });
});

/** Providers whose read operation's success body has a required property: the first one of them. */
const withRequired = providers.flatMap((p) => {
  const property = p.operation.definition.response?.required?.[0];
  return property ? [{ ...p, property }] : [];
});

describe.each(withRequired)("$name: response checking", (p) => {
  it(`reports a 200 without the required ${p.property} as a MalformedResponseError naming it, without retrying`, async () => {
    const { [p.property]: _, ...incomplete } = p.ok as Record<string, unknown>;
    api.script = [json(200, incomplete)];
    const error = await failure(p.call(p.create(api.baseUrl, {})));
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error.message).toContain(p.property);
    expect(api.arrivals).toHaveLength(1);
  });
});

// Facts of one provider each, beyond what its spec says.
describe("provider quirks", () => {
  it("powerdrill: HTTP 200 with code 300008 is a ServerError carrying code, message and trace id, not retried", async () => {
    const p = named("powerdrill");
    api.script = [json(200, { code: 300008, msg: "failed to generate presigned url" }, { "x-pd-trace-id": "trace-77" })];
    const error = await failure(p.call(p.create(api.baseUrl, {})));
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 200, code: 300008, messages: ["failed to generate presigned url"], requestId: "trace-77", attempts: 1 });
  });

  it("datadog: a 429 waits for X-RateLimit-Reset seconds", async () => {
    const p = named("datadog");
    api.script = [json(429, { errors: ["Too many requests"] }, { "x-ratelimit-reset": "1", "x-ratelimit-limit": "10" }), json(200, p.ok)];
    expect(await p.call(p.create(api.baseUrl, {}))).toEqual(p.ok);
    expect(gaps()[0]).toBeGreaterThanOrEqual(990);
  });

  it("datalab: 529 is retried", async () => {
    const p = named("datalab");
    api.script = [json(529, { detail: "Overloaded" }), json(200, p.ok)];
    expect(await p.call(p.create(api.baseUrl, { retry: fastRetry }))).toEqual(p.ok);
    expect(api.arrivals).toHaveLength(2);
  });
});
