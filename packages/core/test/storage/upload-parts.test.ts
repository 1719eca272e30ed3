/**
 * uploadParts and putObject against the loopback S3: exactly the signed headers on the wire, a bounded pool,
 * bounded retries, the first final failure stopping the rest, ETags (and a browser that cannot see them), progress.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type StorageServer, startStorageServer } from "../../../../test-support/storage-server.js";
import { patternedBytes, peakInFlight } from "../../../../test-support/uploads.js";
import { AbortedError, ConnectionError, InvalidRequestError, PresignError, TimeoutError, type TransferProgress } from "../../src/index.js";
import { StorageError } from "../../src/storage/errors.js";
import { openSource } from "../../src/storage/source.js";
import { type PartToUpload, putObject, type UploadPartsInput, uploadParts } from "../../src/storage/upload-parts.js";

const KiB = 1024;
const KEY = "uploads/report.csv";

let storage: StorageServer;
beforeEach(async () => {
  storage = await startStorageServer();
});
afterEach(async () => {
  vi.unstubAllGlobals();
  await storage.close();
});

const md5Base64 = async (bytes: Uint8Array) => {
  const { createHash } = await import("node:crypto");
  return createHash("md5").update(bytes).digest("base64");
};

/** A multipart upload of `bytes` on the storage, split into parts of `partSize`, each URL signed with its Content-MD5. */
async function multipart(bytes: Uint8Array, partSize: number) {
  const { uploadId } = storage.createMultipartUpload(KEY);
  const parts: PartToUpload[] = [];
  for (let start = 0, partNumber = 1; start < bytes.byteLength; start += partSize, partNumber++) {
    const end = Math.min(start + partSize, bytes.byteLength);
    const contentMd5 = await md5Base64(bytes.subarray(start, end));
    const url = storage.presignPart({ key: KEY, uploadId, partNumber, contentMd5 });
    parts.push({ partNumber, url, headers: { "Content-MD5": contentMd5 }, start, end });
  }
  return { uploadId, parts, source: await openSource(bytes) };
}

const partPuts = (partNumber: number) => storage.requests.filter((r) => r.method === "PUT" && r.query.partNumber === String(partNumber));
const puts = () => storage.requests.filter((r) => r.method === "PUT");

async function rejection(promise: Promise<unknown>): Promise<PresignError> {
  const error = await promise.then(
    () => expect.fail("expected a rejection"),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(PresignError);
  return error as PresignError;
}

/** A fetch that counts the requests it has sent and not yet had an answer to. */
function countingFetch() {
  let inFlight = 0;
  let peak = 0;
  const counting: typeof fetch = async (input, init) => {
    peak = Math.max(peak, ++inFlight);
    try {
      return await fetch(input, init);
    } finally {
      inFlight -= 1;
    }
  };
  return { fetch: counting, peak: () => peak };
}

/** A fetch whose responses lose their ETag header, as a browser shows them when the bucket's CORS does not expose it. */
const fetchHidingEtag: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const headers = new Headers(response.headers);
  headers.delete("etag");
  return new Response(response.body, { status: response.status, headers });
};

