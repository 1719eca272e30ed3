import * as openapiFetch from "openapi-fetch";
import type { Client } from "openapi-fetch";
import { defaultSend, fetchSender } from "#send";
import type { ApiDefinition, OperationDefinition, Place } from "./definition.js";
import { type ErrorDetails, type ErrorKind, describeError, kindOfStatus } from "./errors.js";
import { createRedactor } from "./redact.js";
import { type RetryPolicy, defaultRetryPolicy } from "./retry.js";
import { type CallState, HEADER_SAFE, type Middleware, type Received, type TransportConfig, toResponse, transport } from "./transport.js";
import { MAX_PROBLEMS, validate } from "./validate.js";

/** What a provider's error body says, as read by that provider's profile. */
export interface ProviderErrorInfo {
  /** Overrides the kind the HTTP status implies (Powerdrill's codes say more than its statuses). */
  kind?: ErrorKind;
  code?: string | number;
  messages: string[];
}

/** The hand-written facts about a provider that its spec cannot express. */
export interface Profile {
  provider: string;
  userAgent: string;
  /**
   * Reads an error out of a response body. For an error status it describes the error; for a
   * success status it returns undefined unless the body itself reports an error (Powerdrill).
   */
  errorOf(status: number, body: unknown): ProviderErrorInfo | undefined;
  /** Response headers that carry a request or trace id. */
  requestIdHeaders?: readonly string[];
  /** Headers of a 429 that count seconds until the rate limit resets (Retry-After is always read). */
  rateLimitResetHeaders?: readonly string[];
}

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
  /** Hooks run around every attempt. */
  middleware?: Middleware[];
  /** `true` logs each attempt (method, redacted URL, status, attempt, duration) with console.debug; or pass a sink. */
  debug?: boolean | ((line: string) => void);
}

export interface CallOptions {
  signal?: AbortSignal;
  timeout?: number;
  /** Retries of this call; a request that changes state is still retried only when the server cannot have acted on it. */
  maxRetries?: number;
}

export interface PresignClientBase<Paths extends {}> {
  /** The openapi-fetch client underneath, for `{ data, error }` style calls; it shares auth, retries and timeouts. */
  readonly raw: Client<Paths>;
  readonly baseUrl: string;
}

// openapi-fetch's CommonJS build has only `exports.default`; loaded from our CommonJS build with Node's
// interop, `default` is that whole exports object. Unwrap it so both builds get the function.
type CreateFetchClient = typeof openapiFetch.default;
const createFetchClient: CreateFetchClient =
  (openapiFetch.default as unknown as { default?: CreateFetchClient }).default ?? openapiFetch.default;

/** Longest excerpt of server-sent text kept in an error: a message, a status text, a request id. */
const EXCERPT = 300;
const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;
const HOST_PART = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:\d{1,5})?$/;

const env = (name?: string): string | undefined =>
  (name && (globalThis as { process?: { env: Record<string, string> } }).process?.env[name]) || undefined;

/**
 * Builds a provider client from its generated definition and hand-written profile: one method per
 * operation, plus the openapi-fetch client underneath. Throws an InvalidRequestError at once when
 * the server or the credentials are missing or unsafe.
 */
