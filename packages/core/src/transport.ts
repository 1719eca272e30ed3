import { type ErrorKind, describeError } from "./errors.js";
import { type RetryPolicy, backoffMs, retryAfterMs } from "./retry.js";

/** Hooks that run around every attempt, retries included. Credentials are added after `onRequest`, so hooks never see them. */
export interface Middleware {
  onRequest?(context: { request: Request; attempt: number }): Request | Response | void | Promise<Request | Response | void>;
  onResponse?(context: { request: Request; response: Response; attempt: number }): Response | void | Promise<Response | void>;
}

/** A response whose body is already read: a Response, or the lighter record the Node sender makes. */
export interface Received {
  status: number;
  statusText: string;
  headers: Headers;
  text(): Promise<string>;
}

/** What the transport sends: a Request (from openapi-fetch, for `raw`) or its parts (from the generated methods). */
export interface Outgoing {
  url: string;
  method: string;
  headers: Headers;
  body?: string;
}

/**
 * One attempt on the wire. The response comes back whole (body buffered), so a reset mid-body fails here.
 * The sender enforces the deadline (rejecting with a deadlineError()) and the caller's signal (rejecting with its reason).
 */
export type Send = (
  url: string,
  init: { method: string; headers: Headers; body: ArrayBuffer | string | undefined; timeout: number; signal: AbortSignal | undefined },
) => Promise<Received>;

const DEADLINE = Symbol.for("presign.deadline");
/** How a sender says an attempt ran past its deadline (branded, not a class: the ESM and CJS builds each bundle their own copy). */
export const deadlineError = (ms: number) => Object.assign(new Error(`no response within ${ms} ms`), { [DEADLINE]: true });
export const isDeadline = (error: unknown) => typeof error === "object" && error !== null && DEADLINE in error;

/** Characters a header value can carry: what node:http and fetch accept, without CR or LF. */
export const HEADER_SAFE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** A Response for whoever needs one (openapi-fetch, response hooks); made only then. */
export const toResponse = async (received: Received): Promise<Response> =>
  received instanceof Response
    ? received
    : new Response([101, 204, 205, 304].includes(received.status) ? null : await received.text(), received);

export interface TransportConfig {
  provider: string;
  /** The API's origin: the only one credentials are sent to. */
  origin: string;
  send: Send;
  rateLimitResetHeaders: readonly string[];
  middleware: readonly Middleware[];
  log?: (line: string) => void;
}

/** What one method call asks of the transport, and what it learns (attempts made, last retry hint). */
export interface CallState {
  policy: RetryPolicy;
  timeout: number;
  signal?: AbortSignal;
  /** Credential headers, added only to requests for the API origin. */
  credentials: Readonly<Record<string, string>>;
  /** Method and redacted URL, for logs and errors (computed when read). */
  readonly request: string;
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
    else signal?.addEventListener("abort", stop, { once: true });
  });

/**
 * The fetch handed to openapi-fetch: adds credentials for the API origin only, runs user hooks
 * per attempt, retries what is worth retrying under a per-attempt deadline, and throws typed
 * errors for failures without a response.
 */
export async function transport(input: Request | Outgoing, config: TransportConfig, call: CallState): Promise<Received> {
  const { policy, signal } = call;
  const body = input instanceof Request ? (input.body ? await input.arrayBuffer() : undefined) : input.body;
  const fail = (kind: ErrorKind, what: string, cause?: unknown) =>
    describeError(kind, what, { provider: config.provider, attempts: call.attempts, request: call.request, cause });
  const pause = (ms: number) => sleep(ms, signal).catch((reason) => Promise.reject(fail("aborted", "the request was aborted", reason)));

  for (let attempt = 1; ; attempt++) {
    let { url, method } = input;
    let headers = new Headers(input.headers);
    let sent = body;
    let request: Request | undefined;
    let response: Received | void | undefined;
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

    // Checked after the hooks (they may be slow) and before counting: an abort reports only the attempts sent.
    if (signal?.aborted) throw fail("aborted", "the request was aborted", signal.reason);
    call.attempts = attempt;
    const started = Date.now();
    let failure: ErrorKind | undefined;
    let cause: unknown;
    if (!response) {
      // Hooks and raw calls can set any header; one that cannot be sent is the caller's error, not a network one.
      headers.forEach((value, name) => {
        if (!HEADER_SAFE.test(value)) throw fail("invalid_request", `header ${name} contains characters a header cannot carry`);
      });
      if (url.startsWith(`${config.origin}/`)) for (const name in call.credentials) headers.set(name, call.credentials[name]!);
      try {
        response = await config.send(url, { method, headers, body: sent, timeout: call.timeout, signal });
      } catch (error) {
        cause = error;
        failure = signal?.aborted ? "aborted" : isDeadline(error) ? "timeout" : "connection";
      }
      // Following a redirect could carry credentials to another host.
      if (response && response.status >= 300 && response.status < 400) {
        throw fail("malformed_response", "the API answered with a redirect, which is not followed");
      }
    }
    if (request && response) {
      let hooked = await toResponse(response);
      for (const hook of config.middleware) hooked = (await hook.onResponse?.({ request, response: hooked, attempt })) || hooked;
      response = hooked;
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
