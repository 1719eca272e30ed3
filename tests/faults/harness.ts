/**
 * What the fault suites share: a real HTTP server on 127.0.0.1 that plays a script of answers and
 * records what arrives, every provider in specs/ with its secrets and one call each, the two senders
 * (node:http, and fetch as browsers and Workers use it), and a guard that fails a test when
 * anything escapes the promise a method returns.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { PresignError } from "@presign/core";
import { afterAll, afterEach, beforeAll, beforeEach, expect } from "vitest";
import { type Client, call, providers as discovered, type Operation, type Provider, presignOperation } from "../providers.ts";

export type Step = (req: IncomingMessage, res: ServerResponse) => void;

export const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Step =>
  (_req, res) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };

/** One request as the server saw it. */
export interface Arrival {
  at: number;
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/**
 * Starts a scripted server for this test file: each request gets the next step of `server.script`
 * once its body has arrived (a 500 when the script has run out).
 */
export function scriptedServer() {
  const state = { baseUrl: "", script: [] as Step[], arrivals: [] as Arrival[] };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      state.arrivals.push({ at: performance.now(), method: req.method!, url: req.url!, headers: req.headers, body });
      (state.script.shift() ?? json(500, { errors: ["script ran out"] }))(req, res);
    });
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });
  beforeEach(() => {
    state.script = [];
    state.arrivals = [];
  });
  return state;
}

export const SIGNATURE = "deadbeefcafebabe0123456789";
export const PRESIGNED = `https://bucket.s3.amazonaws.com/f.csv?X-Amz-Credential=AKIAEXAMPLE%2F20240924&X-Amz-Signature=${SIGNATURE}`;

/** A client for one provider against `baseUrl`, and the one call the fault cases make with it. */
export interface FaultProvider {
  name: string;
  /** Every secret credential the client holds; none may show up in what the library shows. */
  secrets: string[];
  create(baseUrl: string, options?: object): Client;
  /** The operation's call with its sample input. */
  call(client: Client, options?: object): Promise<unknown>;
  /** The success body of that call (the spec's example). */
  ok: unknown;
  operation: Operation;
  provider: Provider;
}

/**
 * The operation the fault cases call: one that only reads state, so it is retried like a GET. The
 * provider's presign call when it is one (a new operation in the spec does not move it), else the
 * first such operation.
 */
function readOperation(provider: Provider): Operation {
  const op = [presignOperation(provider), ...provider.operations].find((o) => o?.definition.idempotent);
  if (op) return op;
  throw new Error(
    `${provider.specFile}: the fault suites need one operation that only reads state (a GET, or a POST with x-presign-idempotent: true)`,
  );
}

/** Binds a provider to one operation, with the credentials of that operation's first security alternative. */
export function faultProvider(provider: Provider, op: Operation = readOperation(provider)): FaultProvider {
  const alternative = op.security[0] ?? [];
  return {
    name: provider.name,
    secrets: provider.secretsOf(alternative),
    create: (baseUrl, options = {}) => provider.create({ baseUrl, ...options }, alternative),
    call: (client, options) => call(client, op, op.input, options),
    ok: op.success.body,
    operation: op,
    provider,
  };
}

/** Every string inside a JSON value replaced by `text` (numbers, such as a provider's error code, stay). */
function restring(value: unknown, text: string): unknown {
  if (typeof value === "string") return text;
  if (Array.isArray(value)) return value.map((item) => restring(item, text));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, restring(inner, text)]));
  return value;
}

/**
 * An error body in the provider's own shape, saying `text`: the spec's example for that status
 * (else for any error status) with every string replaced, so each provider's profile reads it.
 */
export function errorBody(p: FaultProvider, status: number, text: string): unknown {
  const errors = p.operation.responses.filter((r) => (r.status >= 400 || r.status === 0) && r.body !== undefined);
  const example = errors.find((r) => r.status === status) ?? errors[0];
  return example ? restring(example.body, text) : { errors: [text], message: text };
}

/** Every provider in specs/, each with its read operation. */
export const providers: FaultProvider[] = discovered.map((p) => faultProvider(p));

/**
 * One provider by name, for the cases that pin a provider's own quirk; with `method`, bound to that
 * operation, for a case about its own schema (adding an operation to the spec must not move it).
 */
export function named(name: string, method?: string): FaultProvider {
  const found = providers.find((p) => p.name === name);
  if (!found) throw new Error(`no provider named ${name} in specs/`);
  if (!method) return found;
  const op = found.provider.operations.find((o) => o.methodName === method);
  if (!op) throw new Error(`${found.provider.specFile} has no operation ${method}`);
  return faultProvider(found.provider, op);
}

/** The two ways a client sends: node:http (the default on Node) and fetch (browsers, Workers, a custom fetch). */
export const senders = [
  { sender: "node:http", options: {} },
  { sender: "fetch", options: { fetch: (input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init) } },
];

/** Each item with each sender, for `describe.each`. */
export const overSenders = <T extends object>(items: T[]) =>
  items.flatMap((item) => senders.map(({ sender, options }) => ({ ...item, sender, senderOptions: options })));

/** Every provider with every sender. */
export const matrix = overSenders(providers);

/** Runs a call, returning the error it threw (or failing if it did not throw). */
export async function failure(promise: Promise<unknown>): Promise<PresignError> {
  try {
    await promise;
  } catch (error) {
    return error as PresignError;
  }
  throw new Error("expected the call to fail");
}

export function expectNoSecrets(texts: string[], secrets: string[]) {
  const all = texts.join("\n");
  for (const secret of [...secrets, SIGNATURE]) expect(all).not.toContain(secret);
}

/**
 * Fails the test in which an exception or a rejection escaped every promise: a listener error in
 * a sender would otherwise crash a user's process with nothing to catch.
 */
export function failOnEscapes() {
  const escaped: unknown[] = [];
  const record = (error: unknown) => escaped.push(error);
  beforeAll(() => {
    process.on("uncaughtException", record);
    process.on("unhandledRejection", record);
  });
  afterAll(() => {
    process.off("uncaughtException", record);
    process.off("unhandledRejection", record);
  });
  afterEach(async () => {
    // A rejection is reported as unhandled a tick after it happens.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(escaped.splice(0), "errors thrown outside the returned promise").toEqual([]);
  });
}