/** A server on 127.0.0.1 that answers each request with `answer` (or never, if it does nothing). */
async function rawServer(answer: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server }> {
  const server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/part?X-Amz-Signature=c0ffee0123456789`, server };
}

const closeServer = (server: Server) => {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(resolve));
};

describe("uploadParts: success", () => {
  it("PUTs every part and returns their ETags in part order; the storage can complete the upload", async () => {
    const bytes = patternedBytes(300 * KiB);
    const { uploadId, parts, source } = await multipart(bytes, 64 * KiB);
    const uploaded = await uploadParts({ source, parts: [...parts].reverse() });
    expect(uploaded.map((part) => part.partNumber)).toEqual([1, 2, 3, 4, 5]);
    for (const part of uploaded) expect(part.etag).toMatch(/^"[0-9a-f]{32}"$/);
    storage.completeMultipartUpload({ key: KEY, uploadId, parts: uploaded.map(({ partNumber, etag }) => ({ partNumber, etag: etag! })) });
    expect(storage.getObject(KEY)).toEqual(bytes);
  });

  it("sends exactly the signed headers: Content-MD5 and a Content-Length, no Content-Type, nothing that authenticates", async () => {
    const bytes = patternedBytes(100 * KiB);
    const { parts } = await multipart(bytes, 64 * KiB);
    // A typed Blob: its type must not become a Content-Type, which the URL was not signed with.
    await uploadParts({ source: await openSource(new Blob([bytes], { type: "text/csv" })), parts });
    for (const request of puts()) {
      const part = parts.find((p) => String(p.partNumber) === request.query.partNumber)!;
      expect(request.status).toBe(200);
      expect(request.headers["content-md5"]).toBe(part.headers["Content-MD5"]);
      expect(request.headers["content-length"]).toBe(String(part.end - part.start));
      for (const name of ["content-type", "authorization", "cookie", "dd-api-key", "x-api-key"]) expect(request.headers).not.toHaveProperty(name);
    }
  });

  it("never has more parts in flight than its concurrency, and uses all of it", async () => {
    const peakAtStorage = peakInFlight(storage);
    const counted = countingFetch();
    const { parts, source } = await multipart(patternedBytes(2048 * KiB), 128 * KiB);
    await uploadParts({ source, parts, concurrency: 3, fetch: counted.fetch });
    expect(puts()).toHaveLength(16);
    expect(peakAtStorage()).toBeLessThanOrEqual(3);
    expect(counted.peak()).toBe(3);
  });

  it("returns an absent ETag as undefined outside a browser (Azure blocks send none)", async () => {
    const { parts, source } = await multipart(patternedBytes(10 * KiB), 8 * KiB);
    const uploaded = await uploadParts({ source, parts, fetch: fetchHidingEtag });
    expect(uploaded).toEqual([
      { partNumber: 1, etag: undefined },
      { partNumber: 2, etag: undefined },
    ]);
  });

  it("cancels an endless success body instead of reading it", async () => {
    const { url, server } = await rawServer((_request, response) => {
      response.writeHead(200, { etag: '"abc"' });
      const flood = () => response.write(Buffer.alloc(64 * KiB), () => setImmediate(flood));
      flood();
    });
    try {
      const source = await openSource(patternedBytes(KiB));
      const uploaded = await uploadParts({ source, parts: [{ partNumber: 1, url, headers: {}, start: 0, end: KiB }] });
      expect(uploaded).toEqual([{ partNumber: 1, etag: '"abc"' }]);
    } finally {
      await closeServer(server);
    }
  });
});

describe("uploadParts: retries and failures", () => {
  it("retries a part after a 5xx and succeeds; the other parts go once", async () => {
    storage.fault.failPart({ partNumber: 2, status: 500, code: "InternalError", times: 2 });
    const { parts, source } = await multipart(patternedBytes(30 * KiB), 10 * KiB);
    const uploaded = await uploadParts({ source, parts, retries: 2 });
    expect(uploaded).toHaveLength(3);
    expect(partPuts(2).map((r) => r.status)).toEqual([500, 500, 200]);
    expect(partPuts(1)).toHaveLength(1);
    expect(partPuts(3)).toHaveLength(1);
  });

  it("gives up after its retries with a StorageError, and starts no part after the failure", async () => {
    storage.fault.failPart({ partNumber: 2, status: 503, code: "SlowDown", times: 100 });
    const { parts, source } = await multipart(patternedBytes(50 * KiB), 10 * KiB);
    const error = await rejection(uploadParts({ source, parts, retries: 2, concurrency: 1 }));
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ status: 503, code: "other", storageCode: "SlowDown", attempts: 3 });
    expect(partPuts(2)).toHaveLength(3);
    for (const partNumber of [3, 4, 5]) expect(partPuts(partNumber)).toEqual([]);
  });

  it("does not retry a 4xx, and its message shows the URL without its signature", async () => {
    storage.fault.failPart({ partNumber: 1, status: 403, code: "AccessDenied" });
    const { parts, source } = await multipart(patternedBytes(10 * KiB), 10 * KiB);
    const error = await rejection(uploadParts({ source, parts }));
    expect(error).toMatchObject({ kind: "storage", status: 403, code: "access_denied", attempts: 1 });
    expect(partPuts(1)).toHaveLength(1);
    const signature = new URL(parts[0]!.url).searchParams.get("X-Amz-Signature")!;
    expect(error.message).not.toContain(signature);
    expect(JSON.stringify(error)).not.toContain(signature);
    expect(error.message).toContain("X-Amz-Signature=[REDACTED]");
  });

  it("fails with the storage's word when the bytes do not match the signed Content-MD5 (BadDigest)", async () => {
    const bytes = patternedBytes(20 * KiB);
    const { parts } = await multipart(bytes, 10 * KiB);
    const changed = bytes.slice();
    changed[15 * KiB] = (changed[15 * KiB]! + 1) % 256;
    const error = await rejection(uploadParts({ source: await openSource(changed), parts }));
    expect(error).toMatchObject({ kind: "storage", status: 400, code: "bad_digest", storageCode: "BadDigest" });
  });

  it("reports an expired part URL as expired, without retrying it", async () => {
    storage.fault.expire(KEY);
    const { parts, source } = await multipart(patternedBytes(10 * KiB), 10 * KiB);
    const error = await rejection(uploadParts({ source, parts }));
    expect(error).toMatchObject({ kind: "storage", status: 403, code: "expired" });
    expect(puts()).toHaveLength(1);
  });

  it("fails with a ConnectionError after its retries when the storage cannot be reached", async () => {
    const { url, server } = await rawServer(() => {});
    await closeServer(server);
    const source = await openSource(patternedBytes(KiB));
    const error = await rejection(uploadParts({ source, parts: [{ partNumber: 1, url, headers: {}, start: 0, end: KiB }], retries: 1 }));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ attempts: 2 });
    expect(error.message).toContain("ECONNREFUSED");
    expect(error.message).not.toContain("c0ffee0123456789");
  });

  it("abandons an attempt that gets no answer within idleTimeout, retries it, then fails with a TimeoutError", async () => {
    let received = 0;
    const { url, server } = await rawServer((request) => {
      received += 1;
      request.resume(); // reads the body, never answers
    });
    try {
      const source = await openSource(patternedBytes(KiB));
      const parts = [{ partNumber: 1, url, headers: {}, start: 0, end: KiB }];
      const error = await rejection(uploadParts({ source, parts, retries: 1, idleTimeout: 200 }));
      expect(error).toBeInstanceOf(TimeoutError);
      expect(error).toMatchObject({ attempts: 2 });
      expect(received).toBe(2);
    } finally {
      await closeServer(server);
    }
  });

  it("fails at once with an InvalidRequestError when the file changes under the upload, without retrying", async () => {
    const dir = mkdtempSync(join(tmpdir(), "presign-parts-test-"));
    try {
      const path = join(dir, "input.bin");
      writeFileSync(path, patternedBytes(20 * KiB));
      const source = await openSource(path);
      // A file-backed Blob refuses to read a file modified after it was opened.
      writeFileSync(path, patternedBytes(30 * KiB));
      const url = storage.presign({ method: "PUT", key: KEY });
      const error = await rejection(uploadParts({ source, parts: [{ partNumber: 1, url, headers: {}, start: 0, end: 20 * KiB }] }));
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(error.message).toContain("the upload source could not be read");
      expect(puts().length).toBeLessThanOrEqual(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("fails in a browser when the ETag is hidden, naming the CORS setting that shows it", async () => {
    vi.stubGlobal("document", {});
    const { parts, source } = await multipart(patternedBytes(10 * KiB), 10 * KiB);
    const error = await rejection(uploadParts({ source, parts, fetch: fetchHidingEtag }));
    expect(error).toMatchObject({ kind: "storage", code: "etag_not_exposed" });
    expect(error.message).toContain("ExposeHeaders: ETag");
  });
});

describe("uploadParts: aborting", () => {
  it("stops at once when the caller aborts mid-upload: an AbortedError, and no part starts afterwards", async () => {
    const controller = new AbortController();
    const { parts, source } = await multipart(patternedBytes(4096 * KiB), 256 * KiB);
    const started = () => puts().length;
    let startedAtAbort = 0;
    const onProgress = ({ bytes }: TransferProgress) => {
      if (bytes > 0 && !controller.signal.aborted) {
        startedAtAbort = started();
        controller.abort(new Error("user pressed cancel"));
      }
    };
    const error = await rejection(uploadParts({ source, parts, concurrency: 2, signal: controller.signal, onProgress }));
    expect(error).toBeInstanceOf(AbortedError);
    expect(started()).toBeLessThanOrEqual(Math.max(startedAtAbort, 2));
    expect(started()).toBeLessThan(parts.length);
  });

  it("refuses to start when the signal has already fired", async () => {
    const { parts, source } = await multipart(patternedBytes(10 * KiB), 10 * KiB);
    const error = await rejection(uploadParts({ source, parts, signal: AbortSignal.abort() }));
    expect(error).toBeInstanceOf(AbortedError);
    expect(puts()).toEqual([]);
  });
});

describe("uploadParts: bad input, refused before any request", () => {
  it.each([
    { name: "a concurrency of 0", change: (input: UploadPartsInput) => Object.assign(input, { concurrency: 0 }) },
    { name: "negative retries", change: (input: UploadPartsInput) => Object.assign(input, { retries: -1 }) },
    { name: "an idleTimeout of 0", change: (input: UploadPartsInput) => Object.assign(input, { idleTimeout: 0 }) },
    { name: "a part listed twice", change: (input: UploadPartsInput) => Object.assign(input, { parts: [input.parts[0], input.parts[0]] }) },
    { name: "a range past the end", change: (input: UploadPartsInput) => Object.assign(input.parts[1]!, { end: input.source.size + 1 }) },
    { name: "part number 0", change: (input: UploadPartsInput) => Object.assign(input.parts[0]!, { partNumber: 0 }) },
    { name: "a URL that is not http(s)", change: (input: UploadPartsInput) => Object.assign(input.parts[0]!, { url: "file:///etc/passwd" }) },
    {
      name: "a header value with a line break",
      change: (input: UploadPartsInput) => Object.assign(input.parts[0]!, { headers: { "Content-MD5": "a\r\nX-Injected: 1" } }),
    },
    { name: "a source not from openSource", change: (input: UploadPartsInput) => Object.assign(input, { source: new Uint8Array(4) }) },
  ])("$name", async ({ change }) => {
    const { parts, source } = await multipart(patternedBytes(20 * KiB), 10 * KiB);
    const input: UploadPartsInput = { source, parts: parts.map((part) => ({ ...part })) };
    change(input);
    expect(await rejection(uploadParts(input))).toBeInstanceOf(InvalidRequestError);
    expect(puts()).toEqual([]);
  });
});

describe("uploadParts: progress", () => {
  /** A fetch that reads the body as a slow network would, so progress can be seen between the parts' ends. */
  const slowFetch: typeof fetch = async (input, init) => {
    const reader = (init!.body as Blob).stream().getReader();
    for (;;) {
      const { done } = await reader.read();
      if (done) break;
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    return new Response(null, { status: 200, headers: { etag: `"${String(input).length}"` } });
  };

  it("counts bytes as they are sent, up to the total, then once at the end with every byte", async () => {
    const events: TransferProgress[] = [];
    const bytes = patternedBytes(1024 * KiB);
    const { parts, source } = await multipart(bytes, 512 * KiB);
    await uploadParts({ source, parts, concurrency: 1, fetch: slowFetch, onProgress: (progress) => events.push(progress) });
    expect(events.length).toBeGreaterThan(2);
    for (const event of events) {
      expect(event.total).toBe(bytes.byteLength);
      expect(event.bytes).toBeLessThanOrEqual(bytes.byteLength);
      expect(event.rate).toBeGreaterThanOrEqual(0);
    }
    // Bytes in flight count: some event falls strictly inside a part.
    expect(events.some(({ bytes: sent }) => sent % (512 * KiB) !== 0)).toBe(true);
    expect(events.at(-1)!.bytes).toBe(bytes.byteLength);
    expect(events.some(({ rate }) => rate > 0)).toBe(true);
  });

  it("takes back the bytes of a failed attempt, and a throwing progress handler does not break the upload", async () => {
    storage.fault.failPart({ partNumber: 1, status: 500, code: "InternalError" });
    const { parts, source } = await multipart(patternedBytes(10 * KiB), 10 * KiB);
    const events: number[] = [];
    const onProgress = ({ bytes }: TransferProgress) => {
      events.push(bytes);
      throw new Error("a bug in the progress bar");
    };
    await uploadParts({ source, parts, retries: 1, onProgress });
    expect(events.at(-1)).toBe(10 * KiB);
  });
});

describe("putObject", () => {
  it("PUTs the whole source with exactly the signed headers and returns the ETag", async () => {
    const bytes = patternedBytes(100 * KiB);
    const url = storage.presign({ method: "PUT", key: KEY, signedHeaders: { "Content-Type": "text/csv" } });
    const result = await putObject({ source: await openSource(bytes), url, headers: { "Content-Type": "text/csv" } });
    expect(result.etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(storage.getObject(KEY)).toEqual(bytes);
    expect(puts()[0]!.headers["content-type"]).toBe("text/csv");
  });

  it("fails with SignatureDoesNotMatch when a header the URL was signed with is not sent", async () => {
    const url = storage.presign({ method: "PUT", key: KEY, signedHeaders: { "Content-Type": "text/csv" } });
    const error = await rejection(putObject({ source: await openSource(patternedBytes(KiB)), url, headers: {} }));
    expect(error).toMatchObject({ kind: "storage", status: 403, code: "signature_mismatch" });
  });

  it("returns no ETag, without failing, in a browser that cannot see it", async () => {
    vi.stubGlobal("document", {});
    const url = storage.presign({ method: "PUT", key: KEY });
    expect(await putObject({ source: await openSource(patternedBytes(KiB)), url, headers: {}, fetch: fetchHidingEtag })).toEqual({});
  });
});
