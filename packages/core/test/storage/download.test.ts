import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type StorageServer, startStorageServer } from "../../../../test-support/storage-server.js";
import {
  AbortedError,
  ConnectionError,
  download,
  InvalidRequestError,
  type PresignClientBase,
  presigned,
  StorageError,
  TimeoutError,
  type TransferProgress,
} from "../../src/index.js";
import { type ApiDefinition, createPresignClient, type Profile } from "../../src/internal.js";

const MiB = 1024 * 1024;

let storage: StorageServer;
let dir: string;

beforeEach(async () => {
  storage = await startStorageServer();
  dir = await mkdtemp(join(tmpdir(), "presign-download-"));
});

afterEach(async () => {
  await storage.close();
  await rm(dir, { recursive: true, force: true });
});

/** Bytes that differ from position to position, so a misplaced resume shows. */
function patterned(size: number, seed = 7): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed + (i >> 12)) & 0xff;
  return bytes;
}

/** Seeds an object and presigns a GET for it. */
function seeded(key: string, size: number): { bytes: Uint8Array; url: string; etag: string } {
  const bytes = patterned(size);
  const { etag } = storage.putObject(key, bytes);
  return { bytes, url: storage.presign({ method: "GET", key }), etag };
}

/** A Node Writable that keeps what it is given. */
function collector() {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  return { stream, bytes: () => new Uint8Array(Buffer.concat(chunks)) };
}

/** A fetch that counts the body bytes each response delivered to the download. */
function countingFetch() {
  const received: number[] = [];
  const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await fetch(input, init);
    const index = received.push(0) - 1;
    if (!response.body) return response;
    const counted = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          received[index]! += chunk.byteLength;
          controller.enqueue(chunk);
        },
      }),
    );
    return new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
  }) as typeof fetch;
  return { fetch: fetchFn, received };
}

/** Compares bytes without vitest's deep equality, which crawls over megabytes and prints them on failure. */
function expectSameBytes(actual: Uint8Array, expected: Uint8Array) {
  expect(actual.byteLength).toBe(expected.byteLength);
  expect(Buffer.compare(actual, expected), "the bytes differ").toBe(0);
}

const gets = () => storage.requests.filter((request) => request.method === "GET");

describe("download to every kind of target", () => {
  it("a file path", async () => {
    const { bytes, url, etag } = seeded("a.bin", 3 * MiB + 17);
    const path = join(dir, "a.bin");
    const result = await download(url, path);
    expect(result).toEqual({ bytes: bytes.byteLength, etag, resumes: 0, refreshes: 0 });
    expectSameBytes(new Uint8Array(await readFile(path)), bytes);
  });

  it("a Node Writable, which is ended", async () => {
    const { bytes, url } = seeded("b.bin", MiB);
    const target = collector();
    await download(new URL(url), target.stream);
    expectSameBytes(target.bytes(), bytes);
    expect(target.stream.writableFinished).toBe(true);
  });

  it("a web WritableStream, which is closed", async () => {
    const { bytes, url } = seeded("c.bin", MiB + 1);
    const chunks: Uint8Array[] = [];
    let closed = false;
    const target = new WritableStream<Uint8Array>({
      write: (chunk) => {
        chunks.push(chunk);
      },
      close: () => {
        closed = true;
      },
    });
    await download(url, target);
    expectSameBytes(new Uint8Array(Buffer.concat(chunks)), bytes);
    expect(closed).toBe(true);
  });

  it("an empty object", async () => {
    const { url } = seeded("empty.bin", 0);
    const path = join(dir, "empty.bin");
    expect(await download(url, path)).toMatchObject({ bytes: 0 });
    expect((await stat(path)).size).toBe(0);
  });

  it("sends the PresignedUrl's own headers", async () => {
    const { url } = seeded("h.bin", 10);
    await download({ url, method: "GET", headers: { "x-custom": "yes" }, expiresAtSource: "unknown" }, collector().stream);
    expect(gets()[0]!.headers["x-custom"]).toBe("yes");
  });
});

