/**
 * Where a download writes: a file path, a Node Writable or a web WritableStream, behind one interface that
 * waits for the target to take each chunk (backpressure), so memory stays bounded whatever the target's pace.
 */
import type { InvalidRequestError } from "../errors.js";
import { importNodeBuiltin } from "./node-builtin.js";
import type { NodeWritableLike } from "./node-streams.js";

/** A target that takes chunks one at a time. */
export interface Sink {
  /** Resolves when the target can take the next chunk. */
  write(chunk: Uint8Array): Promise<void>;
  /** The download is whole: close (end) the target and wait until it is. */
  close(): Promise<void>;
  /** The download failed: release the target (a file keeps what was written). Never rejects. */
  fail(reason: unknown): Promise<void>;
}

export const isWebWritable = (value: unknown): value is WritableStream<Uint8Array> =>
  typeof (value as WritableStream | undefined)?.getWriter === "function";

export const isNodeWritable = (value: unknown): value is NodeWritableLike =>
  typeof (value as NodeWritableLike | undefined)?.write === "function" && typeof (value as NodeWritableLike).once === "function";

/** Opens the target; a path that cannot be written, or a locked stream, is refused with an InvalidRequestError. */
export async function openSink(
  target: string | WritableStream<Uint8Array> | NodeWritableLike,
  invalid: (what: string) => InvalidRequestError,
): Promise<Sink> {
  if (typeof target === "string") return fileSink(target, invalid);
  if (isWebWritable(target)) {
    if (target.locked) throw invalid("the target WritableStream is locked by another writer");
    return webSink(target);
  }
  // The public type names only what users must give; a real Node Writable has the rest.
  return nodeSink(target as unknown as NodeWritable, { keepBytesOnFail: false });
}

/** The parts of a Node Writable used here (a user's may lack `destroy`). */
type NodeWritable = NodeJS.WritableStream & { destroy?(error?: Error): void; destroyed?: boolean; writableEnded?: boolean };

/** A file, created or truncated. node:fs is imported here only, so browsers never load it. */
async function fileSink(path: string, invalid: (what: string) => InvalidRequestError): Promise<Sink> {
  let fs: typeof import("node:fs");
  try {
    fs = await importNodeBuiltin<typeof import("node:fs")>("node:fs");
  } catch {
    throw invalid("a file path target needs Node, Bun or Deno: pass a WritableStream instead");
  }
  const stream = fs.createWriteStream(path);
  try {
    await settled(stream, "ready");
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw invalid(`cannot write to ${path}${typeof code === "string" ? ` (${code})` : ""}`);
  }
  // A file is closed, not destroyed, on failure: what reached it stays.
  return nodeSink(stream, { keepBytesOnFail: true, closedEvent: "close" });
}

/** A Node Writable: each write waits for 'drain' when the stream's buffer is full. */
function nodeSink(stream: NodeWritable, options: { keepBytesOnFail: boolean; closedEvent?: "close" | "finish" }): Sink {
  let failure: unknown;
  const onError = (error: unknown) => {
    failure ??= error;
  };
  stream.on("error", onError);
  const release = () => stream.removeListener("error", onError);
  return {
    async write(chunk) {
      if (failure) throw failure;
      if (stream.destroyed || stream.writableEnded) throw new Error("the target stream was closed before the download ended");
      if (!stream.write(chunk)) await settled(stream, "drain");
    },
    async close() {
      if (failure) throw failure;
      const closed = settled(stream, options.closedEvent ?? "finish");
      stream.end();
      await closed.finally(release);
    },
    async fail() {
      try {
        if (!options.keepBytesOnFail) {
          // Without an error argument: an 'error' event nobody listens to would crash the process.
          stream.destroy?.();
          return;
        }
        const closed = settled(stream, "close");
        stream.end();
        await closed;
      } catch {
        // The download's own error is what the caller hears of.
      } finally {
        release();
      }
    },
  };
}

/** A web WritableStream: each write waits for the writer to be ready. */
function webSink(stream: WritableStream<Uint8Array>): Sink {
  const writer = stream.getWriter();
  return {
    async write(chunk) {
      await writer.ready;
      // Its rejection surfaces through `ready` or `close`; awaiting each write would serialise them for nothing.
      writer.write(chunk).catch(() => {});
    },
    close: () => writer.close(),
    async fail(reason) {
      await writer.abort(reason).catch(() => {});
    },
  };
}

/** Resolves on `event`; rejects on 'error', or on 'close' before `event`. */
function settled(stream: NodeJS.WritableStream, event: "drain" | "finish" | "close" | "ready"): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: unknown) => {
      stream.removeListener(event, onEvent);
      stream.removeListener("error", onError);
      stream.removeListener("close", onClose);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onEvent = () => done();
    const onError = (error: unknown) => done(error ?? new Error("the target stream failed"));
    const onClose = () => done(new Error("the target stream was closed before the download ended"));
    stream.on(event, onEvent);
    stream.on("error", onError);
    if (event !== "close") stream.on("close", onClose);
  });
}
