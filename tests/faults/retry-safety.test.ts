/**
 * No state change is repeated by a retry. An operation that changes state (Datadog's multipart
 * operations start, complete or abort an upload) may have been acted on after a timeout, a broken
 * connection or a 5xx, so it is not sent again. It is retried only when the server cannot have
 * acted: a connection refused before a byte was written, 429, 408, or 503 with Retry-After.
 * A POST whose spec marks it x-presign-idempotent is retried like a GET. Every operation
 * of every provider in specs/, both senders.
 */
import { createServer } from "node:net";
import { ConnectionError, ServerError, TimeoutError } from "@presign/core";
import { describe, expect, it } from "vitest";
import { providers } from "../providers.ts";
import { failOnEscapes, failure, faultProvider, json, overSenders, type Step, scriptedServer } from "./harness.ts";

const api = scriptedServer();
failOnEscapes();

const fastRetry = { baseDelay: 1, maxDelay: 5 };

/** Every operation bound as a fault case, with its success answer as a script step. */
const operations = providers.flatMap((provider) =>
  provider.operations.map((op) => {
    const success: Step = op.success.json ? json(op.success.status, op.success.body) : (_req, res) => res.writeHead(op.success.status).end();
    return { ...faultProvider(provider, op), operationName: op.methodName, method: op.method, success };
  }),
);
const stateChanging = overSenders(operations.filter((o) => !o.operation.definition.idempotent));
const idempotentNonGets = overSenders(operations.filter((o) => o.operation.definition.idempotent && o.method !== "GET"));

const hang: Step = () => {};
const reset: Step = (req) => req.socket.destroy();
/** Lets a retry that should not happen arrive, if it were made. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe.each(stateChanging)("$name $operationName over $sender (changes state)", (p) => {
  const create = (options: object = {}) => p.create(api.baseUrl, { ...p.senderOptions, retry: fastRetry, ...options });

  it("is sent once when the server takes it and never answers", async () => {
    api.script = [hang];
    const error = await failure(p.call(create({ timeout: 200 })));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.attempts).toBe(1);
    await settle();
    expect(api.arrivals).toHaveLength(1);
  });

  it("is sent once when the connection breaks after it was sent", async () => {
    api.script = [reset];
    const error = await failure(p.call(create()));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.attempts).toBe(1);
    await settle();
    expect(api.arrivals).toHaveLength(1);
  });

  it("is sent once after a 500, a 502 or a 503 without Retry-After", async () => {
    for (const status of [500, 502, 503]) {
      api.arrivals.length = 0;
      api.script = [json(status, { errors: ["boom"] }), p.success];
      const error = await failure(p.call(create()));
      expect(error).toBeInstanceOf(ServerError);
      expect(error).toMatchObject({ status, attempts: 1 });
      expect(api.arrivals).toHaveLength(1);
    }
  });

  it("is retried after a 503 with Retry-After, a 429 and a 408: the server did not process it", async () => {
    for (const refusal of [json(503, { errors: ["down"] }, { "retry-after": "0" }), json(429, { errors: ["slow down"] }), json(408, {})]) {
      api.arrivals.length = 0;
      api.script = [refusal, p.success];
      await p.call(create());
      expect(api.arrivals).toHaveLength(2);
      expect(api.arrivals[1]!.body).toBe(api.arrivals[0]!.body);
    }
  });

  it("is retried when the connection was refused before a byte was sent", async () => {
    const error = await failure(p.call(p.create(`http://127.0.0.1:${await closedPort()}`, { ...p.senderOptions, retry: fastRetry })));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.attempts).toBe(3);
  });
});

describe.each(idempotentNonGets)("$name $operationName over $sender (a $method retried like a GET)", (p) => {
  it("is retried after a timeout and after a 500", async () => {
    api.script = [hang, json(500, { errors: ["boom"] }), p.success];
    expect(await p.call(p.create(api.baseUrl, { ...p.senderOptions, retry: fastRetry, timeout: 1000 }))).toEqual(p.ok);
    expect(api.arrivals).toHaveLength(3);
  });
});
