/**
 * PUTs to presigned URLs: the parts of a multipart upload (a bounded pool, retries per part, each part's ETag)
 * and a single object. Only the headers the URL was signed with go out, over the storage's own fetch: never a
 * provider credential, never a Content-Type nobody signed.
 */
import { describeError, type PresignError } from "../errors.js";
import { redactUrl } from "../redact.js";
import { HEADER_SAFE } from "../request.js";
import { backoffMs, defaultRetryPolicy, hintedDelayMs, retryAfterMs } from "../retry.js";
import { sleep } from "../sleep.js";
import { storageError, storageErrorOf, storageOf } from "./errors.js";
import { type ProgressMeter, progressMeter, type TransferProgress } from "./progress.js";
import type { ByteSource } from "./source.js";

/** One part to PUT: bytes [start, end) of the source to its presigned URL, with exactly these headers. */
export interface PartToUpload {
  partNumber: number;
  url: string;
  headers: Readonly<Record<string, string>>;
  start: number;
  end: number;
}

/** A part the storage accepted. `etag` is undefined only outside a browser, from a storage that sends none (Azure blocks). */
export interface UploadedPart {
  partNumber: number;
  etag: string | undefined;
}

/** Settings of an upload to presigned URLs. */
export interface UploadOptions {
  /** Stops the upload: it fails with an AbortedError once the requests in flight have been cancelled. */
  signal?: AbortSignal;
  /**
   * Progress about ten times a second and once at the end: bytes accepted by the storage plus those of requests in
   * flight (a request that is retried starts its bytes again from 0), the total, and the rate.
   */
  onProgress?: (progress: TransferProgress) => void;
  /** Sends the storage requests (default: `globalThis.fetch`, looked up when the upload starts). Never the API client's. */
  fetch?: typeof fetch;
}

/** What every PUT of a transfer shares. */
export interface PutSettings extends UploadOptions {
  /** Retries of each PUT after a 5xx, 408, 429, a broken connection or a stall (default 3). Any other 4xx is final. */
  retries?: number;
  /**
   * Milliseconds an attempt may go without sending a byte or, once all are sent, without an answer, before it is
   * abandoned and retried (default 30 000). Measured where fetch reads a Blob body through its `stream()` (Node's
   * fetch); a fetch that reads it natively (browsers) shows no progress, so there only the caller's signal bounds it.
   */
  idleTimeout?: number;
}

export interface UploadPartsInput extends PutSettings {
  source: ByteSource;
  parts: readonly PartToUpload[];
  /** Parts in flight at once (default 4). */
  concurrency?: number;
}

export interface PutObjectInput extends PutSettings {
  source: ByteSource;
  url: string;
  headers: Readonly<Record<string, string>>;
}

