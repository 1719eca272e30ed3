import * as openapiFetch from "openapi-fetch";
import type { Client } from "openapi-fetch";
import type { ApiDefinition, OperationDefinition } from "./definition.js";
import { type ErrorKind, type PresignError, describeError, kindOfStatus } from "./errors.js";
import { createRedactor } from "./redact.js";
import { type RetryPolicy, defaultRetryPolicy } from "./retry.js";
import { defaultSend, fetchSender } from "#send";
import { type CallState, type Middleware, type TransportConfig, transport } from "./transport.js";
import { validate } from "./validate.js";

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

const DEFAULT_TIMEOUT = 10_000;
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;
const HEADER_SAFE = /^[\t\x20-\x7e\x80-\xff]*$/;
const HOST_PART = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:\d{1,5})?$/;

function env(name: string | undefined): string | undefined {
  const vars = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return name ? vars?.[name] || undefined : undefined;
}

function resolveBaseUrl(definition: ApiDefinition, options: Record<string, unknown>, invalid: (message: string) => PresignError) {
  let url = options.baseUrl as string | undefined;
  if (url === undefined) {
    const { variables } = definition.server;
    url = definition.server.url.replace(/\{([^}]+)\}/g, (_, name: string) => {
      const variable = variables[name]!;
      const value = (options[name] as string | undefined) ?? env(variable.env);
      if (value === undefined && variable.required) throw invalid(`choose the ${name} (or give baseUrl): there is no safe default`);
      if (value !== undefined && variable.enum && !variable.enum.includes(value)) {
        throw invalid(`unknown ${name} "${value}": expected one of ${variable.enum.join(", ")}`);
      }
      // A value is part of a host name: anything else ("evil.example#", "https://…") could move the host.
      if (value !== undefined && !HOST_PART.test(value)) throw invalid(`${name} must be a host name (letters, digits, dots, hyphens, an optional :port)`);
      return value ?? variable.default;
    });
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid("baseUrl is not an absolute URL");
  }
  if (parsed.protocol !== "https:" && !(parsed.protocol === "http:" && (LOOPBACK.test(parsed.hostname) || options.allowInsecureHttp))) {
    throw invalid("baseUrl must use https (plain http is allowed for loopback hosts, or with allowInsecureHttp)");
  }
  return { baseUrl: url.replace(/\/+$/, ""), origin: parsed.origin };
}

/** The credential headers of each operation: the first security alternative whose credentials are all at hand. */
function resolveCredentials(definition: ApiDefinition, options: Record<string, unknown>, invalid: (message: string) => PresignError) {
  const schemes = Object.entries(definition.auth);
  // Credentials passed as options are used as a set; environment variables only when none is passed,
  // so DD_API_KEY in the environment never overrides an explicit accessToken.
  const explicit = schemes.some(([, auth]) => options[auth.option] !== undefined);
  const values: Record<string, string> = {};
  const secrets: string[] = [];
  for (const [scheme, auth] of schemes) {
    const value = explicit ? options[auth.option] : env(auth.env);
    if (value === undefined) continue;
    if (typeof value !== "string" || value === "") throw invalid(`${auth.option} must be a non-empty string`);
    if (!HEADER_SAFE.test(value)) throw invalid(`${auth.option} contains characters a header cannot carry (CR, LF or beyond Latin-1)`);
    values[scheme] = value;
    // A token made of parts ("id:secret") is redacted whole and part by part.
    if (auth.secret !== false) secrets.push(value, ...value.split(":").filter((part) => part.length >= 8));
  }
  const headersOf = (operation: OperationDefinition) => {
    if (!operation.security.length) return {};
    // The first alternative whose credentials are all at hand; an empty one ("no auth") only as a last resort.
    const complete = operation.security.filter((set) => set.every((scheme) => values[scheme] !== undefined));
    const alternative = complete.find((set) => set.length) ?? complete[0];
    if (!alternative) {
      const ways = operation.security.map((set) =>
        set.map((s) => definition.auth[s]!.option + (definition.auth[s]!.env ? ` (or ${definition.auth[s]!.env})` : "")).join(" + "),
      );
      throw invalid(`missing credentials: pass ${ways.join(", or ")}`);
    }
    const headers: Record<string, string> = {};
    for (const scheme of alternative) {
      const auth = definition.auth[scheme]!;
      if (auth.in === "bearer") headers.Authorization = `Bearer ${values[scheme]}`;
      else headers[auth.name!] = values[scheme]!;
    }
    return headers;
  };
  return { secrets, headersOf };
}

/** Maps a method's input onto openapi-fetch's params and body, or says what is wrong with it. */
function toRequest(operation: OperationDefinition, input: unknown) {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return { problem: "input: expected an object" };
  const fields = input as Record<string, unknown>;
  const params: Record<"path" | "query" | "header", Record<string, unknown>> = { path: {}, query: {}, header: {} };
  const known = new Set<string>();
  for (const param of operation.params) {
    known.add(param.key);
    const value = fields[param.key];
    if (value === undefined) {
      if (param.required) return { problem: `${param.key}: is required` };
      continue;
    }
    const problem = validate(value, param.schema, param.key);
    if (problem) return { problem };
    // "." and ".." survive percent-encoding as dot segments and would change the path.
    if (param.in === "path" && (value === "." || value === "..")) return { problem: `${param.key}: cannot be "." or ".."` };
    if (param.in === "header" && !HEADER_SAFE.test(String(value))) {
      return { problem: `${param.key}: contains characters a header cannot carry` };
    }
    params[param.in][param.name] = value;
  }
  let body: Record<string, unknown> | undefined;
  if (operation.body) {
    body = {};
    const schema = operation.bodySchema ?? {};
    for (const [key, wire] of Object.entries(operation.body)) {
      known.add(key);
      const value = fields[key];
      if (value === undefined) {
        if (schema.required?.includes(wire)) return { problem: `${key}: is required` };
        continue;
      }
      const problem = validate(value, schema.properties?.[wire] ?? {}, key);
      if (problem) return { problem };
      body[wire] = value;
    }
  }
  for (const key in fields) if (!known.has(key) && fields[key] !== undefined) return { problem: `${key}: is not a known field` };
  return { params, body };
}

