/**
 * The request and response objects of a call. openapi-fetch builds a Request for every call and
 * reads a Response back; on Node both cost a web stream that is made only to be read again. A call
 * that no middleware sees uses the light forms below instead: the same fields, no streams.
 */

/** A response whose body is already read, so `text()` may be called again. */
export interface Received {
  status: number;
  statusText: string;
  ok: boolean;
  headers: Headers;
  text(): Promise<string>;
}

/** A Received from what a sender read off the wire. */
export function received(status: number, statusText: string, headers: Headers, text: string): Received {
  return { status, statusText, ok: status >= 200 && status < 300, headers, text: () => Promise.resolve(text) };
}

interface LightInit {
  method?: string;
  headers?: HeadersInit;
  body?: unknown;
  signal?: AbortSignal | null;
}

/**
 * The `Request` class openapi-fetch is given for a call without middleware: it keeps the URL
 * (normalised, as a Request would), method, headers and the serialised body, and nothing else.
 */
export class LightRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  /** The JSON text openapi-fetch serialised, or undefined for no body. */
  readonly text: string | undefined;
  readonly signal: AbortSignal | undefined;

  constructor(url: string, init: LightInit = {}) {
    this.url = new URL(url).href;
    this.method = init.method ?? "GET";
    this.headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
    this.text = typeof init.body === "string" ? init.body : undefined;
    this.signal = init.signal ?? undefined;
  }
}

/** The body of a real Request (one middleware saw) as a sender takes it; a LightRequest holds its `text` already. */
export async function bodyOf(request: Request): Promise<ArrayBuffer | undefined> {
  return request.body ? request.arrayBuffer() : undefined;
}

/** Statuses a Response may not carry a body with. */
const NULL_BODY = new Set([101, 204, 205, 304]);

/** The text of each Response made by toResponse(), for a reader that comes after openapi-fetch has consumed it. */
const buffered = new WeakMap<object, string>();

/** A real Response, for whoever needs one (raw calls, middleware); made only then. */
export async function toResponse(received: Received): Promise<Response> {
  const text = await received.text();
  const body = NULL_BODY.has(received.status) ? null : text;
  let response: Response;
  try {
    response = new Response(body, received);
  } catch {
    // A reason phrase that is not a valid token would make the constructor throw; the status is what matters.
    response = new Response(body, { status: received.status, headers: received.headers });
  }
  buffered.set(response, text);
  return response;
}

/**
 * The whole text of a response, even after its body was consumed: a Received keeps it, a Response
 * made by toResponse() has it on record. Undefined for a Response made elsewhere (by a hook).
 */
export async function textOf(response: Received | Response): Promise<string | undefined> {
  if (!(response instanceof Response)) return response.text();
  return buffered.get(response);
}

/** Characters a header value can carry: what node:http and fetch accept, without CR or LF. */
export const HEADER_SAFE = /^[\t\x20-\x7e\x80-\xff]*$/;
