/**
 * Streams a presigned URL to a file, a Node stream or a web WritableStream: bounded memory, progress, the
 * caller's AbortSignal, and resumes (Range + If-Match) after a broken connection or, given `refresh`, an
 * expired URL. Requests go to the storage host over plain fetch: never the API client's transport, never a
 * credential. The only headers sent are the URL's own, Range and If-Match.
 */
import { describeError, type InvalidRequestError, type PresignError } from "../errors.js";
import { createRedactor, redactUrl } from "../redact.js";
import { backoffMs, defaultRetryPolicy } from "../retry.js";
import { sleep } from "../sleep.js";
import { cleanCause } from "../transport.js";
import { type StorageError, type StorageErrorCode, storageError, storageErrorOf, storageOf } from "./errors.js";
import type { NodeWritableLike } from "./node-streams.js";
import { isHttpUrl, type PresignedUrl } from "./presigned.js";
import { type ProgressMeter, progressMeter, type TransferProgress } from "./progress.js";
import { isNodeWritable, isWebWritable, openSink, type Sink } from "./sink.js";

/** A URL to read: as text, a URL object, or a normalized presigned URL (whose headers are sent, and whose expiry is checked). */
export type UrlSource = string | URL | PresignedUrl;

/** How `download` behaves: every option may be left out. */
export interface DownloadOptions {
  /** Aborts the download at once with an AbortedError; a file keeps the bytes written so far. */
  signal?: AbortSignal;
  /** Called about ten times a second, and once at the end. */
  onProgress?: (progress: TransferProgress) => void;
  /** Gets a fresh URL when the current one has expired (a storage 403 that says so, or `expiresAt` passed). */
  refresh?: () => Promise<UrlSource>;
  /** Resumes after a broken connection or an expired URL (default 5). */
  maxResumes?: number;
  /** Milliseconds without a byte before an attempt is treated as broken (default 30 000). */
  idleTimeout?: number;
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
}

/** What a finished download did. */
export interface DownloadResult {
  /** Bytes written. */
  bytes: number;
  /** The object's ETag, as the storage sent it. */
  etag?: string;
  /** Requests sent after the first one, each continuing where the last stopped. */
  resumes: number;
  /** Fresh URLs obtained through `refresh`. */
  refreshes: number;
}

/**
 * Where the bytes go: a file path (Node, Bun and Deno; created or truncated), a web WritableStream, or a Node
 * Writable. A stream is closed (ended) on success; on failure a web stream is aborted and a Node stream
 * destroyed, as `pipeTo` and `pipeline` do.
 */
export type DownloadTarget = string | WritableStream<Uint8Array> | NodeWritableLike;

const DEFAULT_MAX_RESUMES = 5;
const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
/** Who errors of the storage leg name as their provider. */
const PROVIDER = "storage";

interface Settings {
  fetch: typeof fetch;
  signal?: AbortSignal;
  refresh?: () => Promise<UrlSource>;
  maxResumes: number;
  idleTimeout: number;
}

/** Where a download stands, across attempts. */
interface Progress {
  url: PresignedUrl;
  /** Bytes written to the target; the next attempt asks for the rest. */
  written: number;
  /** ETag of the first response: a resume asks for this version only (If-Match). */
  etag?: string;
  /** Size of the whole object, when the storage said. */
  total?: number;
  /** The body came compressed (Content-Encoding): fetch decodes it, so byte offsets no longer match Range's. */
  encoded: boolean;
  attempts: number;
  resumes: number;
  refreshes: number;
  /** The URL came from `refresh` and has not been tried: it is tried even if it says it has expired. */
  fresh: boolean;
  meter: ProgressMeter;
}

/** How an attempt ended, when it did not end the download with an error. */
type AttemptEnd = { end: "complete" } | { end: "broken"; error: PresignError } | { end: "expired"; error: StorageError };

/**
 * Downloads a presigned URL to a target; see DownloadTarget for what happens to it. Bad input is refused with
 * an InvalidRequestError before any request; a refused request is a StorageError; a connection that keeps
 * breaking ends in a ConnectionError or TimeoutError once `maxResumes` is spent.
 */
