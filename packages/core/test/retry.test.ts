import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type ClientOptions, defaultRetryPolicy, InvalidRequestError, RateLimitError, ServerError } from "../src/index.js";
import { backoffMs, createPresignClient, hintedDelayMs, type Outcome, retryAfterMs, shouldRetry } from "../src/internal.js";
import { client, definition, fakeFetch, ok, profile, status, type TestClient } from "./helpers.js";

describe("retryAfterMs", () => {
  const headers = (h: Record<string, string>) => new Headers(h);
  it("reads retry-after-ms, then Retry-After in seconds or as a date, then provider headers", () => {
    expect(retryAfterMs(headers({ "retry-after-ms": "250", "retry-after": "9" }))).toBe(250);
    expect(retryAfterMs(headers({ "retry-after": "3" }))).toBe(3000);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryAfterMs(headers({ "retry-after": "Thu, 01 Jan 2026 00:00:05 GMT" }), [], now)).toBe(5000);
    expect(retryAfterMs(headers({ "retry-after": "Wed, 31 Dec 2025 00:00:00 GMT" }), [], now)).toBe(0);
    expect(retryAfterMs(headers({ "x-ratelimit-reset": "7" }), ["x-ratelimit-reset"])).toBe(7000);
    expect(retryAfterMs(headers({ "x-ratelimit-reset": "7" }))).toBeUndefined();
    expect(retryAfterMs(headers({ "retry-after": "soon" }))).toBeUndefined();
    expect(retryAfterMs(headers({ "retry-after": "-1" }))).toBeUndefined();
  });
});

describe("backoffMs", () => {
  it("is full jitter over an exponential ceiling capped at maxDelay", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffMs(n, defaultRetryPolicy, () => 1))).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
    expect(backoffMs(3, defaultRetryPolicy, () => 0)).toBe(0);
    expect(backoffMs(2, defaultRetryPolicy, () => 0.25)).toBe(250);
  });
});

describe("hintedDelayMs", () => {
  it("waits the hint plus up to a fifth of it (at least 100 ms, at most 1 s), never less than the hint", () => {
    expect(hintedDelayMs(1000, () => 0)).toBe(1000);
    expect(hintedDelayMs(1000, () => 1)).toBe(1200);
    expect(hintedDelayMs(0, () => 1)).toBe(100);
    expect(hintedDelayMs(20_000, () => 1)).toBe(21_000);
  });
});

describe("shouldRetry", () => {
  const call = (idempotent: boolean) => ({ idempotent, policy: defaultRetryPolicy });
  const answered = (status: number, headers: Record<string, string> = {}, hint?: number): Outcome => ({
    response: { status, statusText: "", ok: status < 300, headers: new Headers(headers), text: async () => "" },
    hint,
  });
  const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
  const cases: { outcome: Outcome; what: string; read: boolean; change: boolean }[] = [
    { what: "a timeout", outcome: { failure: "timeout", cause: new Error("x") }, read: true, change: false },
    { what: "a reset", outcome: { failure: "connection", cause: Object.assign(new Error("x"), { code: "ECONNRESET" }) }, read: true, change: false },
    { what: "a refused connection", outcome: { failure: "connection", cause: refused }, read: true, change: true },
    {
      what: "fetch's refused connection",
      outcome: { failure: "connection", cause: new TypeError("fetch failed", { cause: refused }) },
      read: true,
      change: true,
    },
    {
      what: "happy eyeballs, all refused",
      outcome: { failure: "connection", cause: Object.assign(new AggregateError([refused, refused]), {}) },
      read: true,
      change: true,
    },
    {
      what: "happy eyeballs, one reset",
      outcome: { failure: "connection", cause: new AggregateError([refused, new Error("reset")]) },
      read: true,
      change: false,
    },
    { what: "500", outcome: answered(500), read: true, change: false },
    { what: "503 without a hint", outcome: answered(503), read: true, change: false },
    { what: "503 with Retry-After", outcome: answered(503, {}, 1000), read: true, change: true },
    { what: "429", outcome: answered(429), read: true, change: true },
    { what: "408", outcome: answered(408), read: true, change: true },
    { what: "400", outcome: answered(400), read: false, change: false },
    { what: "503 with x-should-retry: false", outcome: answered(503, { "x-should-retry": "false" }, 1000), read: false, change: false },
    { what: "429 asking for more than maxRetryAfter", outcome: answered(429, {}, 60_000), read: false, change: false },
  ];
  it.each(cases)("$what: a read is retried: $read; a state change: $change", ({ outcome, read, change }) => {
    expect(shouldRetry(outcome, call(true))).toBe(read);
    expect(shouldRetry(outcome, call(false))).toBe(change);
  });
});