describe("resume", () => {
  it("after a reset, fetches only the missing bytes, guarded by If-Match", async () => {
    const size = 4 * MiB;
    const { bytes, url, etag } = seeded("r.bin", size);
    storage.fault.resetMidBody({ key: "r.bin", afterBytes: MiB + 5 });
    const counting = countingFetch();
    const path = join(dir, "r.bin");
    const result = await download(url, path, { fetch: counting.fetch });

    expect(result).toMatchObject({ bytes: size, resumes: 1, refreshes: 0, etag });
    expectSameBytes(new Uint8Array(await readFile(path)), bytes);
    const [first, second] = gets();
    expect(first!.headers.range).toBeUndefined();
    const got = counting.received[0]!;
    expect(got).toBeGreaterThan(0);
    expect(got).toBeLessThanOrEqual(MiB + 5);
    expect(second).toMatchObject({ status: 206, headers: { range: `bytes=${got}-`, "if-match": etag } });
    // Not one byte fetched twice.
    expect(counting.received[1]).toBe(size - got);
  });

  it("after a stall longer than idleTimeout", async () => {
    const { bytes, url } = seeded("s.bin", MiB);
    storage.fault.stallMidBody({ key: "s.bin", afterBytes: 200_000 });
    const target = collector();
    const started = Date.now();
    const result = await download(url, target.stream, { idleTimeout: 300 });
    expect(result.resumes).toBe(1);
    expectSameBytes(target.bytes(), bytes);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("after a 5xx", async () => {
    const { bytes, url } = seeded("5.bin", 1000);
    storage.fault.failRequest({ key: "5.bin", method: "GET", status: 503, code: "SlowDown" });
    const target = collector();
    expect(await download(url, target.stream)).toMatchObject({ resumes: 1 });
    expectSameBytes(target.bytes(), bytes);
  });

  it("gives up after maxResumes with a ConnectionError", async () => {
    const { url } = seeded("x.bin", MiB);
    storage.fault.resetMidBody({ key: "x.bin", afterBytes: 1000, times: 10 });
    const error = await download(url, collector().stream, { maxResumes: 2 }).catch((e) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toMatch(
      /^storage: the connection broke after \d+ of 1048576 bytes \(GET http:\/\/127\.0\.0\.1:\d+\/x\.bin\?.*, 3 attempts\)$/,
    );
    expect(gets()).toHaveLength(3);
  });

  it("a stall that never ends is a TimeoutError once resumes are spent", async () => {
    const { url } = seeded("t.bin", MiB);
    storage.fault.stallMidBody({ key: "t.bin", afterBytes: 10, times: 5 });
    const error = await download(url, collector().stream, { maxResumes: 1, idleTimeout: 100 }).catch((e) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toMatch(/no byte arrived for 100 ms/);
  });

  it("refuses to mix two versions: the object changed between attempts → precondition_failed", async () => {
    const { url } = seeded("v.bin", 2 * MiB);
    storage.fault.resetMidBody({ key: "v.bin", afterBytes: 100_000 });
    let replaced = false;
    const replacing = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const response = await fetch(input, init);
      if (!replaced) {
        replaced = true;
        storage.putObject("v.bin", patterned(2 * MiB, 99));
      }
      return response;
    }) as typeof fetch;
    const error = await download(url, join(dir, "v.bin"), { fetch: replacing }).catch((e) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ code: "precondition_failed", status: 412 });
    expect(gets()[1]!.headers["if-match"]).toMatch(/^"[0-9a-f]{32}"$/);
  });

  it("does not resume a compressed body, whose decoded offsets Range cannot ask for", async () => {
    let calls = 0;
    const compressed = (async () => {
      calls++;
      let pulls = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (pulls++ === 0) controller.enqueue(new Uint8Array(1000));
          else controller.error(new TypeError("terminated"));
        },
      });
      return new Response(body, { status: 200, headers: { "content-encoding": "gzip", etag: '"abc"' } });
    }) as typeof fetch;
    const error = await download("https://files.example/f.csv", collector().stream, { fetch: compressed }).catch((e) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toMatch(/the connection broke after 1000 bytes/);
    expect(calls).toBe(1);
  });

  it("fails clearly when the storage ignores Range on a resume", async () => {
    const { url } = seeded("i.bin", MiB);
    storage.fault.resetMidBody({ key: "i.bin", afterBytes: 50_000 });
    const rangeBlind = ((input: RequestInfo | URL, init?: RequestInit) => {
      const headers = new Headers(init?.headers);
      headers.delete("range");
      return fetch(input, { ...init, headers });
    }) as typeof fetch;
    const error = await download(url, collector().stream, { fetch: rangeBlind }).catch((e) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect(error.message).toMatch(/the storage ignored Range on a resume, after \d+ bytes were written/);
  });
});

