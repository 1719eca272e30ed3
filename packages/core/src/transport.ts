/**
 * The fetch every call is sent with, handed to openapi-fetch: it runs after the user's `onRequest`
 * hooks, adds credentials for the API origin only, makes each attempt under its deadline, and
 * retries what is safe and worth retrying. Failures without a response become typed errors.
 */
import { describeError, type ErrorDetails, type ErrorKind, type PresignError } from "./errors.js";
import type { Redactor } from "./redact.js";
import { bodyOf, HEADER_SAFE, LightRequest, type Received } from "./request.js";
import { backoffMs, hintedDelayMs, type Outcome, type RetryPolicy, retryAfterMs, shouldRetry } from "./retry.js";
import { isDeadline, type Send, tooLargeStatus } from "./send.js";
import { sleep } from "./sleep.js";

/** What stays the same for every call of a client. */
export interface TransportConfig {
  provider: string;
  /** The API's origin: the only one credentials are sent to. */
  origin: string;
  send: Send;
  /** The most bytes of a response body that are read (`maxResponseBytes`). */
  maxResponseBytes: number;
  rateLimitResetHeaders: readonly string[];
  /** Cleans what the server or the network said before it goes into an error. */
  redact: Redactor;
  log?: (line: string) => void;
}

/** What one call asks of the transport. */
export interface CallSettings {
  policy: RetryPolicy;
  timeout: number;
  signal?: AbortSignal;
  /** The request may be sent twice without changing more than once (GET, PUT, DELETE, or a POST its spec marks so). */
  idempotent: boolean;
  /** Credential headers, added only to requests for the API origin. */
  credentials: Readonly<Record<string, string>>;
}

/** One call: what it asks of the transport, and what it learns (the request sent, attempts made, last retry hint). */
export class CallState implements CallSettings {
  policy: RetryPolicy;
  timeout: number;
  signal: AbortSignal | undefined;
  idempotent: boolean;
  credentials: Readonly<Record<string, string>>;
  /** The request as it went out, after the user's hooks. */
  sent: { method: string; url: string } | undefined = undefined;
  attempts = 0;
  retryAfter: number | undefined = undefined;
  readonly #redact: Redactor;

  constructor(settings: CallSettings, redact: Redactor) {
    this.policy = settings.policy;
    this.timeout = settings.timeout;
    this.signal = settings.signal;
    this.idempotent = settings.idempotent;
    this.credentials = settings.credentials;
    this.#redact = redact;
  }

  /** Method and redacted URL of the request sent, for logs and errors: redacted only when asked for. */
  get request(): string | undefined {
    return this.sent && `${this.sent.method} ${this.#redact(this.sent.url)}`;
  }
}

type Fail = (kind: ErrorKind, what: string, details?: Partial<ErrorDetails>) => PresignError;

/** One attempt's request as it goes to the sender. */
interface Sending {
  url: string;
  method: string;
  headers: Headers;
  body: string | ArrayBuffer | undefined;
}

/** Sends a request with retries: the last attempt's response, or a typed error when none came. */
export async function transport(request: Request | LightRequest, config: TransportConfig, call: CallState): Promise<Received> {
  const { url, method } = request;
  const body = request instanceof LightRequest ? request.text : await bodyOf(request);
  call.sent = { method, url };
  const fail: Fail = (kind, what, details) =>
    describeError(kind, what, { provider: config.provider, attempts: call.attempts, request: call.request, ...details });

  for (let attempt = 1; ; attempt++) {
    // Checked before counting: an abort reports only the attempts sent.
    if (call.signal?.aborted) throw fail("aborted", "the request was aborted", { cause: call.signal.reason });
    call.attempts = attempt;
    const started = Date.now();
    // A copy per attempt: credentials go on the wire, never into the request the user's hooks see.
    const outcome = await sendOnce({ url, method, headers: new Headers(request.headers), body }, config, call, fail);
    call.retryAfter = outcome.hint === undefined ? undefined : outcome.hint / 1000;
    config.log?.(
      `[presign:${config.provider}] ${call.request} -> ${outcome.response?.status ?? outcome.failure} (attempt ${attempt}, ${Date.now() - started} ms)`,
    );

    if (attempt > call.policy.maxRetries || !shouldRetry(outcome, call)) return settle(outcome, call, config.redact, fail);
    const delay = outcome.hint !== undefined ? hintedDelayMs(outcome.hint) : backoffMs(attempt, call.policy);
    await sleep(delay, call.signal).catch((reason) => Promise.reject(fail("aborted", "the request was aborted", { cause: reason })));
  }
}

/** Sends one attempt: how it ended. What no retry can mend is thrown as a typed error. */
async function sendOnce(sending: Sending, config: TransportConfig, call: CallState, fail: Fail): Promise<Outcome> {
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
  return { response, hint: hintOf(response, call.policy, config.rateLimitResetHeaders) };
}

/** The wait a retryable response asks for (a provider's reset header counts on a 429 only). */
function hintOf({ status, headers }: Received, policy: RetryPolicy, rateLimitResetHeaders: readonly string[]): number | undefined {
  if (!policy.statuses.includes(status)) return undefined;
  return retryAfterMs(headers, status === 429 ? rateLimitResetHeaders : []);
}

/** The last attempt's response, or the typed error for a failure without one. */
function settle(outcome: Outcome, call: CallState, redact: Redactor, fail: Fail): Received {
  if (outcome.response) return outcome.response;
  const what = outcome.failure === "timeout" ? `no response within ${call.timeout} ms` : "the connection failed";
  throw fail(outcome.failure, what, { cause: cleanCause(outcome.cause, redact) });
}

/**
 * A network error fit to keep as a cause: its name, code and redacted message, and its own cause so
 * cleaned. Nothing else survives: node's parser errors carry the raw packet, which may echo the request.
 */
export function cleanCause(error: unknown, redact: Redactor, depth = 0): Error | undefined {
  if (!(error instanceof Error) || depth > 3) return undefined;
  const { code } = error as { code?: unknown };
  const clean = Object.assign(new Error(redact(error.message, 300)), typeof code === "string" ? { code } : {});
  clean.name = error.name;
  const inner = cleanCause(error.cause, redact, depth + 1);
  if (inner) Object.defineProperty(clean, "cause", { value: inner });
  return clean;
}