const DEFAULT_CONCURRENCY = 4;
const DEFAULT_RETRIES = 3;
const DEFAULT_IDLE_TIMEOUT = 30_000;
/** setTimeout cannot wait longer. */
const MAX_TIMER = 2 ** 31 - 1;
/** S3's limit, and a bound on what a caller can ask for by mistake. */
const MAX_PART_NUMBER = 10_000;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * PUTs every part, at most `concurrency` at a time, and returns each part's ETag in part-number order. The first
 * part that fails for good (past its retries, or a final 4xx) stops the transfer: no new part starts, the ones in
 * flight are cancelled, and its error is thrown once they have stopped, so nothing is still sending when the
 * caller cleans up. A response without a readable ETag fails in a browser (the bucket's CORS hides it).
 */
export async function uploadParts(input: UploadPartsInput): Promise<UploadedPart[]> {
  const concurrency = checkConcurrency(input.concurrency);
  checkSource(input.source);
  checkParts(input.parts, input.source.size);
  const transfer = startTransfer(input, totalOf(input.parts));
  try {
    const uploaded = await inPool(input.parts, concurrency, transfer, (part) => putWithRetries(part, input.source, transfer, true));
    transfer.meter.flush();
    return uploaded.sort((a, b) => a.partNumber - b.partNumber);
  } finally {
    transfer.end();
  }
}

/** PUTs the whole source to one presigned URL, with the same retries; returns the ETag when the storage shows one. */
export async function putObject(input: PutObjectInput): Promise<{ etag?: string }> {
  checkSource(input.source);
  const part = { partNumber: 1, url: input.url, headers: input.headers, start: 0, end: input.source.size };
  checkUrl(part.url, "the object");
  checkHeaders(part.headers, "the object");
  const transfer = startTransfer(input, input.source.size);
  try {
    const { etag } = await putWithRetries(part, input.source, transfer, false);
    transfer.meter.flush();
    return etag === undefined ? {} : { etag };
  } finally {
    transfer.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Input checks: every one before the first request
// ---------------------------------------------------------------------------------------------

const invalid = (what: string): PresignError => describeError("invalid_request", what, { provider: "storage" });

function checkSource(source: ByteSource) {
  if (!(source && Number.isSafeInteger(source.size) && source.size >= 0 && typeof source.slice === "function")) {
    throw invalid("the upload source must be opened with openSource()");
  }
}

function checkParts(parts: readonly PartToUpload[], size: number) {
  if (!Array.isArray(parts)) throw invalid("parts must be a list");
  const seen = new Set<number>();
  for (const part of parts) {
    const { partNumber, start, end } = part ?? {};
    if (!(Number.isSafeInteger(partNumber) && partNumber >= 1 && partNumber <= MAX_PART_NUMBER)) {
      throw invalid(`part number ${String(partNumber)} is not a whole number from 1 to ${MAX_PART_NUMBER}`);
    }
    if (seen.has(partNumber)) throw invalid(`part ${partNumber} is listed twice`);
    seen.add(partNumber);
    if (!(Number.isSafeInteger(start) && Number.isSafeInteger(end) && start >= 0 && start <= end && end <= size)) {
      throw invalid(`part ${partNumber}: bytes ${String(start)}–${String(end)} are not a range of the ${size}-byte source`);
    }
    checkUrl(part.url, `part ${partNumber}`);
    checkHeaders(part.headers, `part ${partNumber}`);
  }
}

/** `what`: the part or object the URL is for, as messages name it. */
function checkUrl(url: unknown, what: string) {
  let parsed: URL | undefined;
  try {
    parsed = typeof url === "string" ? new URL(url) : undefined;
  } catch {}
  if (!parsed || (parsed.protocol !== "https:" && parsed.protocol !== "http:")) {
    throw invalid(`${what}: the presigned URL is not an absolute http(s) URL`);
  }
}

function checkHeaders(headers: unknown, what: string) {
  if (typeof headers !== "object" || headers === null) throw invalid(`${what}: headers must be an object of strings`);
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name) || typeof value !== "string" || !HEADER_SAFE.test(value)) {
      throw invalid(`${what}: header ${JSON.stringify(name.slice(0, 60))} is not a header name with a text value`);
    }
  }
}

/**
 * Checks the settings of a transfer as uploadParts will, for a workflow that must refuse them before its first API
 * call (a multipart upload opened and then refused would have to be aborted).
 */
export function checkUploadSettings(settings: PutSettings & { concurrency?: number }): void {
  checkConcurrency(settings.concurrency);
  checkSettings(settings);
}

function checkConcurrency(concurrency = DEFAULT_CONCURRENCY): number {
  if (!(Number.isSafeInteger(concurrency) && concurrency >= 1)) throw invalid("concurrency must be a whole number of at least 1");
  return concurrency;
}

