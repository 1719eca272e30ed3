import { type ErrorKind, describeError } from "./errors.js";
import { type RetryPolicy, backoffMs, retryAfterMs } from "./retry.js";

/** Hooks that run around every attempt, retries included. Credentials are added after `onRequest`, so hooks never see them. */
export interface Middleware {
  onRequest?(context: { request: Request; attempt: number }): Request | Response | void | Promise<Request | Response | void>;
  onResponse?(context: { request: Request; response: Response; attempt: number }): Response | void | Promise<Response | void>;
}

/** One attempt on the wire. The response comes back whole (body buffered), so a reset mid-body fails here. */
export type Send = (
  url: string,
  init: { method: string; headers: Headers; body: ArrayBuffer | undefined; signal: AbortSignal },
) => Promise<Response>;

export interface TransportConfig {
  provider: string;
  /** The API's origin: the only one credentials are sent to. */
  origin: string;
  send: Send;
  rateLimitResetHeaders: readonly string[];
  middleware: readonly Middleware[];
  log?: (line: string) => void;
  redact: (text: string) => string;
}

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

/** Waits, unless the caller's signal fires first. */
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const stop = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", stop);
      resolve();
    }, ms);
    if (signal?.aborted) stop();
    signal?.addEventListener("abort", stop, { once: true });
  });

/**
 * The fetch handed to openapi-fetch: adds credentials for the API origin only, runs user hooks
 * per attempt, retries what is worth retrying under a per-attempt deadline, and throws typed
 * errors for failures without a response.
 */
export async function transport(input: Request, config: TransportConfig, call: CallState): Promise<Response> {
  const { policy, signal } = call;
  const body = input.body ? await input.arrayBuffer() : undefined;
  const fail = (kind: ErrorKind, what: string, cause?: unknown) =>
    describeError(kind, what, { provider: config.provider, attempts: call.attempts, request: call.request, cause });
  const pause = (ms: number) => sleep(ms, signal).catch((reason) => Promise.reject(fail("aborted", "the request was aborted", reason)));

  for (let attempt = 1; ; attempt++) {
    call.attempts = attempt;
    if (signal?.aborted) throw fail("aborted", "the request was aborted", signal.reason);
    let { url, method } = input;
    let headers = new Headers(input.headers);
    let sent = body;
    let request: Request | undefined;
    let response: Response | void | undefined;
    // Hooks get a Request of their own each attempt; without hooks none is built (it is costly).
    if (config.middleware.length) {
      let hooked = new Request(url, { method, headers, body });
      for (const hook of config.middleware) {
        const result = await hook.onRequest?.({ request: hooked, attempt });
        if (result instanceof Response) response = result;
        else if (result) hooked = result;
        if (response) break;
      }
      request = hooked;
      ({ url, method } = hooked);
      headers = new Headers(hooked.headers);
      sent = hooked.body ? await hooked.clone().arrayBuffer() : undefined;
    }

    const started = Date.now();
    let failure: ErrorKind | undefined;
    let cause: unknown;
    if (!response) {
      if (url.startsWith(`${config.origin}/`)) for (const name in call.credentials) headers.set(name, call.credentials[name]!);
      const controller = new AbortController();
      const deadline = setTimeout(() => controller.abort(), call.timeout);
      const abort = () => controller.abort();
      signal?.addEventListener("abort", abort);
      try {
        response = await config.send(url, { method, headers, body: sent, signal: controller.signal });
      } catch (error) {
        cause = error;
        failure = signal?.aborted ? "aborted" : controller.signal.aborted ? "timeout" : "connection";
      } finally {
        clearTimeout(deadline);
        signal?.removeEventListener("abort", abort);
      }
      // Following a redirect could carry credentials to another host.
      if (response && response.status >= 300 && response.status < 400) {
        throw fail("malformed_response", "the API answered with a redirect, which is not followed");
      }
    }
    for (const hook of request && response ? config.middleware : []) {
      response = (await hook.onResponse?.({ request: request!, response: response!, attempt })) || response;
    }
    config.log?.(`[presign:${config.provider}] ${call.request} -> ${response ? response.status : failure} (attempt ${attempt}, ${Date.now() - started} ms)`);

    if (failure === "aborted") throw fail(failure, "the request was aborted", cause);
    const retriesLeft = attempt <= policy.maxRetries;
    if (response) {
      const { status, headers: got } = response;
      const retryable = policy.statuses.includes(status);
      const hint = retryable ? retryAfterMs(got, status === 429 ? config.rateLimitResetHeaders : []) : undefined;
      call.retryAfter = hint === undefined ? undefined : hint / 1000;
      if (!retryable || !retriesLeft || got.get("x-should-retry") === "false" || (hint ?? 0) > policy.maxRetryAfter) return response;
      await pause(hint ?? backoffMs(attempt, policy));
    } else {
      if (!retriesLeft) throw fail(failure!, failure === "timeout" ? `no response within ${call.timeout} ms` : "the connection failed", cause);
      await pause(backoffMs(attempt, policy));
    }
  }
}
