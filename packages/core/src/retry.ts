import type { Received } from "./request.js";

/** How a client retries: how often, how long it waits, and which statuses are worth another attempt. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Backoff before retry n is a random delay in [0, min(maxDelay, baseDelay × 2^(n-1))] ms ("full jitter"). */
  baseDelay: number;
  maxDelay: number;
  /**
   * The longest server-requested wait (ms) we sleep through. A longer Retry-After is not slept
   * through: the call fails at once with a RateLimitError (or ServerError) carrying `retryAfter`.
   */
  maxRetryAfter: number;
  /** Statuses worth another attempt (of a request that is safe to repeat; see `shouldRetry`). */
  statuses: readonly number[];
}

/** The retry settings a client starts from: 2 retries, 0.5 s to 8 s full-jitter backoff, Retry-After up to 20 s. */
export const defaultRetryPolicy: RetryPolicy = {
  maxRetries: 2,
  baseDelay: 500,
  maxDelay: 8_000,
  maxRetryAfter: 20_000,
  statuses: [408, 429, 500, 502, 503, 504, 529],
};

/**
 * The wait (ms) a response asks for: `retry-after-ms`, then `Retry-After` (seconds or an HTTP
 * date), then any provider header that counts seconds (Datadog's `X-RateLimit-Reset`).
 */
export function retryAfterMs(headers: Headers, secondsHeaders: readonly string[] = [], now = Date.now()): number | undefined {
  const ms = Number.parseFloat(headers.get("retry-after-ms") ?? "");
  if (ms >= 0) return ms;
  const retryAfter = headers.get("retry-after");
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (retryAfter.trim() !== "" && seconds >= 0) return seconds * 1000;
    // An HTTP date has a weekday and month name; Date.parse alone would read "-1" as a year.
    const date = /[a-z]/i.test(retryAfter) ? Date.parse(retryAfter) : Number.NaN;
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  for (const name of secondsHeaders) {
    const seconds = Number.parseFloat(headers.get(name) ?? "");
    if (seconds >= 0) return seconds * 1000;
  }
  return undefined;
}

/** Full-jitter exponential backoff before retry number `retry` (1-based). */
export function backoffMs(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  return random() * Math.min(policy.maxDelay, policy.baseDelay * 2 ** (retry - 1));
}

/**
 * The wait before obeying a server's hint: the hint, plus a random extra of up to a fifth of it
 * (at least 100 ms, at most 1 s), so that clients told the same Retry-After do not return in
 * lockstep. Never earlier than the hint.
 */
export function hintedDelayMs(hint: number, random: () => number = Math.random): number {
  return hint + random() * Math.min(1_000, Math.max(100, hint / 5));
}

/** How one attempt ended: a response (with the wait it asks for), or a failure without one. */
export type Outcome =
  | { response: Received; hint: number | undefined; failure?: undefined }
  | { response?: undefined; hint?: undefined; failure: "timeout" | "connection"; cause: unknown };

/** What a retry decision needs to know of the call. */
export interface RetryContext {
  policy: RetryPolicy;
  /** The request may be sent twice without changing more than once (GET, PUT, DELETE, or a POST its spec marks so). */
  idempotent: boolean;
}

/** Error codes of a connection that failed before a byte of the request was written. */
const NEVER_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL"]);

/** Whether a network error proves the request never left (node:http puts the code on the error, fetch on its cause). */
function neverSent(error: unknown, depth = 0): boolean {
  if (typeof error !== "object" || error === null || depth > 3) return false;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === "string" && NEVER_SENT.has(code)) return true;
  // Happy eyeballs reports every address it tried in an AggregateError: all of them must have refused.
  if (Array.isArray(errors) && errors.length) return errors.every((e) => neverSent(e, depth + 1));
  return neverSent(cause, depth + 1);
}

/**
 * Whether an attempt that ended so may be made again (retries left and the caller's signal aside).
 * A request that changes state is repeated only when the server cannot have acted on it.
 */
export function shouldRetry(outcome: Outcome, call: RetryContext): boolean {
  if (!outcome.response) {
    // Refused before a byte was written: the server never saw it.
    if (outcome.failure === "connection" && neverSent(outcome.cause)) return true;
    // A timeout or a broken connection: the server may have acted on it.
    return call.idempotent;
  }
  const { status, headers } = outcome.response;
  // A status that is not transient: a success, the caller's fault, or final.
  if (!call.policy.statuses.includes(status)) return false;
  // The server says not to.
  if (headers.get("x-should-retry") === "false") return false;
  // The server asks for more time than we sleep through: the error carries the hint instead.
  if ((outcome.hint ?? 0) > call.policy.maxRetryAfter) return false;
  // Rate limited, or the request timed out before it was read: it was not processed.
  if (status === 429 || status === 408) return true;
  // Unavailable, come back later: the server says it did not process it.
  if (status === 503 && outcome.hint !== undefined) return true;
  // Any other transient status (500, 502, 504, …): the server may have acted on it.
  return call.idempotent;
}
