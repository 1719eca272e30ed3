/**
 * A client's settings, checked once when the client is made: the server it talks to and how it
 * sends. Every problem is an InvalidRequestError thrown at once, before any call.
 */

import type { Middleware } from "openapi-fetch";
import { defaultSend, fetchSender } from "#send";
import type { ApiDefinition } from "./definition.js";
import type { PresignError } from "./errors.js";
import { defaultRetryPolicy, type RetryPolicy } from "./retry.js";
import type { Send } from "./send.js";

/** Settings every client takes; each provider's options add its credentials and server variables. */
export interface ClientOptions {
  /** Overrides the server from the spec, e.g. a proxy or a local mock. https only, but for loopback hosts. */
  baseUrl?: string;
  /** Permits a plain-http base URL on a non-loopback host. */
  allowInsecureHttp?: boolean;
  /**
   * A fetch implementation. By default, runtimes that resolve the `node` condition (Node, Bun, Deno)
   * send with node:http, which is faster per call; others (browsers, Workers) with `globalThis.fetch`,
   * looked up on each request.
   */
  fetch?: typeof fetch;
  /** Milliseconds per attempt before it is abandoned (default 10 000). */
  timeout?: number;
  /**
   * The most bytes of a response body that are read (default 1 MiB; presign responses are a few
   * hundred bytes). A larger declared length is refused before the body is read, and reading stops
   * as soon as a body passes it: the call fails with a MalformedResponseError, not retried.
   */
  maxResponseBytes?: number;
  /**
   * Checks each success body against the spec's schema (default `true`): a body that breaks it
   * fails with a MalformedResponseError listing every problem. `false` trusts the provider: the
   * parsed JSON is returned as it came.
   */
  validateResponses?: boolean;
  /** Retries after the first attempt (default 2). */
  maxRetries?: number;
  /** Finer retry settings: backoff delays, the longest Retry-After slept through, retryable statuses. */
  retry?: Partial<RetryPolicy>;
  /**
   * openapi-fetch middleware, run around every call (generated methods and `raw` alike): `onRequest`
   * in order before the first attempt, `onResponse` (or `onError`) in reverse after the last. Credentials
   * are added after `onRequest`, so hooks never see them. More can be added later with `client.raw.use()`.
   */
  middleware?: Middleware[];
  /** `true` logs each attempt (method, redacted URL, status, attempt, duration) with console.debug; or pass a sink. */
  debug?: boolean | ((line: string) => void);
}

/** Throws the InvalidRequestError for a bad setting. */
export type Invalid = (what: string) => PresignError;

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;
const HOST_PART = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:\d{1,5})?$/;
/** setTimeout treats anything above 2^31 - 1 ms (or NaN) as 1 ms: every attempt would time out at once. */
const MAX_TIMEOUT = 2 ** 31 - 1;

/** An environment variable, where the runtime has them. */
export const env = (name?: string): string | undefined =>
  (name && (globalThis as { process?: { env: Record<string, string> } }).process?.env[name]) || undefined;

/** The base URL: `baseUrl`, else the spec's server with its variables filled in; https unless loopback. */
export function resolveBaseUrl(definition: ApiDefinition, options: Record<string, unknown>, invalid: Invalid): string {
  const baseUrl = typeof options.baseUrl === "string" ? options.baseUrl : fillServer(definition.server, options, invalid);
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw invalid("baseUrl is not an absolute URL");
  }
  const insecureAllowed = LOOPBACK.test(url.hostname) || options.allowInsecureHttp === true;
  if (url.protocol !== "https:" && !(url.protocol === "http:" && insecureAllowed)) {
    throw invalid("baseUrl must use https (plain http is allowed for loopback hosts, or with allowInsecureHttp)");
  }
  // It would end up in messages and logs, and requests to it would not count as the API origin.
  if (url.username || url.password) throw invalid("baseUrl must not contain a user name or password: pass credentials as options");
  return baseUrl.replace(/\/+$/, "");
}

/** The spec's server URL with each variable replaced by its option, its environment variable or its default. */
function fillServer({ url, variables }: ApiDefinition["server"], options: Record<string, unknown>, invalid: Invalid): string {
  return url.replace(/\{(\w+)\}/g, (_, name: string) => {
    const variable = variables[name]!;
    const value = (options[name] as string | undefined) ?? env(variable.env);
    if (value === undefined) {
      if (variable.required) throw invalid(`choose the ${name} (or give baseUrl): there is no safe default`);
      return variable.default;
    }
    if (variable.enum && !variable.enum.includes(value)) throw invalid(`unknown ${name} "${value}": expected one of ${variable.enum.join(", ")}`);
    // A value is part of a host name: anything else ("evil.example#", "https://…") could move the host.
    if (!HOST_PART.test(value)) throw invalid(`${name} must be a host name (letters, digits, dots, hyphens, an optional :port)`);
    return value;
  });
}

/** How a client sends, with every number checked. */
export interface SendSettings {
  send: Send;
  timeout: number;
  maxResponseBytes: number;
  policy: RetryPolicy;
  validateResponses: boolean;
  log?: (line: string) => void;
}

export function resolveSendSettings(options: ClientOptions, invalid: Invalid): SendSettings {
  const maxResponseBytes = options.maxResponseBytes ?? 1024 * 1024;
  if (!(Number.isSafeInteger(maxResponseBytes) && maxResponseBytes > 0)) throw invalid("maxResponseBytes must be a positive whole number of bytes");
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...options.retry };
  if (options.maxRetries !== undefined) policy.maxRetries = options.maxRetries;
  const { debug } = options;
  return {
    send: options.fetch ? fetchSender(options.fetch) : defaultSend,
    timeout: checkTimeout(options.timeout ?? 10_000, invalid),
    maxResponseBytes,
    policy,
    validateResponses: options.validateResponses ?? true,
    log: debug === true ? (line) => console.debug(line) : debug || undefined,
  };
}

/** A per-attempt timeout that setTimeout can honour. */
export function checkTimeout(ms: number, invalid: Invalid): number {
  if (!(ms > 0 && ms <= MAX_TIMEOUT)) throw invalid(`timeout must be a number of milliseconds from 1 to ${MAX_TIMEOUT}`);
  return ms;
}
