import { type ErrorDetails, type ErrorKind, describeError } from "./errors.js";
import type { Redactor } from "./redact.js";
import { type RetryPolicy, backoffMs, hintedDelayMs, retryAfterMs } from "./retry.js";

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
 * One attempt on the wire. The response comes back whole (body buffered, at most `maxBytes`), so a
 * reset mid-body fails here. The sender enforces the deadline (rejecting with a deadlineError()),
 * the size limit (rejecting with a tooLargeError() and destroying the connection) and the caller's
 * signal (rejecting with its reason).
 */
export type Send = (
  url: string,
  init: {
    method: string;
    headers: Headers;
    body: ArrayBuffer | string | undefined;
    timeout: number;
    maxBytes: number;
    signal: AbortSignal | undefined;
  },
) => Promise<Received>;

// Branded, not classes: the ESM and CJS builds each bundle their own copy of this module.
const DEADLINE = Symbol.for("presign.deadline");
const TOO_LARGE = Symbol.for("presign.tooLarge");
/** How a sender says an attempt ran past its deadline. */
export const deadlineError = (ms: number) => Object.assign(new Error(`no response within ${ms} ms`), { [DEADLINE]: true });
export const isDeadline = (error: unknown) => typeof error === "object" && error !== null && DEADLINE in error;
/** How a sender says a response body was larger than it may read (`status` of the response). */
export const tooLargeError = (maxBytes: number, status: number) =>
  Object.assign(new Error(`the response body is larger than ${maxBytes} bytes (maxResponseBytes)`), { [TOO_LARGE]: status });
const tooLargeStatus = (error: unknown): number | undefined =>
  typeof error === "object" && error !== null && TOO_LARGE in error ? (error as { [TOO_LARGE]: number })[TOO_LARGE] : undefined;

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
  /** The most bytes of a response body that are read (`maxResponseBytes`). */
  maxResponseBytes: number;
  rateLimitResetHeaders: readonly string[];
  middleware: readonly Middleware[];
  /** Cleans what the server or the network said before it goes into an error. */
  redact: Redactor;
  log?: (line: string) => void;
}

/** What one method call asks of the transport, and what it learns (attempts made, last retry hint). */
export interface CallState {
  policy: RetryPolicy;
  timeout: number;
  signal?: AbortSignal;
  /** The request may be sent twice without changing more than once (GET, PUT, DELETE, or a POST its spec marks so). */
  idempotent: boolean;
  /** Credential headers, added only to requests for the API origin. */
  credentials: Readonly<Record<string, string>>;
  /** Method and redacted URL, for logs and errors (computed when read). */
  readonly request: string;
  attempts: number;
  retryAfter?: number;
}