/**
 * Builds a provider client from its generated definition and hand-written profile: one method per
 * operation, plus the openapi-fetch client underneath.
 */
export function createPresignClient<T>(definition: ApiDefinition, profile: Profile, options: ClientOptions): T {
  const { provider } = profile;
  const invalid = (what: string) => describeError("invalid_request", what, { provider });
  // Credentials and server variables are named by the generated options type of each provider.
  const named = options as Record<string, unknown>;
  const { baseUrl, origin } = resolveBaseUrl(definition, named, invalid);
  const { secrets, headersOf } = resolveCredentials(definition, named, invalid);
  const redact = createRedactor(secrets);
  const debug = options.debug;
  const config: TransportConfig = {
    provider,
    origin,
    send: options.fetch ? fetchSender(options.fetch) : defaultSend,
    rateLimitResetHeaders: profile.rateLimitResetHeaders ?? [],
    middleware: options.middleware ?? [],
    log: debug === true ? (line) => console.debug(line) : debug || undefined,
    redact,
  };
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...options.retry };
  if (options.maxRetries !== undefined) policy.maxRetries = options.maxRetries;
  const timeout = options.timeout ?? DEFAULT_TIMEOUT;
  const newCall = (request: Request, credentials: Record<string, string>, call?: CallOptions): CallState => ({
    policy: call?.maxRetries === undefined ? policy : { ...policy, maxRetries: call.maxRetries },
    timeout: call?.timeout ?? timeout,
    signal: call?.signal,
    credentials,
    request: `${request.method} ${redact(request.url)}`,
    attempts: 0,
  });

  const operations = Object.entries(definition.operations);
  const credentialsOf = Object.fromEntries(operations.map(([name, operation]) => [name, headersOf(operation)]));
  const defaultCredentials = Object.values(credentialsOf)[0] ?? {};
  // Browsers refuse to let scripts set User-Agent; elsewhere it tells the provider who is calling.
  const headers: Record<string, string> = { Accept: "application/json" };
  if (typeof document === "undefined") headers["User-Agent"] = profile.userAgent;
  const raw = createFetchClient<any>({
    baseUrl,
    headers,
    fetch: (request: Request) => transport(request, config, newCall(request, defaultCredentials)),
  });

  const client: Record<string, unknown> = { raw, baseUrl };
  for (const [name, operation] of operations) {
    const credentials = credentialsOf[name]!;
    client[name] = async (input: unknown = {}, callOptions?: CallOptions) => {
      const { problem, params, body } = toRequest(operation, input);
      if (problem) throw invalid(problem);
      let call: CallState | undefined;
      let result;
      try {
        result = await raw.request(operation.method.toLowerCase() as "get", operation.path, {
          params,
          body,
          parseAs: "text",
          fetch: (request: Request) => transport(request, config, (call = newCall(request, credentials, callOptions))),
        });
      } catch (error) {
        if (error instanceof Error && "kind" in error) throw error;
        throw describeError("connection", "the request could not be sent", { provider, cause: error, attempts: call?.attempts });
      }
      return readResponse(operation, result.response, result.error ?? result.data, call!);
    };
  }

  function readResponse(operation: OperationDefinition, response: Response, payload: unknown, call: CallState) {
    const requestId = [...(profile.requestIdHeaders ?? []), "x-request-id"].map((h) => response.headers.get(h)).find(Boolean) ?? undefined;
    const details = { provider, status: response.status, requestId, attempts: call.attempts, request: call.request, retryAfter: call.retryAfter };
    const fail = (kind: ErrorKind, info: Omit<ProviderErrorInfo, "kind">, fallback: string) => {
      const messages = info.messages.map(redact);
      return describeError(kind, messages.join("; ") || fallback, { ...details, code: info.code, messages });
    };
    let body: unknown = payload;
    // openapi-fetch parses every error body as JSON; a plain-text "12345" or "null" is text, not a number.
    if (!response.ok && typeof body !== "object" && !/json/i.test(response.headers.get("content-type") ?? "")) body = String(body);
    if (!response.ok) {
      const info = profile.errorOf(response.status, body) ?? { messages: [] };
      throw fail(info.kind ?? kindOfStatus(response.status), info, response.statusText || "request failed");
    }
    if (typeof payload === "string") {
      try {
        body = JSON.parse(payload);
      } catch (cause) {
        throw describeError("malformed_response", "the response body is not valid JSON", { ...details, cause });
      }
    }
    if (body === undefined) {
      if (operation.response) throw describeError("malformed_response", "the response has no body", details);
      return undefined;
    }
    const info = profile.errorOf(response.status, body);
    if (info) throw fail(info.kind ?? "server", info, "the provider reported an error");
    const problem = operation.response && validate(body, operation.response, "response");
    if (problem) throw describeError("malformed_response", `the response is not what the API promises (${problem})`, details);
    return body;
  }

  return client as T;
}