describe("expiry", () => {
  it("refreshes an URL that expired mid-download, and resumes", async () => {
    const { bytes, url } = seeded("e.bin", 2 * MiB);
    storage.fault.resetMidBody({ key: "e.bin", afterBytes: 300_000 });
    // The first GET works; every later request with a URL issued so far finds it expired.
    storage.fault.expire("e.bin", { issuedSoFar: true, afterRequests: 1 });
    let refreshes = 0;
    const refresh = async () => {
      refreshes++;
      return storage.presign({ method: "GET", key: "e.bin" });
    };
    const target = collector();
    const result = await download(url, target.stream, { refresh });
    expect(result).toMatchObject({ refreshes: 1, resumes: 2, bytes: bytes.byteLength });
    expect(refreshes).toBe(1);
    expectSameBytes(target.bytes(), bytes);
    expect(gets().map((request) => request.status)).toEqual([200, 403, 206]);
  });

  it("refreshes before the first request when expiresAt has passed", async () => {
    const { bytes, url } = seeded("p.bin", 1000);
    const stale = {
      url: `${url}&stale=1`,
      method: "GET" as const,
      headers: {},
      expiresAt: new Date(Date.now() - 1000),
      expiresAtSource: "url" as const,
    };
    const target = collector();
    const result = await download(stale, target.stream, { refresh: async () => url });
    expect(result).toMatchObject({ refreshes: 1, resumes: 0 });
    expectSameBytes(target.bytes(), bytes);
    expect(gets()).toHaveLength(1);
    expect(gets()[0]!.query.stale).toBeUndefined();
  });

  it("without refresh, an expired URL is a StorageError 'expired' that hides the signature", async () => {
    seeded("n.bin", 1000);
    const url = storage.presign({ method: "GET", key: "n.bin", date: new Date(Date.now() - 3600_000), expiresIn: 60 });
    const signature = new URL(url).searchParams.get("X-Amz-Signature")!;
    const error = await download(url, collector().stream).catch((e) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ code: "expired", status: 403, storage: "s3", attempts: 1 });
    expect(error.message).toContain("the presigned URL has expired; get a fresh one");
    expect(JSON.stringify(error) + error.message + error.stack).not.toContain(signature);
  });
});

describe("errors", () => {
  it("another 4xx fails at once, typed", async () => {
    const url = storage.presign({ method: "GET", key: "missing.bin" });
    const error = await download(url, collector().stream).catch((e) => e);
    expect(error).toMatchObject({ kind: "storage", code: "not_found", status: 404, storageCode: "NoSuchKey" });
    expect(gets()).toHaveLength(1);
  });

  it("refuses bad input before any request", async () => {
    const { url } = seeded("bad.bin", 10);
    const stream = collector().stream;
    const cases: [unknown, unknown, unknown, RegExp][] = [
      ["not a url", stream, {}, /not an http\(s\) URL/],
      ["ftp://x/y", stream, {}, /not an http\(s\) URL/],
      [42, stream, {}, /the source must be a URL/],
      [{ url, method: "PUT", headers: {} }, stream, {}, /signed for PUT, not GET/],
      [{ url, method: "GET", headers: { a: 1 } }, stream, {}, /headers must map names to strings/],
      [url, {}, {}, /the target must be a file path, a WritableStream or a Node Writable/],
      [url, "", {}, /the target must be/],
      [url, stream, { maxResumes: -1 }, /maxResumes/],
      [url, stream, { maxResumes: 1.5 }, /maxResumes/],
      [url, stream, { idleTimeout: 0 }, /idleTimeout/],
      [url, stream, { refresh: "soon" }, /refresh must be a function/],
      [url, stream, { onProgress: 1 }, /onProgress must be a function/],
      [url, join(dir, "no-such-dir", "f.bin"), {}, /cannot write to .*no-such-dir.* \(ENOENT\)/],
    ];
    for (const [source, target, options, message] of cases) {
      const error = await download(source as never, target as never, options as never).catch((e) => e);
      expect(error, String(message)).toBeInstanceOf(InvalidRequestError);
      expect(error.message).toMatch(message);
    }
    const locked = new WritableStream();
    locked.getWriter();
    await expect(download(url, locked)).rejects.toThrow(/locked/);
    expect(storage.requests).toHaveLength(0);
  });

  it("never sends a provider credential to the storage host", async () => {
    const { bytes } = seeded("cred.bin", 5000);
    const storageUrl = storage.presign({ method: "GET", key: "cred.bin" });
    const api: ApiDefinition = {
      server: { url: "https://api.example.com", variables: {} },
      auth: { key: { option: "apiKey", in: "header", name: "X-Api-Key" }, bearer: { option: "token", in: "bearer" } },
      operations: {
        getUrl: { method: "GET", path: "/url", fields: [], security: [["key", "bearer"]], presigned: { method: "GET", url: "/url" } },
      },
    };
    const profile: Profile = { provider: "acme", userAgent: "acme-test", errorOf: () => undefined };
    const apiFetch = (async () => Response.json({ url: storageUrl })) as typeof fetch;
    const client = createPresignClient<PresignClientBase<Record<string, never>> & { getUrl(): Promise<object> }>(api, profile, {
      apiKey: "SECRET-API-KEY-1234",
      token: "SECRET-BEARER-5678",
      fetch: apiFetch,
    } as never);
    const result = await client.getUrl();
    storage.fault.resetMidBody({ key: "cred.bin", afterBytes: 100 });
    const target = collector();
    await download(presigned(result), target.stream);
    expectSameBytes(target.bytes(), bytes);
    expect(gets()).toHaveLength(2);
    for (const request of storage.requests) {
      expect(Object.keys(request.headers).sort()).not.toContain("x-api-key");
      expect(request.headers.authorization).toBeUndefined();
      expect(JSON.stringify(request)).not.toMatch(/SECRET-|acme-test/);
    }
  });
});

