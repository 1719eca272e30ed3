import { type ErrorKind, type PresignError, describeError } from "./errors.js";
import { type RetryPolicy, backoffMs, retryAfterMs } from "./retry.js";

/** Hooks that run around every attempt, retries included. Credentials are added after `onRequest`, so hooks never see them. */
export interface Middleware {
  onRequest?(context: { request: Request; attempt: number }): Request | Response | void | Promise<Request | Response | void>;
  onResponse?(context: { request: Request; response: Response; attempt: number }): Response | void | Promise<Response | void>;
}

export interface TransportConfig {
  provider: string;
  /** The API's origin: the only one credentials are sent to. */
  origin: string;
  /** Sends one attempt and returns the response with its body already read. */
  send: Send;
  rateLimitResetHeaders: readonly string[];
  middleware: readonly Middleware[];
  log?: (line: string) => void;
  redact: (text: string) => string;
}

/** One attempt on the wire. The response comes back whole (body buffered), so a reset mid-body fails here. */
export type Send = (
  url: string,
  init: { method: string; headers: Headers; body: ArrayBuffer | undefined; signal: AbortSignal },
) => Promise<Response>;

/** What one method call asks of the transport, and what it learns (attempts made, last retry hint). */
export interface CallState {
  policy: RetryPolicy;
  timeout: number;
  signal?: AbortSignal;
  /** Credential headers, added only to requests for the API origin. */
  credentials: Readonly<Record<string, string>>;
  /** Method and redacted URL, for logs and errors. */
  request: string;
  attempts: number;
  retryAfter?: number;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const done = () => {
      signal?.removeEventListener("abort", abort);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", abort, { once: true });
  });
}

/** One attempt under a deadline; a caller's abort ends it at once. Failures come back as data, not thrown. */
async function attemptOnce(config: TransportConfig, call: CallState, url: string, method: string, headers: Headers, body: ArrayBuffer | undefined) {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, call.timeout);
  const { signal } = call;
  const abort = () => controller.abort();
  signal?.addEventListener("abort", abort, { once: true });
  try {
    return { response: await config.send(url, { method, headers, body, signal: controller.signal }) };
  } catch (cause) {
    const kind: ErrorKind = signal?.aborted ? "aborted" : timedOut ? "timeout" : "connection";
    return { failure: { kind, cause } };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", abort);
  }
}

/**
 * The fetch handed to openapi-fetch: adds credentials for the API origin only, runs user hooks
 * per attempt, retries what is worth retrying, and throws typed errors for failures without a response.
 */
export async function transport(input: Request, config: TransportConfig, call: CallState): Promise<Response> {
  const { policy, signal } = call;
  const body = input.body ? await input.arrayBuffer() : undefined;
  for (let attempt = 1; ; attempt++) {
    call.attempts = attempt;
    if (signal?.aborted) throw fail(config, call, "aborted", "the request was aborted", signal.reason);
    let { url, method } = input;
    let headers = new Headers(input.headers);
    let attemptBody = body;
    let request: Request | undefined;
    let response: Response | undefined;
    // Hooks get a Request of their own each attempt; without hooks none is built (it is costly).
    if (config.middleware.length) {
      let hooked = new Request(url, { method, headers, body });
      for (const hook of config.middleware) {
        const result = await hook.onRequest?.({ request: hooked, attempt });
        if (result instanceof Response) {
          response = result;
          break;
        }
        if (result) hooked = result;
      }
      request = hooked;
      ({ url, method } = hooked);
      headers = new Headers(hooked.headers);
      attemptBody = hooked.body ? await hooked.clone().arrayBuffer() : undefined;
    }
    const started = Date.now();
    let failure: { kind: ErrorKind; cause: unknown } | undefined;
    if (!response) {
      if (url.startsWith(`${config.origin}/`)) {
        for (const name in call.credentials) headers.set(name, call.credentials[name]!);
      }
      const result = await attemptOnce(config, call, url, method, headers, attemptBody);
      if (result.failure) failure = result.failure;
      else if (result.response.status >= 300 && result.response.status < 400) {
        // Following a redirect could carry credentials to another host.
        throw fail(config, call, "malformed_response", "the API answered with a redirect, which is not followed");
      } else response = result.response;
    }
    for (const hook of request && response ? config.middleware : []) {
      const result = await hook.onResponse?.({ request: request!, response: response!, attempt });
      if (result) response = result;
    }
    const ms = Date.now() - started;
    config.log?.(
      `[presign:${config.provider}] ${call.request} -> ${response ? response.status : failure!.kind} (attempt ${attempt}, ${ms} ms)`,
    );

    if (failure?.kind === "aborted") throw fail(config, call, "aborted", "the request was aborted", failure.cause);
    const retriesLeft = attempt <= policy.maxRetries;
    if (response) {
      const retryable = policy.statuses.includes(response.status);
      const resetHeaders = response.status === 429 ? config.rateLimitResetHeaders : [];
      const hint = retryable ? retryAfterMs(response.headers, resetHeaders) : undefined;
      call.retryAfter = hint === undefined ? undefined : hint / 1000;
      const shouldRetry = response.headers.get("x-should-retry");
      if (!retryable || !retriesLeft || shouldRetry === "false" || (hint ?? 0) > policy.maxRetryAfter) return response;
      await pause(hint ?? backoffMs(attempt, policy), config, call);
    } else {
      if (!retriesLeft) {
        const message = failure!.kind === "timeout" ? `no response within ${call.timeout} ms` : "the connection failed";
        throw fail(config, call, failure!.kind, message, failure!.cause);
      }
      await pause(backoffMs(attempt, policy), config, call);
    }
  }
}

async function pause(ms: number, config: TransportConfig, call: CallState) {
  try {
    await sleep(ms, call.signal);
  } catch (reason) {
    throw fail(config, call, "aborted", "the request was aborted", reason);
  }
}

function fail(config: TransportConfig, call: CallState, kind: ErrorKind, what: string, cause?: unknown): PresignError {
  return describeError(kind, what, { provider: config.provider, attempts: call.attempts, request: call.request, cause });
}