export async function download(source: UrlSource, target: DownloadTarget, options: DownloadOptions = {}): Promise<DownloadResult> {
  const settings = settingsOf(options);
  const url = urlOf(source);
  checkTarget(target);
  const { signal } = settings;
  if (signal?.aborted) throw aborted(signal.reason);
  const sink = await openSink(target, invalid);
  const meter = progressMeter(options.onProgress);
  const progress: Progress = { url, written: 0, encoded: false, attempts: 0, resumes: 0, refreshes: 0, fresh: false, meter };
  const transfer = run(progress, sink, settings).then(
    async (result) => {
      await sink.close();
      return result;
    },
    async (error: unknown) => {
      await sink.fail(error).catch(() => {});
      throw error;
    },
  );
  return untilAborted(transfer, signal);
}

/** Attempts until the whole object is written, resuming and refreshing as allowed. */
async function run(progress: Progress, sink: Sink, settings: Settings): Promise<DownloadResult> {
  for (;;) {
    if (hasExpired(progress.url) && !progress.fresh && settings.refresh) await refreshUrl(progress, settings);
    const ended = await attempt(progress, sink, settings);
    progress.fresh = false;
    if (ended.end === "complete") {
      progress.meter.flush();
      const { written: bytes, etag, resumes, refreshes } = progress;
      return { bytes, ...(etag === undefined ? {} : { etag }), resumes, refreshes };
    }
    if (ended.end === "expired" && !settings.refresh) throw ended.error;
    if (progress.resumes >= settings.maxResumes) throw ended.error;
    // A Range over decoded bytes would ask for the wrong ones: a compressed body can only start over, which would rewrite the target.
    if (progress.encoded && progress.written > 0) throw ended.error;
    progress.resumes++;
    if (ended.end === "expired") await refreshUrl(progress, settings);
    else await sleep(backoffMs(progress.resumes, defaultRetryPolicy), settings.signal).catch((reason) => Promise.reject(aborted(reason)));
  }
}

async function refreshUrl(progress: Progress, settings: Settings): Promise<void> {
  progress.url = urlOf(await settings.refresh!());
  progress.refreshes++;
  progress.fresh = true;
}

const hasExpired = ({ expiresAt }: PresignedUrl) => expiresAt !== undefined && expiresAt.getTime() <= Date.now();

/** One request: what its response means, then its body streamed to the target. */
async function attempt(progress: Progress, sink: Sink, settings: Settings): Promise<AttemptEnd> {
  const idle = idleWatch(settings.idleTimeout, settings.signal);
  progress.attempts++;
  try {
    let response: Response;
    try {
      response = await settings.fetch(progress.url.url, { method: "GET", headers: requestHeaders(progress), signal: idle.signal });
    } catch (error) {
      return broken(progress, error, idle);
    }
    idle.restart();
    const verdict = await readHead(response, progress);
    if (verdict) return verdict;
    return await streamBody(response, progress, sink, idle);
  } finally {
    idle.stop();
  }
}

/** The URL's own headers; on a resume, the rest of the same version of the object. */
function requestHeaders({ url, written, etag }: Progress): Record<string, string> {
  const headers = { ...url.headers };
  if (written > 0) {
    headers.Range = `bytes=${written}-`;
    if (etag) headers["If-Match"] = etag;
  }
  return headers;
}

/**
 * Checks the status and headers: undefined when the body is to be streamed, else how the attempt ended.
 * Throws what no resume can mend.
 */
