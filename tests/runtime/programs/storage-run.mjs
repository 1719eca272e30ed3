// The storage leg of the runtime matrix, shared by every runtime: uploadTestFile with bytes in memory (multipart
// through Datadog's presigned part URLs), then download() of a test file through getTestFileDownloadUrl into a web
// WritableStream that hashes what it is given. The test hands it the API's address and what to move; it reports
// what happened, and the test checks it against what the storage and the API saw.
import { createDatadogClient, download, presigned, StorageError, uploadTestFile } from "@presign/all";
import { patternBytes } from "./storage-bytes.mjs";

/** An error as the test compares it: the fields a user would read. */
export function describeError(error) {
  return {
    name: error?.name ?? "Error",
    kind: error?.kind,
    code: error?.code,
    storageCode: error?.storageCode,
    isStorageError: error instanceof StorageError,
    message: String(error?.message ?? error),
    cause: error?.cause ? String(error.cause?.message ?? error.cause) : undefined,
  };
}

const hex = (buffer) => Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, "0")).join("");

/** A WritableStream that keeps at most `limit` bytes (a storage may send more than it said) and hashes them at the end. */
function hashingSink(limit) {
  const chunks = [];
  let received = 0;
  let closed = false;
  const stream = new WritableStream({
    write(chunk) {
      received += chunk.byteLength;
      if (received > limit) throw new Error(`more than the ${limit} bytes expected`);
      // A copy: the writer may reuse its buffer once write() returns.
      chunks.push(chunk.slice());
    },
    close() {
      closed = true;
    },
  });
  async function digest() {
    const whole = new Uint8Array(received);
    let offset = 0;
    for (const chunk of chunks) {
      whole.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return { bytes: received, closed, sha256: hex(await crypto.subtle.digest("SHA-256", whole)) };
  }
  return { stream, digest };
}

/** Progress events, summed up: how many, and the last one. */
function progressLog() {
  const log = { events: 0, last: undefined };
  return { log, onProgress: (progress) => Object.assign(log, { events: log.events + 1, last: { ...progress } }) };
}

async function uploadStep(client, { publicId, upload }) {
  const bytes = patternBytes(upload.size, upload.seed);
  const { log, onProgress } = progressLog();
  try {
    const { bucketKey } = await uploadTestFile(client, {
      publicId,
      bucketKeyPrefix: "api-upload-file",
      file: bytes,
      partSize: upload.partSize,
      onProgress,
    });
    return { ok: true, bucketKey, sha256: hex(await crypto.subtle.digest("SHA-256", bytes)), progress: log };
  } catch (error) {
    return { ok: false, error: describeError(error), progress: log };
  }
}

async function downloadStep(client, { publicId, download: wanted }) {
  const sink = hashingSink(wanted.size);
  const { log, onProgress } = progressLog();
  try {
    const url = presigned(await client.getTestFileDownloadUrl({ publicId, bucketKey: wanted.bucketKey }));
    const result = await download(url, sink.stream, { onProgress });
    return { ok: true, result, received: await sink.digest(), url: { method: url.method, expiresAtSource: url.expiresAtSource }, progress: log };
  } catch (error) {
    return { ok: false, error: describeError(error), received: await sink.digest(), progress: log };
  }
}

/**
 * payload: { apiBase, apiKey, appKey, publicId, upload: { size, partSize, seed }, download?: { bucketKey, size } }.
 * Never throws: a failure is part of the result.
 */
export async function runStorage(payload) {
  const client = createDatadogClient({
    apiKey: payload.apiKey,
    appKey: payload.appKey,
    baseUrl: payload.apiBase,
    // A failing call in the test need not wait out real backoff.
    retry: { baseDelay: 5, maxDelay: 20 },
  });
  const upload = await uploadStep(client, payload);
  const downloaded = payload.download ? await downloadStep(client, payload) : undefined;
  return { upload, download: downloaded };
}
