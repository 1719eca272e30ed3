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