async function readHead(response: Response, progress: Progress): Promise<AttemptEnd | undefined> {
  const { status, headers } = response;
  const request = { method: "GET", url: progress.url.url };
  const refuse = (what: string, code: StorageErrorCode = "other") => {
    response.body?.cancel().catch(() => {});
    return storageError({ status, code, storage: storageOf(request.url, headers), request, attempts: progress.attempts, what });
  };
  if (status === 200) {
    // A storage that ignores Range sends the whole object again; appending it would corrupt the file.
    if (progress.written > 0) throw refuse(`the storage ignored Range on a resume, after ${progress.written} bytes were written`);
    progress.etag = strongEtag(headers.get("etag"));
    progress.encoded = (headers.get("content-encoding") ?? "identity") !== "identity";
    setTotal(progress, contentLength(headers));
    return undefined;
  }
  if (status === 206 && progress.written > 0) {
    const range = contentRange(headers.get("content-range"));
    if (range?.start !== progress.written) throw refuse(`the storage answered a range that does not start at byte ${progress.written}`);
    const etag = strongEtag(headers.get("etag"));
    if ((progress.etag && etag && etag !== progress.etag) || (progress.total !== undefined && range.total !== progress.total)) {
      throw refuse("the object changed on the storage during the download", "precondition_failed");
    }
    if (range.total !== undefined) setTotal(progress, range.total);
    return undefined;
  }
  const error = await storageErrorOf(response, request, progress.attempts);
  // The connection broke after the last byte: nothing is missing.
  if (status === 416 && progress.total !== undefined && progress.written === progress.total) return { end: "complete" };
  if (error.code === "expired") return { end: "expired", error };
  if (status >= 500 || status === 408 || status === 429) return { end: "broken", error };
  throw error;
}

/** Copies the body to the target, counting bytes; a break or a stall ends the attempt as broken. */
async function streamBody(response: Response, progress: Progress, sink: Sink, idle: IdleWatch): Promise<AttemptEnd> {
  if (!response.body) return progress.total === 0 || progress.total === undefined ? { end: "complete" } : broken(progress, undefined, idle);
  const reader = response.body.getReader();
  try {
    for (;;) {
      idle.restart();
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        return broken(progress, error, idle);
      }
      if (chunk.done) break;
      // A slow target is not a stalled storage: the clock stops while the target catches up.
      idle.pause();
      await sink.write(chunk.value);
      progress.written += chunk.value.byteLength;
      progress.meter.add(chunk.value.byteLength);
    }
  } finally {
    reader.cancel().catch(() => {});
  }
  if (progress.total !== undefined && progress.written < progress.total) return broken(progress, undefined, idle);
  return { end: "complete" };
}

/** A broken attempt: the typed error it ends in if no resume is left (aborted by the caller: thrown at once). */
function broken(progress: Progress, cause: unknown, idle: IdleWatch): AttemptEnd {
  const { signal } = idle;
  if (idle.callerAborted()) throw aborted(signal.reason);
  const details = {
    provider: PROVIDER,
    attempts: progress.attempts,
    request: `GET ${redactUrl(progress.url.url)}`,
    cause: cleanCause(cause, createRedactor([])),
  };
  const of = progress.total === undefined ? "" : ` of ${progress.total}`;
  const error = idle.timedOut()
    ? describeError("timeout", `no byte arrived for ${idle.timeout} ms, after ${progress.written}${of} bytes`, details)
    : describeError("connection", `the connection broke after ${progress.written}${of} bytes`, details);
  return { end: "broken", error };
}

function setTotal(progress: Progress, total: number | undefined): void {
  progress.total = total;
  progress.meter.setTotal(total);
}

/** An ETag fit for If-Match: a weak one (`W/"…"`) never matches, so it is not used. */
function strongEtag(etag: string | null): string | undefined {
  return etag && !etag.startsWith("W/") ? etag : undefined;
}

function contentLength(headers: Headers): number | undefined {
  const length = headers.get("content-length");
  // A compressed body's length is not the decoded one written.
  if (!length || !/^\d+$/.test(length) || (headers.get("content-encoding") ?? "identity") !== "identity") return undefined;
  return Number(length);
}

/** `Content-Range: bytes <start>-<end>/<total or *>`. */
function contentRange(header: string | null): { start: number; total?: number } | undefined {
  const match = header?.match(/^bytes (\d+)-\d+\/(\d+|\*)$/);
  if (!match) return undefined;
  return { start: Number(match[1]), ...(match[2] === "*" ? {} : { total: Number(match[2]) }) };
}

interface IdleWatch {
  /** Aborts the attempt when the caller aborts or the storage stalls. */
  signal: AbortSignal;
  timeout: number;
  /** Starts the clock again: a byte arrived. */
  restart(): void;
  /** Stops the clock while the target is written to. */
  pause(): void;
  stop(): void;
  timedOut(): boolean;
  callerAborted(): boolean;
}

