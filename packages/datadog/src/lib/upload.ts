/**
 * uploadTestFile: a file for a Synthetic test, through Datadog's multipart presigned URLs, that never leaves an
 * orphaned multipart upload behind. Hash every part, ask for the part URLs, PUT the parts, complete; on any failure
 * or abort after Datadog opened the upload, abort it before the error reaches the caller.
 */

import { AbortedError, InvalidRequestError, MalformedResponseError, presignedParts, type TransferProgress, type UploadSource } from "@presign/core";
import { type ByteSource, checkUploadSettings, openSource, type PartToUpload, type UploadedPart, uploadParts } from "@presign/core/internal";
import { md5Base64 } from "#md5";
import type { DatadogClient, GetTestFileMultipartPresignedUrlsInput } from "../generated/client.js";

const MiB = 1024 * 1024;
/** S3's smallest part but the last: a smaller one fails only at completion, after every byte was sent. */
const MIN_PART_SIZE = 5 * MiB;
/** S3's largest part. */
const MAX_PART_SIZE = 5 * 1024 * MiB;
/** S3's most parts in one upload. */
const MAX_PARTS = 10_000;
const DEFAULT_PART_SIZE = 8 * MiB;
/** The longest the cleanup may take: it runs after the caller's signal fired, so it needs a bound of its own. */
const ABORT_DEADLINE_MS = 30_000;

export interface UploadTestFileInput {
  /** Public ID of the Synthetic test the file is for. */
  publicId: string;
  /** A file path (Node, Bun, Deno), bytes, a Blob or File, or a web or Node stream (read to a temporary file first). */
  file: UploadSource;
  /** `api-upload-file` for an API test, `browser-upload-file-step` for a browser test's upload step. */
  bucketKeyPrefix: GetTestFileMultipartPresignedUrlsInput["bucketKeyPrefix"];
  /** Bytes per part (default 8 MiB): at least 5 MiB, at most 5 GiB, and the file in at most 10,000 parts. */
  partSize?: number;
  /** Parts sent at once (default 4). */
  concurrency?: number;
  /** Retries of each part after a 5xx, 408, 429, a broken connection or a stall (default 3). */
  retries?: number;
  /** Stops the upload: the multipart upload is aborted, then the call fails with an AbortedError. */
  signal?: AbortSignal;
  /** Progress of the part PUTs (the MD5 pass before them reads the file once, without events). */
  onProgress?: (progress: TransferProgress) => void;
  /** Sends the storage requests (default `globalThis.fetch`); the API calls go through the client. */
  fetch?: typeof fetch;
  /**
   * Called when the cleanup after a failure could not abort the multipart upload: the caller still gets the original
   * error, and this says which upload is left open, so it can be aborted later with `abortTestFileMultipartUpload`.
   */
  onAbortFailed?: (failure: AbortFailure) => void;
}

/** A multipart upload the cleanup could not abort. */
export interface AbortFailure {
  /** Why the abort failed (a PresignError). */
  error: unknown;
  publicId: string;
  key: string;
  uploadId: string;
}

export interface UploadTestFileResult {
  /** What a test's request file refers to (`bucketKey`), and what `getTestFileDownloadUrl` takes. */
  bucketKey: string;
}

/** One part as planned: its bytes in the file and their MD5, declared to Datadog before any byte is sent. */
interface PlannedPart {
  partNumber: number;
  start: number;
  end: number;
  md5: string;
}

/** A multipart upload Datadog has opened: from here on, any failure aborts it. */
interface OpenUpload {
  publicId: string;
  key: string;
  uploadId: string;
  bucketKey: string | undefined;
  /** The presign call's result, which `presignedParts` reads the part URLs (and their Content-MD5) from. */
  result: object;
}

/**
 * Uploads a file for a Synthetic test and returns its `bucketKey`. Bad input fails with an InvalidRequestError before
 * any request; once Datadog has opened the upload, a failure or abort anywhere aborts it before the error is thrown.
 */
