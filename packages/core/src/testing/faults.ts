/**
 * Fault presets for the generated msw handlers: `datalab.getFileDownloadUrl(faults.rateLimited({ retryAfter: 0, times: 1 }))`.
 * A fault answers `times` requests (every request when not given), then the operation's default handler answers
 * again, so "retried, then succeeded" is one line.
 */
import { HttpResponse } from "msw";

/** Marks a fault, so a handler tells it from a body override (a Symbol.for: true across ESM and CommonJS copies). */
const FAULT = Symbol.for("@presign/core/testing/fault");

/** What a fault may read of the operation it answers for. */
export interface FaultContext {
  /** The spec's example error body for this status on this operation, when it documents one. */
  errorExample(status: number): unknown;
}

/** An answer that stands for a failure, given to an operation handler instead of a body or resolver. */
export interface Fault {
  readonly [FAULT]: true;
  /** How many requests it answers before falling through to the default handler; undefined: all of them. */
  readonly times: number | undefined;
  respond(context: FaultContext): Response;
}

export interface FaultOptions {
  /** Answer this many requests with the fault, then fall through to the default answer. Default: every request. */
  times?: number;
}

/** Makes a fault of your own (Powerdrill's `faults.apiError` is one): `respond` builds the answer. */
export function createFault(respond: (context: FaultContext) => Response, options: FaultOptions = {}): Fault {
  const { times } = options;
  if (times !== undefined && !(Number.isInteger(times) && times > 0)) throw new RangeError(`times must be a positive integer, got ${times}`);
  return { [FAULT]: true, times, respond };
}

export function isFault(value: unknown): value is Fault {
  return typeof value === "object" && value !== null && FAULT in value;
}

/** The spec's error example for the status, else a small JSON body that says what happened. */
function errorResponse(context: FaultContext, status: number, message: string, headers: Record<string, string> = {}): Response {
  // biome-ignore lint/suspicious/noExplicitAny: a JSON body, the spec's example or our own.
  const body: any = context.errorExample(status) ?? { message };
  return HttpResponse.json(body, { status, headers });
}

export interface RateLimitedOptions extends FaultOptions {
  /** Seconds, sent as `Retry-After`. The client sleeps this long before retrying (0 keeps a test fast). */
  retryAfter: number;
}

export interface ServerErrorOptions extends FaultOptions {
  status?: 500 | 502 | 503 | 504;
}

export interface HttpErrorOptions extends FaultOptions {
  /** A 4xx or 5xx status. */
  status: number;
}

export const faults = {
  /** 429 with `Retry-After`: retried after that many seconds, a `RateLimitError` once retries run out. */
  rateLimited({ retryAfter, ...options }: RateLimitedOptions): Fault {
    return createFault((context) => errorResponse(context, 429, "Too Many Requests", { "retry-after": String(retryAfter) }), options);
  },
  /** A 5xx (default 500): retried where the operation is safe to repeat, a `ServerError` once retries run out. */
  serverError({ status = 500, ...options }: ServerErrorOptions = {}): Fault {
    return createFault((context) => errorResponse(context, status, "Internal Server Error"), options);
  },
  /** Any error status, with the spec's example body for it when the operation documents one (404 → `NotFoundError`). */
  httpError({ status, ...options }: HttpErrorOptions): Fault {
    if (!(Number.isInteger(status) && status >= 400 && status <= 599)) throw new RangeError(`status must be a 4xx or 5xx, got ${status}`);
    return createFault((context) => errorResponse(context, status, `HTTP ${status}`), options);
  },
  /** The connection fails (msw's `HttpResponse.error()`): a `ConnectionError` once retries run out. */
  networkError(options: FaultOptions = {}): Fault {
    return createFault(() => HttpResponse.error(), options);
  },
  /** A 200 whose body is not JSON: a `MalformedResponseError`, never retried. */
  malformed(options: FaultOptions = {}): Fault {
    return createFault(() => new HttpResponse("<html>not the API</html>", { status: 200, headers: { "content-type": "application/json" } }), options);
  },
};