describe("abort", () => {
  it("fails with an AbortedError at once, and leaves the file as it is", async () => {
    const { url } = seeded("ab.bin", 8 * MiB);
    storage.fault.stallMidBody({ key: "ab.bin", afterBytes: 2 * MiB });
    const controller = new AbortController();
    const path = join(dir, "ab.bin");
    let firstBytes: number | undefined;
    const pending = download(url, path, {
      signal: controller.signal,
      onProgress: ({ bytes }) => {
        firstBytes ??= bytes;
      },
    });
    // Abort while the storage holds the connection open after 2 MiB.
    while (firstBytes === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    controller.abort(new Error("user cancelled"));
    const error = await pending.catch((e) => e);
    expect(error).toBeInstanceOf(AbortedError);
    expect(error.message).toBe("storage: the download was aborted");
    expect(Date.now() - started).toBeLessThan(1_000);
    // Give the file a moment to be closed, then check what is left: the bytes that arrived.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const { size } = await stat(path);
    expect(size).toBeGreaterThan(0);
    expect(size).toBeLessThanOrEqual(2 * MiB);
  });

  it("an aborted signal sends nothing", async () => {
    const { url } = seeded("ab2.bin", 10);
    const error = await download(url, collector().stream, { signal: AbortSignal.abort() }).catch((e) => e);
    expect(error).toBeInstanceOf(AbortedError);
    expect(storage.requests).toHaveLength(0);
  });

  it("aborts during the backoff before a resume", async () => {
    const { url } = seeded("ab3.bin", MiB);
    storage.fault.resetMidBody({ key: "ab3.bin", afterBytes: 10, times: 10 });
    const controller = new AbortController();
    const pending = download(url, collector().stream, { signal: controller.signal, maxResumes: 10 });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
  });
});

describe("progress", () => {
  it("reports bytes, total and rate, throttled, ending with the whole size", async () => {
    const size = 16 * MiB;
    const { url } = seeded("pr.bin", size);
    storage.fault.resetMidBody({ key: "pr.bin", afterBytes: 4 * MiB });
    const events: TransferProgress[] = [];
    const started = Date.now();
    await download(url, collector().stream, { onProgress: (progress) => events.push(progress) });
    const elapsed = Date.now() - started;
    expect(events.at(-1)).toMatchObject({ bytes: size, total: size });
    expect(events.every((event, i) => i === 0 || event.bytes >= events[i - 1]!.bytes)).toBe(true);
    expect(events.every((event) => event.rate >= 0)).toBe(true);
    expect(events.at(-1)!.rate).toBeGreaterThan(0);
    // About ten a second, plus the last.
    expect(events.length).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 2);
  });
});

describe("memory", () => {
  it("stays bounded while 128 MiB go to a Node Writable that discards them", async () => {
    const size = 128 * MiB;
    // Filled, so its pages are resident before the baseline: untouched zero pages would count as growth once served.
    storage.putObject("big.bin", new Uint8Array(size).fill(1));
    const url = storage.presign({ method: "GET", key: "big.bin" });
    // A first small download warms up the JIT, fetch and the server, which would otherwise count too.
    const { url: warmUp } = seeded("warm.bin", 4 * MiB);
    await download(warmUp, collector().stream);
    let written = 0;
    const discard = new Writable({
      highWaterMark: 64 * 1024,
      write(chunk: Buffer, _encoding, done) {
        written += chunk.length;
        // A consumer slower than loopback, so backpressure matters.
        setImmediate(done);
      },
    });
    globalThis.gc?.();
    const usage = () => {
      const { rss, arrayBuffers } = process.memoryUsage();
      return rss + arrayBuffers;
    };
    const baseline = usage();
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, usage());
    }, 20);
    try {
      expect(await download(url, discard)).toMatchObject({ bytes: size });
    } finally {
      clearInterval(sampler);
    }
    expect(written).toBe(size);
    expect(peak - baseline).toBeLessThan(64 * MiB);
  }, 60_000);
});
