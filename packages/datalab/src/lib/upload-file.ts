/**
 * Datalab's upload: ask for a presigned PUT URL, send the bytes with the Content-Type the URL was signed
 * for, then confirm. Asking for the URL creates a pending file record; when a later step fails (or the
 * caller aborts), that record is deleted before the error reaches the caller.
 */
import { AbortedError, InvalidRequestError, type PresignedUrl, presigned, ServerError, type UploadOptions, type UploadSource } from "@presign/core";
import { type ByteSource, checkUploadSettings, openSource, putObject } from "@presign/core/internal";
import type { DatalabClient } from "../generated/client.js";

/**
 * Datalab's documented ceiling, "200 MB", read as 200 MiB: refusing a file Datalab would take is worse than
 * letting Datalab refuse one of the few megabytes in between (its pending record is then deleted as for any failure).
 */
export const DATALAB_MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

/** Input of `uploadFile`. */
export interface UploadFileInput extends UploadOptions {
  /** The bytes to upload: a file path (Node, Bun, Deno), bytes, a Blob or File, or a web or Node stream. */
  file: UploadSource;
  /** The file's name at Datalab (its `original_filename`). */
  filename: string;
  /** The file's MIME type. Datalab signs the upload URL with it, so it is also the Content-Type of the PUT. */
  contentType: string;
}

/** What Datalab's confirm answers: `{ file_id, reference, message, success }`. */
export type UploadFileResult = Awaited<ReturnType<DatalabClient["confirmFileUpload"]>>;

const PROVIDER = "datalab";
/** The longest the cleanup may take: it runs after the caller's signal fired, so it needs a bound of its own. */
const CLEANUP_DEADLINE_MS = 30_000;

/**
 * Uploads a file to Datalab storage and confirms it; resolves to the confirmation, whose `reference`
 * (`datalab://file-…`) names the file in later calls. Bad input, and a file over 200 MiB, fail with an
 * InvalidRequestError before any request. The provider's API key goes only to Datalab's API, never to storage.
 */
export async function uploadFile(client: DatalabClient, input: UploadFileInput): Promise<UploadFileResult> {
  checkInput(input);
  const source = await openSource(input.file, { signal: input.signal });
  try {
    checkSize(source.size);
    return await uploadFrom(client, source, input);
  } finally {
    // A temporary file left behind must not hide the upload's outcome.
    await source.close().catch(() => {});
  }
}

async function uploadFrom(client: DatalabClient, source: ByteSource, input: UploadFileInput): Promise<UploadFileResult> {
  const { signal } = input;
  throwIfAborted(signal);
  // Without the signal: a request cut short may still create a record whose id we would never learn. It is one
  // short request; an abort during it is honoured as soon as it answers, by deleting the record.
  const upload = await client.createFileUpload({ filename: input.filename, contentType: input.contentType });
  try {
    throwIfAborted(signal);
    await putBytes(source, presigned(upload), input);
    return confirmed(await client.confirmFileUpload({ fileIdOrHashid: String(upload.file_id) }, { signal }));
  } catch (error) {
    throw await deletePendingFile(client, upload.file_id, error);
  }
}

/** One PUT of the whole file, with exactly the headers the URL was signed with (Content-Type). */
function putBytes(source: ByteSource, url: PresignedUrl, { signal, onProgress, fetch }: UploadFileInput) {
  return putObject({ source, url: url.url, headers: url.headers, signal, onProgress, fetch });
}

/** A confirmation that says `success: false` is a failure, though it came with a 200. */
function confirmed(result: UploadFileResult): UploadFileResult {
  if (result.success !== false) return result;
  const messages = typeof result.message === "string" ? [result.message] : [];
  throw new ServerError(`${PROVIDER}: the upload was not confirmed${messages.length ? `: ${messages[0]}` : ""}`, { provider: PROVIDER, messages });
}

/**
 * Deletes the pending file record of a failed upload, without the caller's signal (it may be the reason for the
 * failure), and returns the error to throw: the original one, saying so if the record could not be deleted.
 */
async function deletePendingFile(client: DatalabClient, fileId: number, error: unknown): Promise<unknown> {
  try {
    await client.deleteFile({ fileId }, { signal: AbortSignal.timeout(CLEANUP_DEADLINE_MS) });
  } catch (cleanup) {
    const why = cleanup instanceof Error ? cleanup.message : "unknown error";
    if (error instanceof Error) error.message += `; the pending file record ${fileId} could not be deleted (${why})`;
  }
  return error;
}

function throwIfAborted(signal: AbortSignal | undefined) {
  if (signal?.aborted) throw new AbortedError(`${PROVIDER}: the upload was aborted`, { provider: PROVIDER, cause: signal.reason });
}

function checkInput(input: UploadFileInput) {
  if (typeof input !== "object" || input === null) throw invalid("uploadFile needs an input object");
  const { filename, contentType } = input;
  if (typeof filename !== "string" || filename.trim() === "") throw invalid("filename must be a non-empty string");
  if (typeof contentType !== "string" || contentType.trim() === "") throw invalid("contentType must be a non-empty MIME type");
  // It becomes a header of the PUT: a line break would end it early, anything else non-ASCII is refused by fetch.
  if (!/^[\t\x20-\x7e]+$/.test(contentType)) throw invalid("contentType must be printable ASCII (a MIME type such as application/pdf)");
  checkUploadSettings(input);
}

function checkSize(size: number) {
  if (size > DATALAB_MAX_UPLOAD_BYTES) throw invalid(`the file has ${size} bytes; Datalab takes at most 200 MiB (${DATALAB_MAX_UPLOAD_BYTES} bytes)`);
}

const invalid = (what: string) => new InvalidRequestError(`${PROVIDER}: ${what}`, { provider: PROVIDER });