function checkSettings(settings: PutSettings): { retries: number; idleTimeout: number; fetch: typeof fetch } {
  const retries = settings.retries ?? DEFAULT_RETRIES;
  if (!(Number.isSafeInteger(retries) && retries >= 0)) throw invalid("retries must be a whole number of at least 0");
  const idleTimeout = settings.idleTimeout ?? DEFAULT_IDLE_TIMEOUT;
  if (!(idleTimeout > 0 && idleTimeout <= MAX_TIMER)) throw invalid(`idleTimeout must be a number of milliseconds from 1 to ${MAX_TIMER}`);
  // Called through globalThis: a browser refuses `fetch` called with any other `this` ("Illegal invocation").
  const send = settings.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  if (typeof send !== "function") throw invalid("no fetch: pass one in the fetch option");
  if (settings.onProgress !== undefined && typeof settings.onProgress !== "function") throw invalid("onProgress must be a function");
  return { retries, idleTimeout, fetch: send };
}

const totalOf = (parts: readonly PartToUpload[]) => parts.reduce((sum, part) => sum + (part.end - part.start), 0);

// ---------------------------------------------------------------------------------------------
// The transfer: its settings, its progress and the signal that stops every request in it
// ---------------------------------------------------------------------------------------------

interface Transfer {
  retries: number;
  idleTimeout: number;
  fetch: typeof fetch;
  meter: ProgressMeter;
  /** The caller's signal. */
  caller: AbortSignal | undefined;
  /** Fires when the caller aborts or a part fails for good: every request of the transfer stops. */
  stop: AbortController;
  /** Unhooks from the caller's signal. */
  end(): void;
}

function startTransfer(settings: PutSettings, total: number): Transfer {
  const checked = checkSettings(settings);
  const caller = settings.signal;
  if (caller?.aborted) throw abortedError(caller);
  const stop = new AbortController();
  const onAbort = () => stop.abort(caller?.reason);
  caller?.addEventListener("abort", onAbort, { once: true });
  return {
    ...checked,
    meter: meterOf(total, settings.onProgress),
    caller,
    stop,
    end: () => caller?.removeEventListener("abort", onAbort),
  };
}

/** The shared meter, with the caller's handler kept from breaking the transfer: it runs inside fetch's body reads. */
function meterOf(total: number, onProgress: UploadOptions["onProgress"]): ProgressMeter {
  const report =
    onProgress &&
    ((progress: TransferProgress) => {
      try {
        onProgress(progress);
      } catch {
        // A throwing progress handler is the caller's bug, not a failed upload.
      }
    });
  const meter = progressMeter(report);
  meter.setTotal(total);
  return meter;
}

/** The bytes of one request: counted as fetch reads them, completed when the storage accepts them, or taken back. */
function attemptBytes(meter: ProgressMeter) {
  let counted = 0;
  return {
    sent(bytes: number) {
      counted += bytes;
      meter.add(bytes);
    },
    accepted(size: number) {
      // A browser reads the body natively: then the whole part counts when its response arrives.
      meter.add(size - counted);
      counted = size;
    },
    takeBack() {
      meter.add(-counted);
      counted = 0;
    },
  };
}

const abortedError = (signal: AbortSignal) =>
  describeError("aborted", "the upload was aborted", { provider: "storage", cause: signal.reason }) as PresignError;

/** Thrown by a part that was stopped because another failed; never reaches the caller. */
const STOPPED = Symbol("stopped");

/**
 * Runs `work` on every item, at most `limit` at once, in order of the list. The first failure stops new work and
 * fires `transfer.stop`; it is thrown once the work in flight has settled.
 */