export async function uploadTestFile(client: DatadogClient, input: UploadTestFileInput): Promise<UploadTestFileResult> {
  const partSize = checkInput(input);
  throwIfAborted(input.signal);
  const source = await openSource(input.file, { signal: input.signal });
  try {
    const plan = await planParts(source, partSize, input.signal);
    const upload = await openUpload(client, input, plan);
    return await abortingOnFailure(client, upload, input, () => sendAndComplete(client, upload, source, plan, input));
  } finally {
    await source.close().catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------------
// Before the network
// ---------------------------------------------------------------------------------------------

const invalid = (what: string) => new InvalidRequestError(`datadog: ${what}`, { provider: "datadog" });
const malformed = (what: string) => new MalformedResponseError(`datadog: ${what}`, { provider: "datadog" });

/** Everything that can be refused before the file is read; returns the part size. */
function checkInput(input: UploadTestFileInput): number {
  if (typeof input !== "object" || input === null) throw invalid("uploadTestFile needs an input object");
  if (typeof input.publicId !== "string" || input.publicId === "") throw invalid("publicId must be a test's public ID");
  const partSize = input.partSize ?? DEFAULT_PART_SIZE;
  if (!(Number.isSafeInteger(partSize) && partSize >= MIN_PART_SIZE && partSize <= MAX_PART_SIZE)) {
    throw invalid(`partSize must be a whole number of bytes from ${MIN_PART_SIZE} (5 MiB) to ${MAX_PART_SIZE} (5 GiB), as S3 requires`);
  }
  if (input.onAbortFailed !== undefined && typeof input.onAbortFailed !== "function") throw invalid("onAbortFailed must be a function");
  checkUploadSettings(input);
  return partSize;
}

function throwIfAborted(signal: AbortSignal | undefined) {
  if (signal?.aborted) throw new AbortedError("datadog: the upload was aborted", { provider: "datadog", cause: signal.reason });
}

/** Splits the file into parts and hashes each, one at a time: the file is read once, never held whole. */
async function planParts(source: ByteSource, partSize: number, signal: AbortSignal | undefined): Promise<PlannedPart[]> {
  // An empty file is one empty part: Datadog asks for at least one.
  const count = Math.max(1, Math.ceil(source.size / partSize));
  if (count > MAX_PARTS) {
    const smallest = Math.ceil(source.size / MAX_PARTS / MiB) * MiB;
    throw invalid(`the file needs ${count} parts of ${partSize} bytes, more than S3's ${MAX_PARTS}: use a partSize of at least ${smallest}`);
  }
  const plan: PlannedPart[] = [];
  for (let index = 0; index < count; index++) {
    throwIfAborted(signal);
    const start = index * partSize;
    const end = Math.min(start + partSize, source.size);
    plan.push({ partNumber: index + 1, start, end, md5: await md5Of(source, start, end) });
  }
  return plan;
}

/** A part's base64 MD5; a file that can't be read (changed or removed since it was opened) is the caller's to fix. */
async function md5Of(source: ByteSource, start: number, end: number): Promise<string> {
  try {
    return await md5Base64(source.slice(start, end));
  } catch (error) {
    throw new InvalidRequestError("datadog: the file could not be read to hash it (changed or removed?)", { provider: "datadog", cause: error });
  }
}

// ---------------------------------------------------------------------------------------------
// The upload
// ---------------------------------------------------------------------------------------------

/**
 * Asks Datadog for the part URLs, declaring each part's MD5. Without the caller's signal: once Datadog has opened
 * the upload, only its answer says what to abort, so a caller's abort takes effect when the answer is in.
 */
async function openUpload(client: DatadogClient, input: UploadTestFileInput, plan: PlannedPart[]): Promise<OpenUpload> {
  const { publicId, bucketKeyPrefix } = input;
  const parts = plan.map(({ md5, partNumber }) => ({ md5, partNumber }));
  const result = await client.getTestFileMultipartPresignedUrls({ publicId, bucketKeyPrefix, parts });
  const { key, upload_id: uploadId } = result.multipart_presigned_urls_params ?? {};
  if (!key || !uploadId) {
    throw malformed("the answer has no multipart_presigned_urls_params.key or upload_id, so an upload it may have opened cannot be aborted");
  }
  return { publicId, key, uploadId, bucketKey: result.bucketKey, result };
}

/** PUTs the parts, then completes the upload with their ETags. */
async function sendAndComplete(
  client: DatadogClient,
  upload: OpenUpload,
  source: ByteSource,
  plan: PlannedPart[],
  input: UploadTestFileInput,
): Promise<UploadTestFileResult> {
  throwIfAborted(input.signal);
  const { bucketKey } = upload;
  if (!bucketKey) throw malformed("the answer to multipart-presigned-urls has no bucketKey");
  const { concurrency, retries, signal, onProgress, fetch } = input;
  const uploaded = await uploadParts({ source, parts: partsToSend(upload, plan), concurrency, retries, signal, onProgress, fetch });
  const { publicId, key, uploadId } = upload;
  await client.completeTestFileMultipartUpload({ publicId, key, uploadId, parts: uploaded.map(completedPart) }, { signal });
  return { bucketKey };
}

/** Each planned part with its presigned URL and the headers it is signed with (its Content-MD5). */
function partsToSend(upload: OpenUpload, plan: PlannedPart[]): PartToUpload[] {
  const urls = new Map(presignedParts(upload.result).map((part) => [part.partNumber, part]));
  if (urls.size !== plan.length) throw malformed(`the answer has ${urls.size} part URLs for ${plan.length} parts`);
  return plan.map(({ partNumber, start, end }) => {
    const url = urls.get(partNumber);
    if (!url) throw malformed(`the answer has no URL for part ${partNumber}`);
    return { partNumber, url: url.url, headers: url.headers, start, end };
  });
}

/**
 * A part as completion names it. The ETag keeps its quotes, as Datadog's spec shows it; a storage that stripped them
 * gets them back. A storage that sends none (Azure blocks) gives an empty ETag: Datadog's side does not check it there.
 */
function completedPart({ partNumber, etag }: UploadedPart): { ETag: string; PartNumber: number } {
  const quoted = etag === undefined ? "" : /^(W\/)?".*"$/.test(etag) ? etag : `"${etag}"`;
  return { ETag: quoted, PartNumber: partNumber };
}

// ---------------------------------------------------------------------------------------------
// The cleanup
// ---------------------------------------------------------------------------------------------

/** Runs `work`; if it fails for any reason, aborts the upload first, then throws the original error. */
async function abortingOnFailure<T>(client: DatadogClient, upload: OpenUpload, input: UploadTestFileInput, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    await abortUpload(client, upload, input.onAbortFailed);
    throw error;
  }
}

/**
 * Aborts the upload, with a deadline of its own and not the caller's signal (which may be why we are here). A
 * failure goes to `onAbortFailed`, never over the original error.
 */
async function abortUpload(client: DatadogClient, { publicId, key, uploadId }: OpenUpload, onAbortFailed: UploadTestFileInput["onAbortFailed"]) {
  try {
    await client.abortTestFileMultipartUpload({ publicId, key, uploadId }, { signal: AbortSignal.timeout(ABORT_DEADLINE_MS) });
  } catch (error) {
    try {
      onAbortFailed?.({ error, publicId, key, uploadId });
    } catch {
      // The caller's handler failing must not hide the upload's error either.
    }
  }
}
