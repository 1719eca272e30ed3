/**
 * Powerdrill's upload of a file as a data source: init a multipart upload (Powerdrill chooses the parts),
 * PUT each part to its presigned URL, complete the upload, then create the data source from the stored file.
 *
 * Cleanup goes as far as Powerdrill's API allows. It documents no way to abort a multipart upload nor to delete
 * a stored file, so a failure before the data source exists leaves what was sent to the bucket's lifecycle rules,
 * and the error says so. Once a data source exists, nothing else can fail but the caller's abort: the data source
 * is then deleted before the AbortedError reaches the caller.
 */
import {
  AbortedError,
  InvalidRequestError,
  MalformedResponseError,
  type PresignedPart,
  presignedParts,
  type UploadOptions,
  type UploadSource,
} from "@presign/core";
import {
  type ByteSource,
  checkUploadSettings,
  openSource,
  type PartToUpload,
  storageError,
  storageOf,
  type UploadedPart,
  uploadParts,
} from "@presign/core/internal";
import type { PowerdrillClient } from "../generated/client.js";

/** Input of `uploadDataSource`. */
export interface UploadDataSourceInput extends UploadOptions {
  /** The dataset the data source is created in. */
  datasetId: string;
  /** Your user ID, sent with every request of the upload. */
  userId: string;
  /** The bytes to upload: a file path (Node, Bun, Deno), bytes, a Blob or File, or a web or Node stream. */
  file: UploadSource;
  /**
   * The name of the uploaded file and of the data source (Powerdrill reads the file type from its extension).
   * Default: the file's own name, the last segment of a path or a File's `name`; other sources need it.
   */
  name?: string;
  /** Parts sent at once (default 4). */
  concurrency?: number;
  /** Retries of each part after a 5xx, 408, 429, a broken connection or a stall (default 3). */
  retries?: number;
}

/** The data source Powerdrill created. */
export type UploadedDataSource = Awaited<ReturnType<PowerdrillClient["createDataSource"]>>["data"];

const PROVIDER = "powerdrill";
/** The longest a cleanup may take: it runs after the caller's signal fired, so it needs a bound of its own. */
const CLEANUP_DEADLINE_MS = 30_000;

/**
 * Uploads a file to Powerdrill and creates a data source from it in the given dataset; resolves to the data
 * source (still `synching` at first). Bad input fails with an InvalidRequestError before any request. The API
 * key goes only to Powerdrill's API, never to storage.
 */
export async function uploadDataSource(client: PowerdrillClient, input: UploadDataSourceInput): Promise<UploadedDataSource> {
  const name = checkInput(input);
  const source = await openSource(input.file, { signal: input.signal });
  try {
    if (source.size === 0) throw invalid("the file is empty: a multipart upload needs at least one byte");
    const fileObjectKey = await uploadToStorage(client, source, name, input);
    return await createDataSource(client, fileObjectKey, name, input);
  } finally {
    // A temporary file left behind must not hide the upload's outcome.
    await source.close().catch(() => {});
  }
}

/** Init, PUT every part, complete: resolves to the stored file's key. A failure says that the parts stay behind. */
async function uploadToStorage(client: PowerdrillClient, source: ByteSource, name: string, input: UploadDataSourceInput): Promise<string> {
  const { userId, signal } = input;
  throwIfAborted(signal);
  const init = await client.initMultipartUpload({ fileName: name, fileSize: source.size, userId }, { signal });
  const { upload_id: uploadId, file_object_key: fileObjectKey } = init.data;
  try {
    const parts = partRanges(presignedParts(init), source.size);
    const uploaded = await uploadParts({ source, parts, ...transferOptions(input) });
    const partEtags = partEtagsOf(parts, uploaded);
    const completed = await client.completeMultipartUpload({ fileObjectKey, uploadId, partEtags, userId }, { signal });
    return completed.data.file_object_key;
  } catch (error) {
    throw withNote(
      error,
      "Powerdrill documents no way to abort a multipart upload: the parts sent stay in its bucket until its lifecycle rules remove them",
    );
  }
}

/**
 * Creates the data source from the stored file. The request is sent without the caller's signal: cut short, it
 * might create a data source whose id we never learn. It is one short request; an abort during it is honoured as
 * soon as it answers, by deleting what it created.
 */