describe("retry decisions under fake timers", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.spyOn(Math, "random").mockReturnValue(0.5);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it("sleeps the jittered backoff between attempts: 250 ms, then 500 ms", async () => {
    const f = fakeFetch(status(503), status(503), ok);
    const result = client({ fetch: f.fetch }).presign({ fileId: "f1", expiresIn: 60 });
    await vi.advanceTimersByTimeAsync(0);
    expect(f.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(249);
    expect(f.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(f.requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(499);
    expect(f.requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    await expect(result).resolves.toEqual({ url: expect.any(String) });
    expect(f.requests).toHaveLength(3);
    // The body is replayed intact on every attempt.
    expect(await Promise.all(f.requests.map((r) => r.text()))).toEqual(Array(3).fill('{"expires_in":60}'));
  });

  it("waits what Retry-After asks plus a jitter of up to a fifth of it (here 0.5 × 600 ms), never less", async () => {
    const f = fakeFetch(status(429, { "retry-after": "3" }), ok);
    const result = client({ fetch: f.fetch }).presign({ fileId: "f1" });
    await vi.advanceTimersByTimeAsync(3299);
    expect(f.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(result).resolves.toBeDefined();
    expect(f.requests).toHaveLength(2);
  });

  it("does not sleep through a Retry-After beyond maxRetryAfter: a RateLimitError with the hint, at once", async () => {
    const f = fakeFetch(status(429, { "retry-after": "21" }));
    const error = await client({ fetch: f.fetch })
      .presign({ fileId: "f1" })
      .catch((e) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ retryAfter: 21, attempts: 1, status: 429, messages: ["status 429"] });
  });

  it("honours x-should-retry: false, per-call maxRetries, and never retries a 400", async () => {
    const noRetry = fakeFetch(status(503, { "x-should-retry": "false" }));
    await expect(client({ fetch: noRetry.fetch }).presign({ fileId: "f1" })).rejects.toBeInstanceOf(ServerError);
    expect(noRetry.requests).toHaveLength(1);

    const perCall = fakeFetch(status(500));
    await expect(client({ fetch: perCall.fetch }).presign({ fileId: "f1" }, { maxRetries: 0 })).rejects.toMatchObject({ attempts: 1 });

    const bad = fakeFetch(status(400));
    await expect(client({ fetch: bad.fetch }).presign({ fileId: "f1" })).rejects.toBeInstanceOf(InvalidRequestError);
    expect(bad.requests).toHaveLength(1);
  });

  it("reads a provider's rate-limit reset header on a 429 only: a 503 carrying it gets the usual backoff", async () => {
    const resetProfile = { ...profile, rateLimitResetHeaders: ["x-ratelimit-reset"] };
    const make = (fetch: typeof globalThis.fetch) =>
      createPresignClient<TestClient>(definition, resetProfile, { apiKey: "k", fetch } as ClientOptions);
    const limited = fakeFetch(status(429, { "x-ratelimit-reset": "2" }), ok);
    const first = make(limited.fetch).presign({ fileId: "f1" });
    // 2 s, plus half of the 400 ms jitter.
    await vi.advanceTimersByTimeAsync(2199);
    expect(limited.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(first).resolves.toBeDefined();

    const unavailable = fakeFetch(status(503, { "x-ratelimit-reset": "45" }), ok);
    const second = make(unavailable.fetch).presign({ fileId: "f1" });
    await vi.advanceTimersByTimeAsync(250);
    await expect(second).resolves.toBeDefined();
    expect(unavailable.requests).toHaveLength(2);
  });

  it("spreads clients told the same Retry-After apart instead of sending them back in lockstep", async () => {
    vi.mocked(Math.random).mockRestore();
    const started = Date.now();
    const arrivals: number[] = [];
    const calls = Array.from({ length: 20 }, () => {
      let first = true;
      const fetch = async () => {
        if (first) {
          first = false;
          return status(429, { "retry-after": "1" })();
        }
        arrivals.push(Date.now() - started);
        return ok();
      };
      return client({ fetch: fetch as typeof globalThis.fetch }).presign({ fileId: "f1" });
    });
    await vi.advanceTimersByTimeAsync(1_300);
    await Promise.all(calls);
    expect(arrivals).toHaveLength(20);
    expect(Math.min(...arrivals)).toBeGreaterThanOrEqual(1000);
    expect(Math.max(...arrivals)).toBeLessThanOrEqual(1200);
    // Twenty uniform draws over 200 ms all within 50 ms of each other: odds below 1 in 10^10.
    expect(Math.max(...arrivals) - Math.min(...arrivals)).toBeGreaterThan(50);
  });

  it("stops sleeping and throws AbortedError when the caller aborts during a backoff", async () => {
    const f = fakeFetch(status(503));
    const controller = new AbortController();
    const result = client({ fetch: f.fetch })
      .presign({ fileId: "f1" }, { signal: controller.signal })
      .catch((e) => e);
    await vi.advanceTimersByTimeAsync(100);
    controller.abort();
    const error = await result;
    expect(error.kind).toBe("aborted");
    expect(f.requests).toHaveLength(1);
  });
});
