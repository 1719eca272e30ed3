/**
 * A provider client: one method per operation of its definition, and `raw`, the openapi-fetch
 * client underneath. Every call, a generated method's or a raw one, goes through that one
 * openapi-fetch client — its middleware, then the retrying transport as its fetch.
 */

import type { Client, Middleware } from "openapi-fetch";
import * as openapiFetch from "openapi-fetch";
import { type ClientOptions, checkTimeout, type Invalid, resolveBaseUrl, resolveSendSettings, type SendSettings } from "./config.js";
import { type Credentials, readCredentials } from "./credentials.js";
import type { ApiDefinition, OperationDefinition, Profile } from "./definition.js";
import { describeError } from "./errors.js";
import { createResponseReader } from "./parse.js";
import { createRedactor, type Redactor } from "./redact.js";
import { LightRequest, textOf, toResponse } from "./request.js";
import { serializeInput } from "./serialize.js";
import { rememberPresigned } from "./storage/remember.js";
import { CallState, type TransportConfig, transport } from "./transport.js";

/** Settings of one call. */
export interface CallOptions {
  /** Aborts the call, a backoff included: it fails with an AbortedError. */
  signal?: AbortSignal;
  /** Milliseconds per attempt of this call (default: the client's `timeout`). */
  timeout?: number;
  /** Retries of this call; a request that changes state is still retried only when the server cannot have acted on it. */
  maxRetries?: number;
}

/** What every provider client has beside its generated methods. */
export interface PresignClientBase<Paths extends {}> {
  /**
   * The openapi-fetch client every call goes through, for `{ data, error }` style calls with the
   * same auth, retries and timeouts. `raw.use()` adds middleware to every call of the client.
   */
  readonly raw: Client<Paths>;
  /** The API's base URL the client was made with, without a trailing slash. */
  readonly baseUrl: string;
}

// openapi-fetch's CommonJS build has only `exports.default`; loaded from our CommonJS build with Node's
// interop, `default` is that whole exports object. Unwrap it so both builds get the function.
type CreateFetchClient = typeof openapiFetch.default;
const createFetchClient: CreateFetchClient = (openapiFetch.default as unknown as { default?: CreateFetchClient }).default ?? openapiFetch.default;

/** openapi-fetch's client over any spec: at runtime one client serves every provider; the generated types narrow it. */
// biome-ignore lint/suspicious/noExplicitAny: the paths of a spec are known to the generated types only.
type UntypedClient = Client<any>;

const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);
const RAW_METHODS = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"] as const;

/** What a call of one operation always sends along. */
interface Route {
  credentials: Record<string, string>;
  idempotent: boolean;
}

/**
 * Builds a provider client from its generated definition and hand-written profile. Throws an
 * InvalidRequestError at once when the server, a setting or the credentials are missing or unsafe.
 */
export function createPresignClient<T>(definition: ApiDefinition, profile: Profile, options: ClientOptions): T {
  // Credentials and server variables are named by the generated options type of each provider.
  const named = options as Record<string, unknown>;
  const invalid: Invalid = (what) => describeError("invalid_request", what, { provider: profile.provider });
  const baseUrl = resolveBaseUrl(definition, named, invalid);
  const settings = resolveSendSettings(options, invalid);
  const credentials = readCredentials(definition, named, invalid);
  const redact = createRedactor(credentials.secrets);
  const transportConfig = transportConfigOf(profile, baseUrl, settings, redact);
  const read = createResponseReader({ profile, redact, validateResponses: settings.validateResponses });
  const routes = routesOf(definition, credentials);

  const fetchClient: UntypedClient = createFetchClient({
    baseUrl,
    headers: defaultHeaders(profile),
    querySerializer: openapiFetch.createQuerySerializer(),
  });
  const hooks = new Set<Middleware>();
  const raw = rawClient(fetchClient, hooks, (method, path, signal) => {
    const route = routes.get(routeKey(method, path)) ?? { credentials: {}, idempotent: IDEMPOTENT_METHODS.has(method) };
    return fetchFor(startCall(route, { signal }), true);
  });
  raw.use(...(options.middleware ?? []));

  function startCall(route: Route, call: CallOptions): CallState {
    const policy = call.maxRetries === undefined ? settings.policy : { ...settings.policy, maxRetries: call.maxRetries };
    const timeout = call.timeout === undefined ? settings.timeout : checkTimeout(call.timeout, invalid);
    return new CallState({ policy, timeout, signal: call.signal, ...route }, redact);
  }

  /** The fetch openapi-fetch sends one call with; middleware and raw callers get a real Response. */
  function fetchFor(call: CallState, realResponse = false) {
    return (request: Request | LightRequest): Promise<Response> => {
      const sent = transport(request, transportConfig, call);
      // Without hooks the buffered response goes back as it is: openapi-fetch reads only what it has.
      return realResponse || hooks.size ? sent.then(toResponse) : (sent as unknown as Promise<Response>);
    };
  }

  async function callOperation(operation: OperationDefinition, route: Route, input: unknown = {}, callOptions: CallOptions = {}) {
    const serialized = serializeInput(operation, input);
    if (serialized.problems) throw invalid(serialized.problems.join("; "));
    const call = startCall(route, callOptions);
    const method = operation.method.toLowerCase() as Lowercase<OperationDefinition["method"]>;
    const result = await fetchClient.request(method, operation.path, {
      ...serialized.parts,
      parseAs: "text",
      signal: call.signal,
      // Middleware expects a real Request; without any, a light one spares a web stream per call.
      Request: hooks.size ? globalThis.Request : (LightRequest as unknown as typeof Request),
      fetch: fetchFor(call),
    });
    // A success's text is what openapi-fetch read (`parseAs: "text"`); only an error's needs looking up.
    const text = result.response.ok ? (result.data as string | undefined) : await errorText(result);
    const body = read(operation, result.response, text, call);
    // Kept beside the result, so `presigned(body)` can normalize its URL later without changing the result's type.
    if (operation.presigned) {
      rememberPresigned(body, {
        provider: profile.provider,
        definition: operation.presigned,
        body: serialized.parts.body,
        date: result.response.headers.get("date"),
        receivedAt: Date.now(),
      });
    }
    return body;
  }

  const client: Record<string, unknown> = { raw, baseUrl };
  redactors.set(client, redact);
  for (const [name, operation] of Object.entries(definition.operations)) {
    const route = routes.get(routeKey(operation.method, operation.path))!;
    client[name] = (input?: unknown, callOptions?: CallOptions) => callOperation(operation, route, input, callOptions);
  }
  return client as T;
}