/** The signal of one attempt: the caller's abort, or `timeout` ms without progress. */
function idleWatch(timeout: number, callerSignal: AbortSignal | undefined): IdleWatch {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stalled = false;
  const onAbort = () => controller.abort(callerSignal!.reason);
  callerSignal?.addEventListener("abort", onAbort, { once: true });
  // One timer per attempt that checks the time of the last byte when it fires: re-arming a timer for each
  // chunk (thousands per file) costs more than the transfer can spare.
  let lastByteAt = Date.now();
  let paused = false;
  const check = () => {
    const quiet = Date.now() - lastByteAt;
    if (paused || quiet < timeout) {
      timer = setTimeout(check, paused ? timeout : timeout - quiet);
      return;
    }
    stalled = true;
    controller.abort(new Error(`no byte for ${timeout} ms`));
  };
  timer = setTimeout(check, timeout);
  const pause = () => {
    paused = true;
  };
  const restart = () => {
    paused = false;
    lastByteAt = Date.now();
  };
  return {
    signal: controller.signal,
    timeout,
    restart,
    pause,
    stop() {
      clearTimeout(timer);
      callerSignal?.removeEventListener("abort", onAbort);
    },
    timedOut: () => stalled,
    callerAborted: () => callerSignal?.aborted === true,
  };
}

/** Rejects with an AbortedError as soon as the caller aborts, without waiting for the transfer to wind down. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(aborted(signal.reason));
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

const aborted = (reason: unknown) => describeError("aborted", "the download was aborted", { provider: PROVIDER, cause: reason });
const invalid = (what: string): InvalidRequestError => describeError("invalid_request", what, { provider: PROVIDER }) as InvalidRequestError;

/** The options, checked: a wrong type or range is refused before any request. */
function settingsOf(options: DownloadOptions): Settings {
  if (Object(options) !== options) throw invalid("options must be an object");
  const { signal, refresh, onProgress, maxResumes = DEFAULT_MAX_RESUMES, idleTimeout = DEFAULT_IDLE_TIMEOUT_MS } = options;
  // Called through globalThis: a browser refuses `fetch` called with any other `this` ("Illegal invocation").
  const fetchFn = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  if (typeof fetchFn !== "function") throw invalid("no fetch is available: pass options.fetch");
  if (refresh !== undefined && typeof refresh !== "function") throw invalid("refresh must be a function returning a fresh URL");
  if (onProgress !== undefined && typeof onProgress !== "function") throw invalid("onProgress must be a function");
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw invalid("signal must be an AbortSignal");
  if (!Number.isSafeInteger(maxResumes) || maxResumes < 0) throw invalid("maxResumes must be a whole number, 0 or more");
  if (typeof idleTimeout !== "number" || !(idleTimeout > 0) || idleTimeout > 2 ** 31 - 1) {
    throw invalid("idleTimeout must be a number of milliseconds above 0");
  }
  return { fetch: fetchFn, signal, refresh, maxResumes, idleTimeout };
}

/** A source as a PresignedUrl signed for GET, or an InvalidRequestError saying what is wrong with it. */
function urlOf(source: UrlSource): PresignedUrl {
  const given = typeof source === "string" || source instanceof URL ? { url: String(source), method: "GET", headers: {} } : source;
  if (Object(given) !== given || typeof given.url !== "string") throw invalid("the source must be a URL (a string, a URL or a PresignedUrl)");
  if (!isHttpUrl(given.url)) throw invalid(`the source is not an http(s) URL: ${redactUrl(given.url).slice(0, 200)}`);
  if (given.method !== undefined && given.method !== "GET")
    throw invalid(`this URL is signed for ${String(given.method)}, not GET: it cannot be downloaded`);
  const headers = given.headers ?? {};
  if (Object(headers) !== headers || Object.values(headers).some((value) => typeof value !== "string")) {
    throw invalid("the source's headers must map names to strings");
  }
  return { expiresAtSource: "unknown", ...given, method: "GET", headers } as PresignedUrl;
}

function checkTarget(target: unknown): void {
  if (typeof target === "string" ? target !== "" : isWebWritable(target) || isNodeWritable(target)) return;
  throw invalid("the target must be a file path, a WritableStream or a Node Writable");
}