/** How one attempt ended: a response (with the wait it asks for), or a failure without one. */
export type Outcome =
  | { response: Received; hint: number | undefined; failure?: undefined }
  | { response?: undefined; hint?: undefined; failure: "timeout" | "connection"; cause: unknown };

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
export function shouldRetry(outcome: Outcome, call: CallState): boolean {
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
 * A network error fit to keep as a cause: its name, code and redacted message, and its own cause so
 * cleaned. Nothing else survives: node's parser errors carry the raw packet, which may echo the request.
 */
function cleanCause(error: unknown, redact: Redactor, depth = 0): Error | undefined {
  if (!(error instanceof Error) || depth > 3) return undefined;
  const { code } = error as { code?: unknown };
  const clean = Object.assign(new Error(redact(error.message, 300)), typeof code === "string" ? { code } : {});
  clean.name = error.name;
  const inner = cleanCause(error.cause, redact, depth + 1);
  if (inner) Object.defineProperty(clean, "cause", { value: inner });
  return clean;
}

/** One attempt's request as it goes to the sender. */
interface Sending {
  url: string;
  method: string;
  headers: Headers;
  body: string | ArrayBuffer | undefined;
}

/** Runs the user's request hooks on a Request of the attempt's own: what is to be sent, or the Response a hook gave. */
async function runRequestHooks(
  sending: Sending,
  middleware: readonly Middleware[],
  attempt: number,
): Promise<{ request: Request; sending?: Sending; response?: Response }> {
  let request = new Request(sending.url, { method: sending.method, headers: sending.headers, body: sending.body });
  for (const hook of middleware) {
    const result = await hook.onRequest?.({ request, attempt });
    if (result instanceof Response) return { request, response: result };
    if (result) request = result;
  }
  const body = request.body ? await request.clone().arrayBuffer() : undefined;
  return { request, sending: { url: request.url, method: request.method, headers: new Headers(request.headers), body } };
}

/** Runs the user's response hooks in order; each may replace the Response the next one sees. */
async function runResponseHooks(received: Received, request: Request, middleware: readonly Middleware[], attempt: number): Promise<Response> {
  let response = await toResponse(received);
  for (const hook of middleware) response = (await hook.onResponse?.({ request, response, attempt })) || response;
  return response;
}

type Fail = (kind: ErrorKind, what: string, details?: Partial<ErrorDetails>) => Error;
type Failed = Extract<Outcome, { failure: unknown }>;

/** Sends one attempt: its response, or how it failed. What no retry can mend is thrown as a typed error. */
async function sendOnce(sending: Sending, config: TransportConfig, call: CallState, fail: Fail): Promise<Received | Failed> {
  const { url, method, headers, body } = sending;
  // Hooks and raw calls can set any header; one that cannot be sent is the caller's error, not a network one.
  headers.forEach((value, name) => {
    if (!HEADER_SAFE.test(value)) throw fail("invalid_request", `header ${name} contains characters a header cannot carry`);
  });
  if (url.startsWith(`${config.origin}/`)) for (const name in call.credentials) headers.set(name, call.credentials[name]!);
  let response: Received;
  try {
    response = await config.send(url, { method, headers, body, timeout: call.timeout, maxBytes: config.maxResponseBytes, signal: call.signal });
  } catch (error) {
    if (call.signal?.aborted) throw fail("aborted", "the request was aborted", { cause: call.signal.reason });
    const status = tooLargeStatus(error);
    // Reading stopped and the connection is gone; another attempt would bring the same body.
    if (status !== undefined) throw fail("malformed_response", (error as Error).message, { status });
    return { failure: isDeadline(error) ? "timeout" : "connection", cause: error };
  }
  // Following a redirect could carry credentials to another host.
  if (response.status >= 300 && response.status < 400) {
    throw fail("malformed_response", "the API answered with a redirect, which is not followed", { status: response.status });
  }
  return response;
}

/**
 * The fetch handed to openapi-fetch: adds credentials for the API origin only, runs user hooks
 * per attempt, retries what is safe and worth retrying under a per-attempt deadline, and throws
 * typed errors for failures without a response.
 */
export async function transport(input: Request | Outgoing, config: TransportConfig, call: CallState): Promise<Received> {
  const { policy, signal } = call;
  const body = input instanceof Request ? (input.body ? await input.arrayBuffer() : undefined) : input.body;
  const fail: Fail = (kind, what, details) =>
    describeError(kind, what, { provider: config.provider, attempts: call.attempts, request: call.request, ...details });
  const pause = (ms: number) =>
    sleep(ms, signal).catch((reason) => Promise.reject(fail("aborted", "the request was aborted", { cause: reason })));

  for (let attempt = 1; ; attempt++) {
    let sending: Sending = { url: input.url, method: input.method, headers: new Headers(input.headers), body };
    let request: Request | undefined;
    let given: Response | undefined;
    // Hooks get a Request of their own each attempt; without hooks none is built (it is costly).
    if (config.middleware.length) {
      const hooked = await runRequestHooks(sending, config.middleware, attempt);
      ({ request, response: given } = hooked);
      if (hooked.sending) sending = hooked.sending;
    }
    // Checked after the hooks (they may be slow) and before counting: an abort reports only the attempts sent.
    if (signal?.aborted) throw fail("aborted", "the request was aborted", { cause: signal.reason });
    call.attempts = attempt;
    const started = Date.now();
    let result = given ?? (await sendOnce(sending, config, call, fail));
    if (request && !("failure" in result)) result = await runResponseHooks(result, request, config.middleware, attempt);
    const outcome: Outcome = "failure" in result ? result : { response: result, hint: hintOf(result) };
    call.retryAfter = outcome.hint === undefined ? undefined : outcome.hint / 1000;
    config.log?.(`[presign:${config.provider}] ${call.request} -> ${outcome.response?.status ?? outcome.failure} (attempt ${attempt}, ${Date.now() - started} ms)`);

    if (attempt > policy.maxRetries || !shouldRetry(outcome, call)) return settle(outcome);
    await pause(outcome.hint !== undefined ? hintedDelayMs(outcome.hint) : backoffMs(attempt, policy));
  }

  /** The wait a retryable response asks for (a provider's reset header counts on a 429 only). */
  function hintOf({ status, headers }: Received): number | undefined {
    if (!policy.statuses.includes(status)) return undefined;
    return retryAfterMs(headers, status === 429 ? config.rateLimitResetHeaders : []);
  }

  /** The last attempt's response, or the typed error for a failure without one. */
  function settle(outcome: Outcome): Received {
    if (outcome.response) return outcome.response;
    const what = outcome.failure === "timeout" ? `no response within ${call.timeout} ms` : "the connection failed";
    throw fail(outcome.failure, what, { cause: cleanCause(outcome.cause, config.redact) });
  }
}
