/**
 * What an upload reads from: any UploadSource turned into a view whose size is known up front and whose byte
 * ranges can be read again (an MD5 pass, then the PUT, then a retry). On Node nothing of a file is held in memory:
 * a path is a file-backed Blob and a stream is spooled to a temporary file first.
 */
import { describeError, PresignError } from "../errors.js";
import { importNodeBuiltin } from "./node-builtin.js";
import type { NodeReadableLike } from "./node-streams.js";

/** What an upload can read from: a file path (Node, Bun, Deno), bytes, a Blob or File, or a web or Node stream. */
export type UploadSource = string | Uint8Array | ArrayBuffer | Blob | ReadableStream<Uint8Array> | NodeReadableLike;

/** A sliceable, size-known view of an UploadSource. */
export interface ByteSource {
  /** Bytes in the source. */
  readonly size: number;
  /** Bytes [start, end) as a Blob without a type, so fetch adds no Content-Type when it sends it. */
  slice(start: number, end: number): Blob;
  /** Releases what opening took (a spooled stream's temporary file). Safe to call twice. */
  close(): Promise<void>;
}

/** Settings of openSource. */
export interface OpenSourceOptions {
  /** Stops spooling a stream: openSource then fails with an AbortedError. */
  signal?: AbortSignal;
}

const invalid = (what: string, cause?: unknown): PresignError => describeError("invalid_request", what, { provider: "storage", cause });

const noop = async () => {};

/**
 * Opens an upload source. Bad input fails with an InvalidRequestError (a missing file, a path outside Node, a
 * stream that yields something other than bytes), before anything is sent anywhere.
 */
export async function openSource(source: UploadSource, options: OpenSourceOptions = {}): Promise<ByteSource> {
  if (typeof source === "string") return openPath(source);
  if (typeof source !== "object" || source === null) throw invalid(EXPECTED);
  if (source instanceof Blob) return blobSource(source);
  if (source instanceof ArrayBuffer) return bytesSource(new Uint8Array(source));
  if (ArrayBuffer.isView(source)) return bytesSource(new Uint8Array(source.buffer, source.byteOffset, source.byteLength));
  if (isWebStream(source)) return spool(webChunks(source), options.signal);
  if (isNodeStream(source)) return spool(source as AsyncIterable<unknown>, options.signal);
  throw invalid(EXPECTED);
}

const EXPECTED = "the upload source must be a file path, a Uint8Array, an ArrayBuffer, a Blob or a readable stream";

/** A Blob as it is: slices of it carry no type (Blob.slice without a content type gives ""). */
function blobSource(blob: Blob, close: () => Promise<void> = noop): ByteSource {
  return { size: blob.size, slice: (start, end) => blob.slice(start, end), close };
}

/** Bytes as they are: each slice copies only its own range, when it is taken, so at most a part is copied at a time. */
function bytesSource(bytes: Uint8Array): ByteSource {
  return { size: bytes.byteLength, slice: (start, end) => new Blob([bytes.subarray(start, end) as BlobPart]), close: noop };
}

/** Node, Bun and Deno all report a Node version; browsers and workers have no `process`. */
const hasNodeApis = () => typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === "string";

const nodeFs = () => importNodeBuiltin<typeof import("node:fs")>("node:fs");

/** A file path as a file-backed Blob: the file is read from disk as each slice is sent, never held in memory. */
async function openPath(path: string): Promise<ByteSource> {
  if (!hasNodeApis()) throw invalid("a file path can be uploaded only on Node, Bun or Deno; pass a Blob or File instead");
  if (path === "") throw invalid("the upload source is an empty file path");
  const fs = await nodeFs();
  let stats: import("node:fs").Stats;
  try {
    stats = await fs.promises.stat(path);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    throw invalid(`cannot read the upload source ${JSON.stringify(path)}${typeof code === "string" ? ` (${code})` : ""}`);
  }
  if (!stats.isFile()) throw invalid(`the upload source ${JSON.stringify(path)} is not a file`);
  return fileSource(fs, path, stats.size, noop);
}

/** A file on disk as a source; `remove` runs on close (a spool file's cleanup). */
async function fileSource(fs: typeof import("node:fs"), path: string, size: number, remove: () => Promise<void>): Promise<ByteSource> {
  const blob = await fileBlob(fs, path);
  if (blob.size === size) return blobSource(blob, remove);
  // Node 20's openAsBlob counts sizes modulo 4 GiB (a 5 GiB file is a 1 GiB Blob): such a file is read range by range.
  return rangeReadSource(fs, path, size, remove);
}

/**
 * A file read one slice at a time, when it is taken: uploads take a part's slice just before sending it, so at most
 * a part per request in flight is in memory.
 */
