/**
 * No state change is repeated by a retry. Datadog's multipart operations change state (they start,
 * complete or abort an upload): after a timeout, a broken connection or a 5xx the server may have
 * acted on them, so they are not sent again. They are retried only when the server cannot have
 * acted: a connection refused before a byte was written, 429, 408, or 503 with Retry-After.
 * The read-only POST (the download URL) is retried like a GET. Both senders.
 */
import { createServer } from "node:net";
import { ConnectionError, ServerError, TimeoutError } from "@presign/core";
import { describe, expect, it } from "vitest";
import { type Step, failOnEscapes, failure, json, matrix, scriptedServer } from "./harness.ts";

const api = scriptedServer();
failOnEscapes();

const fastRetry = { baseDelay: 1, maxDelay: 5 };
const datadog = matrix.filter((p) => p.name === "datadog");
const MULTIPART = { key: "org-123/api-upload-file/abc/x.json", uploadId: "upload-id-abc123" };

/** The state-changing operations, each with a call and its success answer. */
const stateChanging = [
  {
    operation: "getTestFileMultipartPresignedUrls",
    call: (c: any, o?: object) =>
      c.getTestFileMultipartPresignedUrls({ publicId: "abc", bucketKeyPrefix: "api-upload-file", parts: [{ md5: "1B2M2Y8AsgTpgAmY7PhCfg==", partNumber: 1 }] }, o),
    ok: json(200, { bucketKey: "api-upload-file/abc/x.json", multipart_presigned_urls_params: { key: MULTIPART.key, upload_id: MULTIPART.uploadId, urls: { 1: "https://s/1" } } }),
  },
  {
    operation: "completeTestFileMultipartUpload",
    call: (c: any, o?: object) => c.completeTestFileMultipartUpload({ publicId: "abc", ...MULTIPART, parts: [{ ETag: '"e1"', PartNumber: 1 }] }, o),
    ok: ((_req, res) => res.writeHead(204).end()) as Step,
  },
  {
    operation: "abortTestFileMultipartUpload",
    call: (c: any, o?: object) => c.abortTestFileMultipartUpload({ publicId: "abc", ...MULTIPART }, o),
    ok: ((_req, res) => res.writeHead(204).end()) as Step,
  },
];

const cases = datadog.flatMap((p) => stateChanging.map((op) => ({ ...p, ...op })));
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

describe.each(cases)("datadog $operation over $sender (changes state)", (p) => {
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
      api.script = [json(status, { errors: ["boom"] }), p.ok];
      const error = await failure(p.call(create()));
      expect(error).toBeInstanceOf(ServerError);
      expect(error).toMatchObject({ status, attempts: 1 });
      expect(api.arrivals).toHaveLength(1);
    }
  });

  it("is retried after a 503 with Retry-After, a 429 and a 408: the server did not process it", async () => {
    for (const refusal of [json(503, { errors: ["down"] }, { "retry-after": "0" }), json(429, { errors: ["slow down"] }), json(408, {})]) {
      api.arrivals.length = 0;
      api.script = [refusal, p.ok];
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

describe.each(datadog)("datadog getTestFileDownloadUrl over $sender (only reads state)", (p) => {
  it("is retried after a timeout and after a 500", async () => {
    api.script = [hang, json(500, { errors: ["boom"] }), json(200, p.ok)];
    expect(await p.call(p.create(api.baseUrl, { ...p.senderOptions, retry: fastRetry, timeout: 1000 }))).toEqual(p.ok);
    expect(api.arrivals).toHaveLength(3);
  });
});
