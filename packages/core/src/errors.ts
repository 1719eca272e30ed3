/** What went wrong, as one word a program can switch on. Each kind has its own error class. */
export type ErrorKind =
  | "invalid_request"
  | "authentication"
  | "permission_denied"
  | "not_found"
  | "conflict"
  | "rate_limit"
  | "server"
  | "malformed_response"
  | "connection"
  | "timeout"
  | "aborted"
  // Thrown by the storage workflows only (their classes live in storage/errors.ts, outside a one-call bundle).
  | "storage"
  | "task_failed";

/** The kinds an API response or call can end in: each has its class in `errorClasses`. */
export type ApiErrorKind = Exclude<ErrorKind, "storage" | "task_failed">;

/** What an error says beyond its message; every field is safe to log. */
export interface ErrorDetails {
  /** The provider the call went to ("datadog", "spaaza", …). */
  provider: string;
  /** HTTP status of the last attempt; undefined when no response arrived (or no request was sent). */
  status?: number;
  /** The provider's own error code (Powerdrill `code`, Spaaza `error.code`, …). */
  code?: string | number;
  /** The provider's own error messages, secrets removed. */
  messages?: string[];
  /** Request or trace id sent back by the provider, for its support team. */
  requestId?: string;
  /** Seconds the provider asked us to wait before trying again. */
  retryAfter?: number;
  /** Requests sent, retries included; 0 when the error came before any request. */
  attempts?: number;
  /** Method and URL of the request, with signatures redacted. */
  request?: string;
  /** The network error behind a connection failure (only its name, code and redacted message), or the abort reason. */
  cause?: unknown;
}

/**
 * Base class of every error a presign client throws. It holds only redacted data: its message,
 * `toJSON()` and `util.inspect` output are safe to log.
 */
export class PresignError extends Error {
  /** What went wrong, as one word a program can switch on. */
  declare readonly kind: ErrorKind;
  /** The provider the call went to. */
  declare readonly provider: string;
  /** HTTP status of the last attempt, when a response arrived. */
  declare readonly status?: number;
  /** The provider's own error code. */
  declare readonly code?: string | number;
  /** The provider's own error messages, secrets removed (empty when it sent none). */
  declare readonly messages: string[];
  /** Request or trace id sent back by the provider, for its support team. */
  declare readonly requestId?: string;
  /** Seconds the provider asked us to wait before trying again. */
  declare readonly retryAfter?: number;
  /** Requests sent, retries included; 0 when the error came before any request. */
  declare readonly attempts: number;
  /** Method and URL of the request, with signatures redacted. */
  declare readonly request?: string;

  constructor(message: string, { cause, ...details }: ErrorDetails) {
    super(message);
    Object.assign(this, { messages: [], attempts: 0 }, details);
    // Kept for debugging but not enumerable, so it is never serialised.
    if (cause !== undefined) Object.defineProperty(this, "cause", { value: cause });
  }

  /** The error as a plain object: name, message, kind and every detail (never the cause). */
  toJSON() {
    return { name: this.name, message: this.message, kind: this.kind, ...(this as object) };
  }
}

/** Rejected before sending (bad input, missing credentials), or answered 400, 413, 422 and other 4xx. */
export class InvalidRequestError extends PresignError {
  declare readonly kind: "invalid_request";
}
/** Answered 401: the credentials are missing, wrong or expired. */
export class AuthenticationError extends PresignError {
  declare readonly kind: "authentication";
}
/** Answered 403: the credentials are valid but may not do this. */
export class PermissionDeniedError extends PresignError {
  declare readonly kind: "permission_denied";
}
/** Answered 404: the resource does not exist (or is not visible to these credentials). */
export class NotFoundError extends PresignError {
  declare readonly kind: "not_found";
}
/** Answered 409: the resource is not in a state that allows this. */
export class ConflictError extends PresignError {
  declare readonly kind: "conflict";
}
/** Answered 429 (after any retries): `retryAfter` says how long the provider asked to wait. */
export class RateLimitError extends PresignError {
  declare readonly kind: "rate_limit";
}
/** Answered 5xx (after any retries), or a success body that reports an error. */
export class ServerError extends PresignError {
  declare readonly kind: "server";
}
/** A success status whose body is not what the spec promises (bad JSON, missing field), or a redirect. */
export class MalformedResponseError extends PresignError {
  declare readonly kind: "malformed_response";
}
/** The connection failed or broke before a whole response arrived. */
export class ConnectionError extends PresignError {
  declare readonly kind: "connection";
}
/** An attempt ran past its timeout (and no retries were left). */
export class TimeoutError extends PresignError {
  declare readonly kind: "timeout";
}
/** The caller's AbortSignal fired. Never retried. */
export class AbortedError extends PresignError {
  declare readonly kind: "aborted";
}

/** Each kind with its class and the name it shows (spelled out: a minifier renames classes, so `constructor.name` would say "oe"). */
const ERROR_CLASSES = [
  { kind: "invalid_request", Class: InvalidRequestError, name: "InvalidRequestError" },
  { kind: "authentication", Class: AuthenticationError, name: "AuthenticationError" },
  { kind: "permission_denied", Class: PermissionDeniedError, name: "PermissionDeniedError" },
  { kind: "not_found", Class: NotFoundError, name: "NotFoundError" },
  { kind: "conflict", Class: ConflictError, name: "ConflictError" },
  { kind: "rate_limit", Class: RateLimitError, name: "RateLimitError" },
  { kind: "server", Class: ServerError, name: "ServerError" },
  { kind: "malformed_response", Class: MalformedResponseError, name: "MalformedResponseError" },
  { kind: "connection", Class: ConnectionError, name: "ConnectionError" },
  { kind: "timeout", Class: TimeoutError, name: "TimeoutError" },
  { kind: "aborted", Class: AbortedError, name: "AbortedError" },
] as const satisfies readonly { kind: ApiErrorKind; Class: typeof PresignError; name: string }[];

/** The class of each error kind. */
export const errorClasses = {} as Record<ApiErrorKind, typeof PresignError>;
for (const { kind, Class, name } of ERROR_CLASSES) {
  // Kind and name live on each prototype, so every instance reports them without an own property.
  Object.assign(Class.prototype, { kind, name });
  errorClasses[kind] = Class;
}
PresignError.prototype.name = "PresignError";

const STATUS_KINDS: Record<number, ApiErrorKind> = {
  401: "authentication",
  403: "permission_denied",
  404: "not_found",
  408: "timeout",
  409: "conflict",
  429: "rate_limit",
};

/** The error kind an HTTP status stands for. */
export const kindOfStatus = (status: number): ApiErrorKind =>
  STATUS_KINDS[status] ?? (status >= 500 ? "server" : status >= 400 ? "invalid_request" : "malformed_response");

/** Builds the error of a kind with a message that says who, what and how often: never a secret. */
export function describeError(kind: ErrorKind, what: string, details: ErrorDetails): PresignError {
  const { provider, status, attempts, request } = details;
  const tries = attempts ? `, ${attempts} attempt${attempts === 1 ? "" : "s"}` : "";
  // TODO(lead): narrow `kind` to ApiErrorKind once parse.ts, transport.ts and ProviderErrorInfo.kind say so; then drop the cast.
  return new errorClasses[kind as ApiErrorKind](
    `${provider}${status === undefined ? "" : ` ${status}`}: ${what}${request ? ` (${request}${tries})` : ""}`,
    details,
  );
}