/** Each client's redactor, so a workflow can clean server text (Spaaza's task logs) of that client's secrets too. */
const redactors = new WeakMap<object, Redactor>();

/** The redactor of a client made by createPresignClient (one that knows no secrets for any other object). */
export const redactorOf = (client: object): Redactor => redactors.get(client) ?? createRedactor([]);

/** What the transport needs of a client: where credentials may go, how to send, how to clean errors. */
function transportConfigOf(profile: Profile, baseUrl: string, settings: SendSettings, redact: Redactor): TransportConfig {
  const { send, maxResponseBytes, log } = settings;
  const rateLimitResetHeaders = profile.rateLimitResetHeaders ?? [];
  return { provider: profile.provider, origin: new URL(baseUrl).origin, send, maxResponseBytes, rateLimitResetHeaders, redact, log };
}

const routeKey = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

/** Each operation's credentials and retry rule, by method and path template; missing credentials throw here, at once. */
function routesOf(definition: ApiDefinition, credentials: Credentials): Map<string, Route> {
  const routes = new Map<string, Route>();
  for (const operation of Object.values(definition.operations)) {
    const idempotent = operation.idempotent ?? IDEMPOTENT_METHODS.has(operation.method);
    routes.set(routeKey(operation.method, operation.path), { credentials: credentials.headersFor(operation), idempotent });
  }
  return routes;
}

/** Headers every request carries. Browsers refuse to let scripts set User-Agent; elsewhere it tells the provider who is calling. */
function defaultHeaders(profile: Profile): Record<string, string> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (typeof document === "undefined") headers["User-Agent"] = profile.userAgent;
  return headers;
}

/**
 * The openapi-fetch client as users see it: each method sends with the credentials of the
 * operation it calls (none for a path the spec does not have), and `use`/`eject` are tracked
 * so generated methods know whether middleware will look at their requests.
 */
function rawClient(
  fetchClient: UntypedClient,
  hooks: Set<Middleware>,
  fetchFor: (method: string, path: string, signal: AbortSignal | undefined) => (request: Request) => Promise<Response>,
): UntypedClient {
  const request = (method: string, path: string, init: { signal?: AbortSignal | null } = {}) =>
    fetchClient.request(method as "get", path, { ...init, fetch: fetchFor(method, path, init.signal ?? undefined) } as never);
  const raw: Record<string, unknown> = {
    request,
    use(...middleware: Middleware[]) {
      fetchClient.use(...middleware);
      for (const hook of middleware) if (hook) hooks.add(hook);
    },
    eject(...middleware: Middleware[]) {
      fetchClient.eject(...middleware);
      for (const hook of middleware) hooks.delete(hook);
    },
  };
  for (const method of RAW_METHODS) raw[method] = (path: string, init?: { signal?: AbortSignal }) => request(method, path, init);
  return raw as unknown as UntypedClient;
}

/**
 * The text of an error response, as the transport buffered it. Of an error Response a hook made,
 * openapi-fetch has consumed the body: what it parsed of it is written back.
 */
async function errorText({ error, response }: { error?: unknown; response: Response }): Promise<string | undefined> {
  const text = await textOf(response);
  if (text !== undefined) return text;
  return typeof error === "string" || error === undefined ? error : JSON.stringify(error);
}
