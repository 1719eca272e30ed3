/**
 * The building block of the generated msw handlers (`src/generated/testing.ts` of each provider): one
 * typed handler factory per operation. Called with nothing it answers the spec's example; with a body,
 * that body; with a resolver, what the resolver returns; with a fault, the fault (then the default).
 */
import { type HttpHandler, HttpResponse, http, passthrough } from "msw";
import { type Fault, type FaultContext, isFault } from "./faults.js";

/** An operation as the generator describes it: enough to match its requests and answer them. */
export interface OperationMock {
  /** `datalab.getFileDownloadUrl`: named in the answer when the spec has no example. */
  name: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** The server's path and the operation's, in msw's form and on any origin: `*` then `/api/v1/files/:file_id/download`. */
  path: string;
  /** The success response's status. */
  status: number;
  /** The success response has a JSON body (else it answers with no body, as a 204 does). */
  json: boolean;
  /** The spec's example of the success body, when it has one. */
  example?: unknown;
  /** The spec's first example error body per status. */
  errorExamples?: Record<number, unknown>;
}

/** The types of one operation's request and success body, generated from the spec's schema types. */
export interface OperationTypes {
  /** Path parameters by their wire name; always strings, as they come from the URL. */
  params: object;
  /** Query parameters by their wire name, as strings. */
  query: object;
  /** The JSON request body; undefined for an operation without one. */
  body: unknown;
  /** The success body; undefined for an operation that answers without one. */
  response: unknown;
}

/** What a resolver gets: the request, and its parameters and body already read. */
export interface ResolverInfo<Op extends OperationTypes> {
  params: Op["params"];
  query: Op["query"];
  body: Op["body"];
  /** The request itself (a clone: its body can still be read). */
  request: Request;
}

/** Answers with a success body, or any Response (an error status, headers of your own). */
export type OperationResolver<Op extends OperationTypes> = (info: ResolverInfo<Op>) => Op["response"] | Response | Promise<Op["response"] | Response>;

/** What an operation handler takes: a success body, a resolver, or a fault; nothing for the spec's example. */
export type OperationOverride<Op extends OperationTypes> = Op["response"] | OperationResolver<Op> | Fault;

/** `datalab.getFileDownloadUrl(override?)`: an msw handler for one operation. */
export type OperationHandler<Op extends OperationTypes> = (override?: OperationOverride<Op>) => HttpHandler;

/** The factory a generated file calls once per operation. */
export function operationHandler<Op extends OperationTypes>(mock: OperationMock): OperationHandler<Op> {
  return (override) => {
    if (isFault(override)) return faultHandler(mock, override);
    if (typeof override === "function") return resolverHandler(mock, override as OperationResolver<Op>);
    return http[methodKey(mock)](mock.path, () => successResponse(mock, override === undefined ? mock.example : override));
  };
}

/** The default handlers of an API: every operation answering its spec example. */
export function defaultHandlers(operations: Record<string, () => HttpHandler>): HttpHandler[] {
  return Object.values(operations).map((handler) => handler());
}

/** Lets requests to an origin reach the network (the loopback storage server), whatever `onUnhandledRequest` says. */
export function passthroughTo(origin: string): HttpHandler {
  return http.all(`${new URL(origin).origin}/*`, () => passthrough());
}

function methodKey(mock: OperationMock) {
  return mock.method.toLowerCase() as Lowercase<OperationMock["method"]>;
}

function faultHandler(mock: OperationMock, fault: Fault): HttpHandler {
  let left = fault.times ?? Number.POSITIVE_INFINITY;
  const context: FaultContext = { errorExample: (status) => mock.errorExamples?.[status] };
  return http[methodKey(mock)](mock.path, () => {
    // Used up: undefined lets msw fall through to the next handler, the operation's default.
    if (left <= 0) return undefined;
    left -= 1;
    return fault.respond(context);
  });
}

function resolverHandler<Op extends OperationTypes>(mock: OperationMock, resolve: OperationResolver<Op>): HttpHandler {
  return http[methodKey(mock)](mock.path, async ({ request, params }) => {
    const info: ResolverInfo<Op> = {
      params: params as Op["params"],
      query: Object.fromEntries(new URL(request.url).searchParams) as Op["query"],
      body: (await jsonBody(request)) as Op["body"],
      request: request.clone(),
    };
    const answer = await resolve(info);
    return answer instanceof Response ? answer : successResponse(mock, answer);
  });
}

/** The success status with the body as JSON; no body for an operation that answers without one. */
function successResponse(mock: OperationMock, body: unknown): Response {
  if (!mock.json) return new HttpResponse(null, { status: mock.status });
  if (body === undefined) {
    const message = `${mock.name}: the spec has no example success body; pass one to the handler`;
    return HttpResponse.json({ message }, { status: 501 });
  }
  // biome-ignore lint/suspicious/noExplicitAny: a JSON body, typed by the operation handler's signature.
  return HttpResponse.json(body as any, { status: mock.status });
}

async function jsonBody(request: Request): Promise<unknown> {
  const text = await request.clone().text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