export function createPresignClient<T>(definition: ApiDefinition, profile: Profile, options: ClientOptions): T {
  const { provider } = profile;
  // Credentials and server variables are named by the generated options type of each provider.
  const named = options as Record<string, any>;
  const invalid = (what: string) => describeError("invalid_request", what, { provider });

  const { url: template, variables } = definition.server;
  let baseUrl: string =
    named.baseUrl ??
    template.replace(/\{(\w+)\}/g, (_, name: string) => {
      const variable = variables[name]!;
      const value = named[name] ?? env(variable.env);
      if (value === undefined) {
        if (variable.required) throw invalid(`choose the ${name} (or give baseUrl): there is no safe default`);
        return variable.default;
      }
      if (variable.enum && !variable.enum.includes(value)) throw invalid(`unknown ${name} "${value}": expected one of ${variable.enum.join(", ")}`);
      // A value is part of a host name: anything else ("evil.example#", "https://…") could move the host.
      if (!HOST_PART.test(value)) throw invalid(`${name} must be a host name (letters, digits, dots, hyphens, an optional :port)`);
      return value;
    });
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw invalid("baseUrl is not an absolute URL");
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && (LOOPBACK.test(url.hostname) || named.allowInsecureHttp))) {
    throw invalid("baseUrl must use https (plain http is allowed for loopback hosts, or with allowInsecureHttp)");
  }
  // It would end up in messages and logs, and requests to it would not count as the API origin.
  if (url.username || url.password) throw invalid("baseUrl must not contain a user name or password: pass credentials as options");
  baseUrl = baseUrl.replace(/\/+$/, "");

  // Credentials passed as options are used as a set; environment variables only when none is passed,
  // so DD_API_KEY in the environment never overrides an explicit accessToken.
  const schemes = Object.entries(definition.auth);
  const explicit = schemes.some(([, auth]) => named[auth.option] !== undefined);
  const values: Record<string, string> = {};
  const secrets: string[] = [];
  for (const [scheme, auth] of schemes) {
    const value = explicit ? named[auth.option] : env(auth.env);
    if (value === undefined) continue;
    if (typeof value !== "string" || !value) throw invalid(`${auth.option} must be a non-empty string`);
    if (!HEADER_SAFE.test(value)) throw invalid(`${auth.option} contains characters a header cannot carry (CR, LF or beyond Latin-1)`);
    values[scheme] = value;
    // A token made of parts ("id:secret") is redacted whole and part by part.
    if (auth.secret !== false) secrets.push(value, ...value.split(":").filter((part) => part.length >= 8));
  }
  const credentialsOf = ({ security }: OperationDefinition) => {
    const headers: Record<string, string> = {};
    if (!security.length) return headers;
    // The first alternative whose credentials are all at hand; an empty one ("no auth") only as a last resort.
    const complete = security.filter((set) => set.every((scheme) => scheme in values));
    const chosen = complete.find((set) => set.length) ?? complete[0];
    if (!chosen) {
      const option = (scheme: string) => definition.auth[scheme]!.option + (definition.auth[scheme]!.env ? ` (or ${definition.auth[scheme]!.env})` : "");
      throw invalid(`missing credentials: pass ${security.map((set) => set.map(option).join(" + ")).join(", or ")}`);
    }
    for (const scheme of chosen) {
      const auth = definition.auth[scheme]!;
      if (auth.in === "bearer") headers.Authorization = `Bearer ${values[scheme]}`;
      else headers[auth.name!] = values[scheme]!;
    }
    return headers;
  };

  const redact = createRedactor(secrets);
  const { debug } = options;
  const maxResponseBytes = options.maxResponseBytes ?? 1024 * 1024;
  if (!(Number.isSafeInteger(maxResponseBytes) && maxResponseBytes > 0)) throw invalid("maxResponseBytes must be a positive whole number of bytes");
  const config: TransportConfig = {
    provider,
    origin: url.origin,
    send: options.fetch ? fetchSender(options.fetch) : defaultSend,
    maxResponseBytes,
    redact,
    rateLimitResetHeaders: profile.rateLimitResetHeaders ?? [],
    middleware: options.middleware ?? [],
    log: debug === true ? (line) => console.debug(line) : debug || undefined,
  };
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...options.retry };
  if (options.maxRetries !== undefined) policy.maxRetries = options.maxRetries;
  const timeoutOf = (ms = 10_000) => {
    // setTimeout treats anything above 2^31 - 1 ms (or NaN) as 1 ms: every attempt would time out at once.
    if (!(ms > 0 && ms <= 2 ** 31 - 1)) throw invalid("timeout must be a number of milliseconds from 1 to 2147483647");
    return ms;
  };
  timeoutOf(options.timeout);
  const newCall = (
    { method, url }: { method: string; url: string },
    credentials: Record<string, string>,
    idempotent: boolean,
    call: CallOptions = {},
  ): CallState => ({
    policy: call.maxRetries === undefined ? policy : { ...policy, maxRetries: call.maxRetries },
    timeout: timeoutOf(call.timeout ?? options.timeout),
    signal: call.signal,
    idempotent,
    credentials,
    // Redacted only when a log line or an error asks for it, not on every call.
    get request() {
      return `${method} ${redact(url)}`;
    },
    attempts: 0,
  });

  const operations = Object.entries(definition.operations);
  const credentials = operations.map(([, operation]) => credentialsOf(operation));
  // Browsers refuse to let scripts set User-Agent; elsewhere it tells the provider who is calling.
  const headers: Record<string, string> = { Accept: "application/json" };
  if (typeof document === "undefined") headers["User-Agent"] = profile.userAgent;
  const raw = createFetchClient<any>({
    baseUrl,
    headers,
    fetch: async (request) =>
      toResponse(await transport(request, config, newCall(request, credentials[0] ?? {}, IDEMPOTENT_METHODS.has(request.method), { signal: request.signal }))),
  });
  // The generated methods build their request with openapi-fetch's own serializers, but skip its
  // Request/Response objects: on Node each costs a web stream that is made only to be read back.
  const querySerializer = openapiFetch.createQuerySerializer();

  const requestIdHeaders = [...(profile.requestIdHeaders ?? []), "x-request-id"];
  const validateResponses = options.validateResponses ?? true;
  const client: Record<string, unknown> = { raw, baseUrl };
  operations.forEach(([name, operation], index) => {
    const idempotent = operation.idempotent ?? IDEMPOTENT_METHODS.has(operation.method);
    client[name] = async (input: any = {}, callOptions?: CallOptions) => {
      if (typeof input !== "object" || !input || Array.isArray(input)) throw invalid("input: expected an object");
      const parts = partsOf(operation, input);
      const url = new URL(openapiFetch.createFinalURL(operation.path, { baseUrl, params: parts, querySerializer, pathSerializer: openapiFetch.defaultPathSerializer })).href;
      const body = operation.json ? JSON.stringify(parts.body) : undefined;
      const requestHeaders = openapiFetch.mergeHeaders(body === undefined ? {} : { "Content-Type": "application/json" }, headers, parts.header as Record<string, string>);
      const outgoing = { url, method: operation.method, headers: requestHeaders, body };
      const call = newCall(outgoing, credentials[index]!, idempotent, callOptions);
      const response = await transport(outgoing, config, call);
      return read(operation, response, await response.text(), call);
    };
  });

  /** Checks a method's input against the operation's fields and sorts it by where it goes; throws every problem at once. */
  function partsOf(operation: OperationDefinition, input: Record<string, unknown>) {
    const parts: Record<Place, Record<string, unknown>> = { path: {}, query: {}, header: {}, body: {} };
    const problems: string[] = [];
    const unknown = new Set(Object.keys(input).filter((key) => input[key] !== undefined));
    for (const [key, wire, place, required, schema] of operation.fields) {
      unknown.delete(key);
      const value = Object.prototype.hasOwnProperty.call(input, key) ? input[key] : undefined;
      if (value === undefined) {
        if (required) problems.push(`${key}: is required`);
        continue;
      }
      const found = validate(value, schema, key);
      // "." and ".." survive percent-encoding as dot segments and would change the path.
      if (!found.length && place === "path" && /^\.\.?$/.test(value as string)) found.push(`${key}: cannot be "." or ".."`);
      // Checked here too: building the request's Headers would throw a bare TypeError on CR/LF.
      if (!found.length && place === "header" && !HEADER_SAFE.test(value as string)) found.push(`${key}: contains characters a header cannot carry`);
      problems.push(...found);
      parts[place][wire] = value;
    }
    for (const key of unknown) problems.push(`${key}: is not a known field`);
    if (problems.length) throw invalid(problems.slice(0, MAX_PROBLEMS).join("; "));
    return parts;
  }

  /**
   * A typed error from what a response said. Every string in it came from the server, so every
   * string is redacted and cut to an excerpt: the API (or whatever answers in its place) may echo
   * a key, a signed URL or a megabyte of HTML. The message is the provider's messages, else `what`.
   */
  function responseError(kind: ErrorKind, what: string, details: ErrorDetails) {
    const messages = (details.messages ?? []).slice(0, MAX_PROBLEMS).map((message) => redact(message, EXCERPT));
    const code = typeof details.code === "string" ? redact(details.code, EXCERPT) : details.code;
    const requestId = details.requestId === undefined ? undefined : redact(details.requestId, EXCERPT);
    const message = messages.length ? messages.join("; ") : redact(what, 4 * EXCERPT);
    return describeError(kind, message, { ...details, messages, code, requestId });
  }

  /** The typed success body of a response, or the typed error it stands for. */
  function read(operation: OperationDefinition, response: Received, text: string, call: CallState) {
    const { status, headers: got } = response;
    const ok = status >= 200 && status < 300;
    // Only an error needs these (the redacted request is computed when read).
    const details = () => ({
      provider,
      status,
      requestId: requestIdHeaders.map((h) => got.get(h)).find(Boolean) ?? undefined,
      attempts: call.attempts,
      request: call.request,
      retryAfter: call.retryAfter,
    });
    const malformed = (what: string) => responseError("malformed_response", what, details());
    // A success body must be JSON; an error body is read as JSON when it says so (or says nothing), else as text.
    let body: unknown = text || undefined;
    const type = got.get("content-type");
    if (text && (ok || !type || /json/i.test(type))) {
      try {
        body = JSON.parse(text);
      } catch {
        // The parser's message quotes the body, so it is not kept as the cause.
        if (ok) throw malformed("the response body is not valid JSON");
      }
    }
    const info = profile.errorOf(status, body);
    if (info || !ok) {
      const fallback = ok ? "the provider reported an error" : response.statusText || "request failed";
      throw responseError(info?.kind ?? (ok ? "server" : kindOfStatus(status)), fallback, { ...details(), code: info?.code, messages: info?.messages });
    }
    if (!validateResponses || !operation.response) return body;
    if (body === undefined) throw malformed("the response has no body");
    const problems = validate(body, operation.response, "response");
    if (problems.length) throw malformed(`the response is not what the API promises (${problems.join("; ")})`);
    return body;
  }

  return client as T;
}
