/**
 * Bodies for the loopback storage server: reading a PUT while hashing it, serving a stored object in
 * slices of the Buffers it arrived in (never a second copy), and the Range and If-Match rules of S3.
 */
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { errors } from "./errors.js";

/** An object's bytes as they arrived: the Buffers of the request (or the seeded bytes), in order. */
export interface Body {
  chunks: Buffer[];
  size: number;
  /** The 16-byte MD5 of the whole body. */
  md5: Buffer;
}

/** Bytes `start` (inclusive) to `end` (exclusive) of an object. */
export interface ByteRange {
  start: number;
  end: number;
}

/** How a GET stops early on purpose: after `afterBytes` of the body, drop the connection ("reset") or go silent ("stall"). */
export interface BodyCut {
  kind: "reset" | "stall";
  afterBytes: number;
}

/** Writes of at most this size, so backpressure works and a cut lands where asked even in a seeded 256 MiB Buffer. */
const MAX_WRITE = 1024 * 1024;

export const quotedEtag = (md5: Buffer) => `"${md5.toString("hex")}"`;

export function bodyOfBytes(bytes: Uint8Array): Body {
  // A view, not a copy: a seeded object of hundreds of MiB stays one allocation.
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { chunks: [buffer], size: buffer.length, md5: createHash("md5").update(buffer).digest() };
}

/** Reads a request body, counting it as it comes (`onBytes`) and keeping its Buffers only when `keep`. */
export async function readBody(request: IncomingMessage, keep: boolean, onBytes: (total: number) => void): Promise<Body> {
  const hash = createHash("md5");
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
    onBytes(size);
    if (keep) chunks.push(chunk);
  }
  return { chunks, size, md5: hash.digest() };
}

/** Reads and drops what is left of a request body, so an error answer reaches a client that is still sending. */
export async function drainBody(request: IncomingMessage, onChunk: (bytes: number) => void): Promise<void> {
  if (request.readableEnded) return;
  try {
    for await (const chunk of request as AsyncIterable<Buffer>) onChunk(chunk.length);
  } catch {
    // The client went away: nothing left to answer.
  }
}

/**
 * The part of an object a Range header asks for, or undefined for the whole object. Like S3, a header it
 * can't parse (or several ranges) is ignored, and a range that starts past the end is a 416.
 */
export function rangeOf(header: string | undefined, size: number): ByteRange | undefined {
  const match = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === "" && match[2] === "")) return undefined;
  const [, first, last] = match as unknown as [string, string, string];
  if (first === "") return suffixRange(Number(last), size, header!);
  const start = Number(first);
  if (last !== "" && Number(last) < start) return undefined;
  if (start >= size) throw errors.rangeNotSatisfiable(header!, size);
  return { start, end: last === "" ? size : Math.min(Number(last) + 1, size) };
}

function suffixRange(length: number, size: number, header: string): ByteRange {
  if (length === 0 || size === 0) throw errors.rangeNotSatisfiable(header, size);
  return { start: Math.max(0, size - length), end: size };
}

/** Whether an If-Match / If-None-Match list names this ETag (quoted or not, weak or not, or `*`). */
export function etagListMatches(list: string, etag: string): boolean {
  const bare = (tag: string) =>
    tag
      .trim()
      .replace(/^W\//, "")
      .replace(/^"(.*)"$/, "$1");
  return list.split(",").some((tag) => tag.trim() === "*" || bare(tag) === bare(etag));
}

/**
 * Writes bytes `range` of a stored body, waiting for the client between writes. With a cut it stops after
 * `afterBytes`, flushes them, then drops the connection or holds it open until the client (or `close`) ends it.
 */
export async function writeBody(response: ServerResponse, chunks: Buffer[], range: ByteRange, cut?: BodyCut): Promise<void> {
  const end = cut ? Math.min(range.end, range.start + cut.afterBytes) : range.end;
  for (const piece of slices(chunks, range.start, end)) {
    const open = cut ? await writeFlushed(response, piece) : await writeWithBackpressure(response, piece);
    if (!open) return;
  }
  if (!cut) {
    response.end();
    return;
  }
  response.flushHeaders();
  if (cut.kind === "reset") {
    // Let the flushed headers leave before the socket goes: the client must see a response that breaks, not none.
    await new Promise((resolve) => setImmediate(resolve));
    response.destroy();
    return;
  }
  if (!response.destroyed) await new Promise((resolve) => response.once("close", resolve));
}

/** The stored Buffers' views that cover [start, end), none larger than MAX_WRITE. */
function* slices(chunks: Buffer[], start: number, end: number): Generator<Buffer> {
  let offset = 0;
  for (const chunk of chunks) {
    const from = Math.max(start, offset);
    const to = Math.min(end, offset + chunk.length);
    for (let at = from; at < to; at += MAX_WRITE) yield chunk.subarray(at - offset, Math.min(to, at + MAX_WRITE) - offset);
    offset += chunk.length;
    if (offset >= end) return;
  }
}

/** Resolves true once the client can take more, false when the connection closed first. */
function writeWithBackpressure(response: ServerResponse, piece: Buffer): Promise<boolean> {
  if (response.destroyed) return Promise.resolve(false);
  if (response.write(piece)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const settle = (open: boolean) => {
      response.off("drain", onDrain);
      response.off("close", onClose);
      resolve(open);
    };
    const onDrain = () => settle(true);
    const onClose = () => settle(false);
    response.on("drain", onDrain);
    response.on("close", onClose);
  });
}

/** Resolves once the piece has been handed to the socket, so a reset right after it still delivers it. */
function writeFlushed(response: ServerResponse, piece: Buffer): Promise<boolean> {
  if (response.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onClose = () => resolve(false);
    response.once("close", onClose);
    response.write(piece, (error) => {
      response.off("close", onClose);
      resolve(!error);
    });
  });
}