async function createDataSource(
  client: PowerdrillClient,
  fileObjectKey: string,
  name: string,
  input: UploadDataSourceInput,
): Promise<UploadedDataSource> {
  const { datasetId, userId, signal } = input;
  let created: UploadedDataSource;
  try {
    throwIfAborted(signal);
    created = (await client.createDataSource({ datasetId, name, type: "FILE", fileObjectKey, userId })).data;
  } catch (error) {
    throw withNote(
      error,
      `the uploaded file stays stored as ${JSON.stringify(fileObjectKey)} (Powerdrill documents no way to delete it); createDataSource can still use it`,
    );
  }
  if (signal?.aborted) throw await deleteDataSource(client, created.id, input, abortedError(signal));
  return created;
}

/** Deletes a data source the caller no longer wants, and returns the error to throw (saying so if the delete failed). */
async function deleteDataSource(
  client: PowerdrillClient,
  datasourceId: string,
  { datasetId, userId }: UploadDataSourceInput,
  error: Error,
): Promise<Error> {
  try {
    await client.deleteDataSource({ datasetId, datasourceId, userId }, { signal: AbortSignal.timeout(CLEANUP_DEADLINE_MS) });
  } catch (cleanup) {
    withNote(
      error,
      `the data source ${JSON.stringify(datasourceId)} could not be deleted (${cleanup instanceof Error ? cleanup.message : "unknown error"})`,
    );
  }
  return error;
}

/** Each part's byte range, from the sizes Powerdrill chose: in part order, they must cover the file exactly. */
function partRanges(parts: PresignedPart[], fileSize: number): PartToUpload[] {
  let start = 0;
  const ranges = parts.map(({ partNumber, url, headers, size }) => {
    if (typeof size !== "number" || !Number.isSafeInteger(size) || size <= 0) throw malformed(`part ${partNumber} has no usable size`);
    const range = { partNumber, url, headers, start, end: start + size };
    start += size;
    return range;
  });
  if (start !== fileSize) throw malformed(`the part sizes add up to ${start} bytes, but the file has ${fileSize}`);
  return ranges;
}

/** Each part's ETag as storage sent it, for complete-multipart-upload, which cannot do without any of them. */
function partEtagsOf(parts: readonly PartToUpload[], uploaded: readonly UploadedPart[]) {
  const urls = new Map(parts.map((part) => [part.partNumber, part.url]));
  return uploaded.map(({ partNumber, etag }) => {
    if (etag !== undefined) return { part_number: partNumber, etag };
    // uploadParts says so itself in a browser; elsewhere a storage that sends no ETag at all (Azure blocks) ends here.
    const url = urls.get(partNumber) ?? "";
    throw storageError({ status: 200, code: "etag_not_exposed", storage: storageOf(url), request: { method: "PUT", url } });
  });
}

const transferOptions = ({ signal, onProgress, fetch, concurrency, retries }: UploadDataSourceInput) => ({
  signal,
  onProgress,
  fetch,
  concurrency,
  retries,
});

/** The name to use: the one given, else the file's own (the last segment of a path, a File's name). */
function nameOf({ name, file }: UploadDataSourceInput): string | undefined {
  if (name !== undefined) return name;
  if (typeof file === "string") return file.split(/[\\/]/).pop();
  if (file instanceof Blob && typeof (file as File).name === "string") return (file as File).name;
  return undefined;
}

function checkInput(input: UploadDataSourceInput): string {
  if (typeof input !== "object" || input === null) throw invalid("uploadDataSource needs an input object");
  if (typeof input.datasetId !== "string" || input.datasetId === "") throw invalid("datasetId must be a non-empty string");
  if (typeof input.userId !== "string" || input.userId === "") throw invalid("userId must be a non-empty string");
  const name = nameOf(input);
  if (typeof name !== "string" || name.trim() === "") {
    throw invalid("name must be a non-empty string (it can be left out only for a file path or a File, whose name is used)");
  }
  checkUploadSettings(input);
  return name;
}

function throwIfAborted(signal: AbortSignal | undefined) {
  if (signal?.aborted) throw abortedError(signal);
}

const abortedError = (signal: AbortSignal) => new AbortedError(`${PROVIDER}: the upload was aborted`, { provider: PROVIDER, cause: signal.reason });

/** Adds what the failure left behind to the error's message, so the caller learns it from the error itself. */
function withNote<E>(error: E, note: string): E {
  if (error instanceof Error) error.message += `; ${note}`;
  return error;
}

const invalid = (what: string) => new InvalidRequestError(`${PROVIDER}: ${what}`, { provider: PROVIDER });
const malformed = (what: string) =>
  new MalformedResponseError(`${PROVIDER}: init-multipart-upload answered unusable parts: ${what}`, { provider: PROVIDER });
