/**
 * What the fault suites share: a real HTTP server on 127.0.0.1 that plays a script of answers and
 * records what arrives, the four providers with their secrets and one call each, the two senders
 * (node:http, and fetch as browsers and Workers use it), and a guard that fails a test when
 * anything escapes the promise a method returns.
 */
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { PresignError } from "@presign/core";
import { createDatadogClient } from "@presign/datadog";
import { createDatalabClient } from "@presign/datalab";
import { createPowerdrillClient } from "@presign/powerdrill";
import { createSpaazaClient } from "@presign/spaaza";
import { afterAll, afterEach, beforeAll, beforeEach, expect } from "vitest";

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

/** A client for one provider against `baseUrl`, with extra client options. */
export interface Provider {
  name: string;
  /** Every credential the client holds; none may show up in what the library shows. */
  secrets: string[];
  create(baseUrl: string, options?: object): any;
  /** One call that only reads state (retried like a GET). */
  call(client: any, options?: object): Promise<unknown>;
  /** The success body of that call. */
  ok: unknown;
}

const SPAAZA_TOKEN = "0c6e8f7a-1111-4222-8333-944455556666:spaaza-secret-3";

export const providers: Provider[] = [
  {
    name: "datadog",
    secrets: ["dd-api-key-0001", "dd-app-key-0002"],
    create: (baseUrl, o) => createDatadogClient({ apiKey: "dd-api-key-0001", appKey: "dd-app-key-0002", baseUrl, ...o }),
    call: (c, o) => c.getTestFileDownloadUrl({ publicId: "abc-def-123", bucketKey: "k" }, o),
    ok: { url: PRESIGNED },
  },
  {
    name: "spaaza",
    secrets: [SPAAZA_TOKEN],
    create: (baseUrl, o) => createSpaazaClient({ accessToken: SPAAZA_TOKEN, baseUrl, ...o }),
    call: (c, o) => c.getTaskDownloadUrl({ id: 12345 }, o),
    ok: { url: PRESIGNED },
  },
  {
    name: "datalab",
    secrets: ["datalab-key-0004"],
    create: (baseUrl, o) => createDatalabClient({ apiKey: "datalab-key-0004", baseUrl, ...o }),
    call: (c, o) => c.getFileDownloadUrl({ fileId: 42 }, o),
    ok: { download_url: PRESIGNED, expires_in: 3600, file_id: 42, original_filename: "f.csv" },
  },
  {
    name: "powerdrill",
    secrets: ["powerdrill-key-0005"],
    create: (baseUrl, o) => createPowerdrillClient({ apiKey: "powerdrill-key-0005", baseUrl, ...o }),
    call: (c, o) => c.presignDataSource({ datasetId: "d", datasourceId: "s", userId: "u" }, o),
    ok: { code: 0, data: { presigned_url: PRESIGNED, expires_at: "2030-01-01T00:00:00.000Z" } },
  },
];

/** The two ways a client sends: node:http (the default on Node) and fetch (browsers, Workers, a custom fetch). */
export const senders = [
  { sender: "node:http", options: {} },
  { sender: "fetch", options: { fetch: (input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init) } },
];

/** Every provider with every sender, for `describe.each`. */
export const matrix = providers.flatMap((provider) => senders.map(({ sender, options }) => ({ ...provider, sender, senderOptions: options })));

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