function rangeReadSource(fs: typeof import("node:fs"), path: string, size: number, remove: () => Promise<void>): ByteSource {
  const fd = fs.openSync(path, "r");
  let closed: Promise<void> | undefined;
  const slice = (start: number, end: number) => {
    const bytes = Buffer.allocUnsafe(end - start);
    let read = 0;
    for (let got = -1; got !== 0 && read < bytes.byteLength; read += got) {
      got = fs.readSync(fd, bytes, read, bytes.byteLength - read, start + read);
    }
    return new Blob([bytes.subarray(0, read)]);
  };
  const close = () => {
    closed ??= Promise.resolve()
      .then(() => fs.closeSync(fd))
      .then(remove);
    return closed;
  };
  return { size, slice, close };
}

/**
 * A Blob backed by the file on disk. Bun has its own lazy file Blob; a runtime with neither reads the file into
 * memory (a Deno without fs.openAsBlob).
 */
async function fileBlob(fs: typeof import("node:fs"), path: string): Promise<Blob> {
  if (typeof fs.openAsBlob === "function") return fs.openAsBlob(path);
  const bun = (globalThis as { Bun?: { file(path: string): Blob } }).Bun;
  if (bun) return bun.file(path);
  return new Blob([(await fs.promises.readFile(path)) as BlobPart]);
}

function isWebStream(source: object): source is ReadableStream<unknown> {
  return typeof (source as ReadableStream).getReader === "function";
}

function isNodeStream(source: object): boolean {
  return typeof (source as NodeJS.ReadableStream).pipe === "function" && Symbol.asyncIterator in source;
}

/** The chunks of a web stream, through a reader (not every browser makes ReadableStream async-iterable). */
async function* webChunks(stream: ReadableStream<unknown>): AsyncGenerator<unknown> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    // Stopped early (abort, bad chunk): the stream's producer is told to stop too.
    reader.cancel().catch(() => {});
  }
}

const encoder = new TextEncoder();

/** A chunk as bytes: a Node stream with an encoding set yields strings; anything else is not an upload. */
function bytesOf(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === "string") return encoder.encode(chunk);
  throw invalid("the upload stream yielded something other than bytes (an object-mode stream?)");
}

/**
 * Reads a stream to its end, so its size is known and its parts can be read twice: into a temporary file on
 * Node, Bun and Deno (removed by close()); elsewhere into a Blob of its chunks, which a browser may keep on disk.
 */
async function spool(chunks: AsyncIterable<unknown>, signal: AbortSignal | undefined): Promise<ByteSource> {
  try {
    return hasNodeApis() ? await spoolToFile(chunks, signal) : await spoolToBlob(chunks, signal);
  } catch (error) {
    if (signal?.aborted) throw describeError("aborted", "reading the upload source was aborted", { provider: "storage", cause: signal.reason });
    if (error instanceof PresignError) throw error;
    throw invalid("reading the upload source stream failed", error);
  }
}

/** Throws the signal's reason once it has fired, so a long spool stops between chunks. */
function checkSignal(signal: AbortSignal | undefined) {
  if (signal?.aborted) throw signal.reason;
}

async function spoolToBlob(chunks: AsyncIterable<unknown>, signal: AbortSignal | undefined): Promise<ByteSource> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) {
    checkSignal(signal);
    parts.push(bytesOf(chunk));
  }
  checkSignal(signal);
  return blobSource(new Blob(parts as BlobPart[]));
}

async function spoolToFile(chunks: AsyncIterable<unknown>, signal: AbortSignal | undefined): Promise<ByteSource> {
  const fs = await nodeFs();
  const { tmpdir } = await importNodeBuiltin<typeof import("node:os")>("node:os");
  const { join } = await importNodeBuiltin<typeof import("node:path")>("node:path");
  const dir = await fs.promises.mkdtemp(join(tmpdir(), "presign-upload-"));
  const remove = () => fs.promises.rm(dir, { recursive: true, force: true });
  const path = join(dir, "source");
  try {
    const file = await fs.promises.open(path, "w", 0o600);
    try {
      // One write at a time: the stream is pulled no faster than the disk takes it.
      for await (const chunk of chunks) {
        checkSignal(signal);
        await file.write(bytesOf(chunk));
      }
      checkSignal(signal);
    } finally {
      await file.close();
    }
    let removed: Promise<void> | undefined;
    const { size } = await fs.promises.stat(path);
    return await fileSource(fs, path, size, () => {
      removed ??= remove();
      return removed;
    });
  } catch (error) {
    await remove().catch(() => {});
    throw error;
  }
}
