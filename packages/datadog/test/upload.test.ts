/**
 * uploadTestFile end to end, against a loopback Datadog API that opens, completes and aborts multipart uploads on
 * the loopback S3 (test-support/storage-server.ts), as Datadog does on its bucket. What a user must be able to count
 * on: the bytes arrive, every input kind works, and after any failure no multipart upload is left open.
 */
import { createHash, randomBytes } from "node:crypto";
import { closeSync, mkdtempSync, openSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DATADOG_API_KEY, DATADOG_APP_KEY, type DatadogOperation, type FakeDatadog, startFakeDatadog } from "../../../test-support/loopback-api.js";
import { type StorageServer, startStorageServer } from "../../../test-support/storage-server.js";
import { peakInFlight, webStreamOf } from "../../../test-support/uploads.js";
import {
  AbortedError,
  type AbortFailure,
  createDatadogClient,
  type DatadogClient,
  InvalidRequestError,
  MalformedResponseError,
  PresignError,
  ServerError,
  StorageError,
  type TransferProgress,
  type UploadTestFileInput,
  uploadTestFile,
} from "../src/index.js";

const MiB = 1024 * 1024;
const PUBLIC_ID = "abc-def-123";
/** Three parts at the smallest part size S3 allows: 5 MiB, 5 MiB and 2 MiB. */
const FILE_SIZE = 12 * MiB;
const PART_SIZE = 5 * MiB;
const TEST_TIMEOUT = 30_000;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

let storage: StorageServer;
let api: FakeDatadog;
let client: DatadogClient;
/** The file most tests upload: random, so a part sent in the wrong place shows. */
const FILE = new Uint8Array(randomBytes(FILE_SIZE));

let temp: string;
beforeAll(() => {
  temp = mkdtempSync(join(tmpdir(), "presign-datadog-upload-"));
});
afterAll(() => rmSync(temp, { recursive: true, force: true }));

beforeEach(async () => {
  storage = await startStorageServer();
  api = await startFakeDatadog(storage);
  // Quick retries, so a test of a failing call does not wait out real backoff.
  client = createDatadogClient({ apiKey: DATADOG_API_KEY, appKey: DATADOG_APP_KEY, baseUrl: api.origin, retry: { baseDelay: 5, maxDelay: 20 } });
});

afterEach(async () => {
  // Whatever the test: no provider credential ever reached the storage.
  for (const request of storage.requests) {
    for (const name of ["dd-api-key", "dd-application-key", "authorization", "cookie"]) expect(request.headers).not.toHaveProperty(name);
    expect(JSON.stringify(request)).not.toContain(DATADOG_API_KEY);
    expect(JSON.stringify(request)).not.toContain(DATADOG_APP_KEY);
  }
  await api.close();
  await storage.close();
});

const upload = (input: Partial<UploadTestFileInput> = {}) =>
  uploadTestFile(client, { publicId: PUBLIC_ID, bucketKeyPrefix: "api-upload-file", file: FILE, partSize: PART_SIZE, ...input });