async function inPool<T, R>(items: readonly T[], limit: number, transfer: Transfer, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < items.length) {
      const item = items[next++]!;
      try {
        results.push(await work(item));
      } catch (error) {
        if (!failure && error !== STOPPED) {
          failure = { error };
          transfer.stop.abort(STOPPED);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
  // A caller's abort can land between two parts without failing either.
  if (transfer.caller?.aborted) throw abortedError(transfer.caller);
  return results;
}

// ---------------------------------------------------------------------------------------------
// One PUT, with its retries
// ---------------------------------------------------------------------------------------------

/** How an attempt ended: a response, or no response (a broken connection, or no progress for idleTimeout). */
type Outcome = { response: Response } | { response?: undefined; failure: "connection" | "timeout"; cause: unknown };

async function putWithRetries(part: PartToUpload, source: ByteSource, transfer: Transfer, etagRequired: boolean): Promise<UploadedPart> {
  for (let attempt = 1; ; attempt++) {
    throwIfStopped(transfer);
    const outcome = await putOnce(part, source, transfer);
    if (outcome.response?.ok) {
      discardBody(outcome.response);
      return { partNumber: part.partNumber, etag: etagOf(outcome.response, part, attempt, etagRequired) };
    }
    // Cancelled by the caller or by another part's failure: not this part's error.
    throwIfStopped(transfer);
    if (attempt > transfer.retries || !worthRetrying(outcome)) throw await finalError(outcome, part, attempt);
    if (outcome.response) discardBody(outcome.response);
    await sleep(delayBefore(attempt, outcome), transfer.stop.signal).catch(() => throwIfStopped(transfer));
  }
}

/** The caller's abort as an AbortedError; another part's failure as STOPPED. */
function throwIfStopped(transfer: Transfer) {
  if (transfer.caller?.aborted) throw abortedError(transfer.caller);
  if (transfer.stop.signal.aborted) throw STOPPED;
}

/** 5xx, 408 and 429 are the storage's passing trouble; a broken connection or a stall may mend too. */
function worthRetrying(outcome: Outcome): boolean {
  if (!outcome.response) return true;
  const { status } = outcome.response;
  return status >= 500 || status === 408 || status === 429;
}

/** Backoff as the API calls have it; a Retry-After (S3's SlowDown may send one) is obeyed when it is not too long. */
function delayBefore(attempt: number, outcome: Outcome): number {
  const hint = outcome.response && retryAfterMs(outcome.response.headers);
  if (hint !== undefined && hint <= defaultRetryPolicy.maxRetryAfter) return hintedDelayMs(hint);
  return backoffMs(attempt, defaultRetryPolicy);
}

/** Sends one attempt. It is abandoned when the transfer stops or nothing moves for idleTimeout. */
async function putOnce(part: PartToUpload, source: ByteSource, transfer: Transfer): Promise<Outcome> {
  const attempt = new AbortController();
  const stop = () => attempt.abort(transfer.stop.signal.reason);
  transfer.stop.signal.addEventListener("abort", stop, { once: true });
  const progress = attemptBytes(transfer.meter);
  const watchdog = new Watchdog(transfer.idleTimeout, () => attempt.abort(STALLED));
  let body: ObservedBlob | undefined;
  try {
    body = new ObservedBlob(source.slice(part.start, part.end), (bytes) => {
      progress.sent(bytes);
      watchdog.reset();
    });
    const sending = transfer.fetch(part.url, { method: "PUT", headers: { ...part.headers }, body, signal: attempt.signal });
    // fetch takes the body's stream when the request is made: from here on a silence of idleTimeout is a stall.
    if (body.observed) watchdog.start();
    const response = await sending;
    if (response.ok) progress.accepted(part.end - part.start);
    else progress.takeBack();
    return { response };
  } catch (error) {
    progress.takeBack();
    // The file changed or went away under us: sending again would read the same. Final, and the caller's to fix.
    if (!body || body.readError !== undefined) throw invalid(`part ${part.partNumber}: the upload source could not be read (changed or removed?)`);
    if (attempt.signal.reason === STALLED) return { failure: "timeout", cause: error };
    return { failure: "connection", cause: error };
  } finally {
    watchdog.stop();
    transfer.stop.signal.removeEventListener("abort", stop);
  }
}

const STALLED = Symbol("stalled");

/** Calls `fire` after `ms` without a reset, once started. */
class Watchdog {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #started = false;
  constructor(
    readonly ms: number,
    readonly fire: () => void,
  ) {}
  start() {
    this.#started = true;
    this.reset();
  }
  reset() {
    if (!this.#started) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(this.fire, this.ms);
  }
  stop() {
    this.#started = false;
    clearTimeout(this.#timer);
  }
}

/** The most bytes counted at once: a Blob in memory streams as one chunk, which would make progress jump by whole parts. */
const PIECE_BYTES = 64 * 1024;

/**
 * A Blob whose bytes are counted as fetch reads them. Node's fetch sends a Blob body through its `stream()` (and
 * with its size as Content-Length), so this sees the bytes leave; a browser reads the Blob natively and never calls
 * it, and then a part counts as sent when its response arrives.
 */
class ObservedBlob extends Blob {
  /** Whether fetch took the body through stream(). */
  observed = false;
  /** Why reading the source failed, if it did. */
  readError: unknown;
  readonly #onBytes: (bytes: number) => void;

  constructor(blob: Blob, onBytes: (bytes: number) => void) {
    super([blob]);
    this.#onBytes = onBytes;
  }

  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    this.observed = true;
    const reader = super.stream().getReader();
    const onBytes = this.#onBytes;
    const failed = (error: unknown) => {
      this.readError = error ?? new Error("unreadable");
      throw error;
    };
    let pending = new Uint8Array(0);
    return new ReadableStream({
      // One piece per pull: the stream asks for more only as fetch takes what it has.
      async pull(controller) {
        if (pending.byteLength === 0) {
          const { done, value } = await reader.read().catch(failed);
          if (done) return controller.close();
          pending = value;
        }
        const piece = pending.subarray(0, PIECE_BYTES);
        pending = pending.subarray(piece.byteLength);
        onBytes(piece.byteLength);
        controller.enqueue(piece);
      },
      cancel: (reason) => reader.cancel(reason),
    });
  }
}

/** The ETag of an accepted PUT. In a browser an absent one means the bucket's CORS does not expose it. */
function etagOf(response: Response, part: PartToUpload, attempts: number, required: boolean): string | undefined {
  const etag = response.headers.get("etag") ?? undefined;
  if (etag !== undefined || !required || typeof document === "undefined") return etag;
  const request = { method: "PUT", url: part.url };
  return throwing(storageError({ status: response.status, code: "etag_not_exposed", storage: storageOf(part.url), request, attempts }));
}

const throwing = (error: unknown): never => {
  throw error;
};

/** The error of a part's last attempt: what the storage said, or how the connection failed. */
async function finalError(outcome: Outcome, part: PartToUpload, attempts: number): Promise<PresignError> {
  if (outcome.response) return storageErrorOf(outcome.response, { method: "PUT", url: part.url }, attempts);
  const request = `PUT ${redactUrl(part.url)}`;
  if (outcome.failure === "timeout") {
    return describeError("timeout", "the storage took no bytes and sent no answer for too long (idleTimeout)", {
      provider: "storage",
      request,
      attempts,
    });
  }
  const code = networkCodeOf(outcome.cause);
  return describeError("connection", `the connection to the storage failed${code ? ` (${code})` : ""}`, { provider: "storage", request, attempts });
}

/** The system error code behind a failed fetch (undici puts it on the cause), never its message: it may quote the URL. */
function networkCodeOf(error: unknown, depth = 0): string | undefined {
  if (typeof error !== "object" || error === null || depth > 3) return undefined;
  const { code, cause } = error as { code?: unknown; cause?: unknown };
  if (typeof code === "string" && /^[A-Z0-9_]{2,40}$/.test(code)) return code;
  return networkCodeOf(cause, depth + 1);
}

/** A success's body (or a retried error's) is not needed: cancelling it frees the connection, however long it is. */
function discardBody(response: Response) {
  response.body?.cancel().catch(() => {});
}