async function rejection(promise: Promise<unknown>): Promise<PresignError> {
  const error = await promise.then(
    () => expect.fail("expected the upload to fail"),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(PresignError);
  return error as PresignError;
}

/** A digest to compare uploads by: vitest's diff of two 12 MiB arrays would take minutes. */
const digestOf = (bytes: Uint8Array | undefined) => bytes && createHash("sha256").update(bytes).digest("hex");
/** What the storage holds at the key of the n-th upload the API opened. */
const storedDigest = (n = 1) => digestOf(storage.getObject(`org-2/api-upload-file/${PUBLIC_ID}/upload-${n}.bin`));

const callsOf = (operation: DatadogOperation) => api.calls.filter((call) => call.operation === operation);
const partPuts = (partNumber: number) => storage.requests.filter((r) => r.method === "PUT" && r.query.partNumber === String(partNumber));
const puts = () => storage.requests.filter((r) => r.method === "PUT");

/** After a failure: the upload Datadog opened was aborted, and the storage holds no open multipart upload. */
function expectNoOrphan() {
  expect(api.opened).toHaveLength(1);
  expect(callsOf("abort").map((call) => call.body)).toEqual(api.opened);
  expect(storage.openUploads()).toEqual([]);
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

describe("success", () => {
  it(
    "uploads the file in parts, completes with every ETag and returns the bucketKey",
    async () => {
      const result = await upload();
      expect(result).toEqual({ bucketKey: `api-upload-file/${PUBLIC_ID}/upload-1.bin` });
      expect(storedDigest()).toBe(digestOf(FILE));
      expect(storage.openUploads()).toEqual([]);
      expect(api.calls.map((call) => call.operation)).toEqual(["presign", "complete"]);

      const [presign, complete] = api.calls;
      expect(presign!.body.bucketKeyPrefix).toBe("api-upload-file");
      expect(presign!.body.parts.map((part: { partNumber: number }) => part.partNumber)).toEqual([1, 2, 3]);
      // Each part PUT carries the Content-MD5 declared for it, and no Content-Type.
      for (const { md5, partNumber } of presign!.body.parts) {
        const [put] = partPuts(partNumber);
        expect(put).toMatchObject({ status: 200, headers: { "content-md5": md5 } });
        expect(put!.headers).not.toHaveProperty("content-type");
      }
      expect(complete!.body.parts).toEqual([1, 2, 3].map((n) => ({ ETag: expect.stringMatching(/^"[0-9a-f]{32}"$/), PartNumber: n })));
    },
    TEST_TIMEOUT,
  );

  const inputs: { name: string; file: () => UploadTestFileInput["file"] }[] = [
    {
      name: "a file path",
      file: () => {
        const path = join(temp, "input.bin");
        writeFileSync(path, FILE);
        return path;
      },
    },
    { name: "a Blob with a type (which must not become a Content-Type)", file: () => new Blob([FILE], { type: "application/json" }) },
    { name: "an ArrayBuffer", file: () => FILE.slice().buffer },
    { name: "a web ReadableStream", file: () => webStreamOf(chunksOf(FILE)) },
    { name: "a Node Readable", file: () => Readable.from(chunksOf(FILE).map((chunk) => Buffer.from(chunk))) },
  ];
  it.each(inputs)(
    "uploads $name",
    async ({ file }) => {
      await upload({ file: file() });
      expect(storedDigest()).toBe(digestOf(FILE));
      for (const put of puts()) expect(put.headers).not.toHaveProperty("content-type");
    },
    TEST_TIMEOUT,
  );

  it("uploads an empty file as one empty part", async () => {
    await upload({ file: new Uint8Array(0) });
    expect(api.calls[0]!.body.parts).toEqual([{ md5: "1B2M2Y8AsgTpgAmY7PhCfg==", partNumber: 1 }]);
    expect(storedDigest()).toBe(digestOf(new Uint8Array(0)));
  });

  it(
    "puts back the quotes of an ETag the storage sent without them",
    async () => {
      const unquoting: typeof fetch = async (input, init) => {
        const response = await fetch(input, init);
        const headers = new Headers(response.headers);
        headers.set("etag", (response.headers.get("etag") ?? "").replaceAll('"', ""));
        return new Response(response.body, { status: response.status, headers });
      };
      await upload({ fetch: unquoting });
      for (const part of callsOf("complete")[0]!.body.parts) expect(part.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    },
    TEST_TIMEOUT,
  );

  it(
    "never has more parts in flight than its concurrency, and uses all of it",
    async () => {
      const peakAtStorage = peakInFlight(storage);
      let inFlight = 0;
      let peakSent = 0;
      const counting: typeof fetch = async (input, init) => {
        peakSent = Math.max(peakSent, ++inFlight);
        try {
          return await fetch(input, init);
        } finally {
          inFlight -= 1;
        }
      };
      await upload({ file: new Uint8Array(randomBytes(30 * MiB)), concurrency: 2, fetch: counting });
      expect(puts()).toHaveLength(6);
      expect(peakAtStorage()).toBeLessThanOrEqual(2);
      expect(peakSent).toBe(2);
    },
    TEST_TIMEOUT,
  );

  it(
    "reports progress up to the file's size",
    async () => {
      const events: TransferProgress[] = [];
      await upload({ onProgress: (progress) => events.push(progress) });
      expect(events.at(-1)).toMatchObject({ bytes: FILE_SIZE, total: FILE_SIZE });
      for (const event of events) expect(event.bytes).toBeLessThanOrEqual(FILE_SIZE);
    },
    TEST_TIMEOUT,
  );
});

describe("no orphaned upload after a failure", () => {
  it(
    "a part failing past its retries: a StorageError, the part tried retries + 1 times, the upload aborted",
    async () => {
      storage.fault.failPart({ partNumber: 2, status: 500, code: "InternalError", times: 100 });
      const error = await rejection(upload({ retries: 2, concurrency: 1 }));
      expect(error).toBeInstanceOf(StorageError);
      expect(error).toMatchObject({ status: 500, storageCode: "InternalError", attempts: 3 });
      expect(partPuts(2)).toHaveLength(3);
      expect(partPuts(3)).toEqual([]);
      expectNoOrphan();
    },
    TEST_TIMEOUT,
  );

  it(
    "a part refused with a 4xx: not retried, the upload aborted",
    async () => {
      storage.fault.failPart({ partNumber: 1, status: 403, code: "AccessDenied" });
      const error = await rejection(upload());
      expect(error).toMatchObject({ kind: "storage", status: 403, code: "access_denied", attempts: 1 });
      expect(partPuts(1)).toHaveLength(1);
      expectNoOrphan();
    },
    TEST_TIMEOUT,
  );

  it(
    "completion failing: the API's error, the upload aborted",
    async () => {
      api.fail("complete", 500);
      const error = await rejection(upload());
      expect(error).toBeInstanceOf(ServerError);
      expect(error.status).toBe(500);
      expect(callsOf("complete")).toHaveLength(1);
      expectNoOrphan();
    },
    TEST_TIMEOUT,
  );

  it(
    "the caller aborting mid-upload: an AbortedError, the parts in flight stopped, the upload aborted",
    async () => {
      const controller = new AbortController();
      const onProgress = ({ bytes }: TransferProgress) => {
        if (bytes > 0) controller.abort(new Error("user pressed cancel"));
      };
      const error = await rejection(upload({ signal: controller.signal, onProgress, concurrency: 1 }));
      expect(error).toBeInstanceOf(AbortedError);
      expect(puts().length).toBeLessThan(3);
      expect(callsOf("complete")).toEqual([]);
      expectNoOrphan();
    },
    TEST_TIMEOUT,
  );

  it(
    "the caller aborting while Datadog opens the upload: the upload is aborted once its id is known, no part is sent",
    async () => {
      const controller = new AbortController();
      api.onPresign = () => controller.abort(new Error("user pressed cancel"));
      const error = await rejection(upload({ signal: controller.signal }));
      expect(error).toBeInstanceOf(AbortedError);
      expect(puts()).toEqual([]);
      expectNoOrphan();
    },
    TEST_TIMEOUT,
  );

  it(
    "the bytes changing after their MD5 was declared: BadDigest from the storage, the upload aborted",
    async () => {
      const file = FILE.slice();
      api.onPresign = () => {
        file[6 * MiB] = (file[6 * MiB]! + 1) % 256;
      };
      const error = await rejection(upload({ file }));
      expect(error).toMatchObject({ kind: "storage", status: 400, code: "bad_digest", storageCode: "BadDigest" });
      expect(partPuts(2)).toHaveLength(1);
      expectNoOrphan();
    },
    TEST_TIMEOUT,
  );

  it(
    "an answer without a URL for every part: a MalformedResponseError, the upload aborted, no part sent",
    async () => {
      api.rewritePresign = (answer) => {
        delete answer.multipart_presigned_urls_params.urls["2"];
      };
      const error = await rejection(upload());
      expect(error).toBeInstanceOf(MalformedResponseError);
      expect(puts()).toEqual([]);
      expectNoOrphan();
    },
    TEST_TIMEOUT,
  );

  it(
    "the abort failing too: the caller still gets the original error, and onAbortFailed names the upload left open",
    async () => {
      storage.fault.failPart({ partNumber: 1, status: 403, code: "AccessDenied" });
      api.fail("abort", 403);
      const failures: AbortFailure[] = [];
      const error = await rejection(upload({ onAbortFailed: (failure) => failures.push(failure) }));
      expect(error).toMatchObject({ kind: "storage", code: "access_denied" });
      const [open] = storage.openUploads();
      expect(failures).toEqual([
        { error: expect.objectContaining({ kind: "permission_denied", status: 403 }), publicId: PUBLIC_ID, key: open!.key, uploadId: open!.uploadId },
      ]);
      // What the caller can do with it: abort later.
      await client.abortTestFileMultipartUpload({ publicId: PUBLIC_ID, key: open!.key, uploadId: open!.uploadId });
      expect(storage.openUploads()).toEqual([]);
    },
    TEST_TIMEOUT,
  );
});

describe("the MD5 of each part", () => {
  it("is the same from node:crypto and from @noble/hashes (what browsers use)", async () => {
    const { md5Base64: viaNode } = await import("../src/lib/md5-node.js");
    const { md5Base64: viaNoble } = await import("../src/lib/md5-noble.js");
    for (const bytes of [new Uint8Array(0), FILE.subarray(0, 3), FILE.subarray(0, 3 * MiB + 17)]) {
      const expected = createHash("md5").update(bytes).digest("base64");
      expect(await viaNode(new Blob([bytes]))).toBe(expected);
      expect(await viaNoble(new Blob([bytes]))).toBe(expected);
    }
  });
});

describe("bad input is refused before any request", () => {
  const cases: { name: string; input: Partial<UploadTestFileInput> }[] = [
    { name: "a part size under 5 MiB", input: { partSize: 5 * MiB - 1 } },
    { name: "a part size over 5 GiB", input: { partSize: 5 * 1024 * MiB + 1 } },
    { name: "a part size that is not a whole number", input: { partSize: 5 * MiB + 0.5 } },
    { name: "a concurrency of 0", input: { concurrency: 0 } },
    { name: "negative retries", input: { retries: -1 } },
    { name: "an empty publicId", input: { publicId: "" } },
  ];
  it.each(cases)("$name", async ({ input }) => {
    const error = await rejection(upload(input));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(api.calls).toEqual([]);
    expect(storage.requests).toEqual([]);
  });

  it("a file that would need more than 10,000 parts, naming the part size that would do", async () => {
    // A sparse file of 60 GiB: nothing of it is read before the refusal.
    const path = join(temp, "sparse.bin");
    closeSync(openSync(path, "w"));
    truncateSync(path, 60 * 1024 * MiB);
    const error = await rejection(upload({ file: path, partSize: 5 * MiB }));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.message).toContain(`use a partSize of at least ${7 * MiB}`);
    expect(api.calls).toEqual([]);
  });

  it("a signal that has already fired", async () => {
    const error = await rejection(upload({ signal: AbortSignal.abort() }));
    expect(error).toBeInstanceOf(AbortedError);
    expect(api.calls).toEqual([]);
  });
});

/** A file's bytes as a stream would deliver them: uneven chunks. */
function chunksOf(bytes: Uint8Array): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let start = 0, size = 1000; start < bytes.byteLength; start += size, size = size * 2 + 1) chunks.push(bytes.subarray(start, start + size));
  return chunks;
}
