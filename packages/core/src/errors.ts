/** What went wrong, as one word a program can switch on. */
export type ErrorKind =
  | "invalid_request"
  | "authentication"
  | "permission"
  | "not_found"
  | "conflict"
  | "rate_limit"
  | "server"
  | "malformed_response"
  | "connection"
  | "timeout"
  | "aborted";

export interface ErrorDetails {
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
  cause?: unknown;
}

/**
 * Base class of every error a presign client throws. It holds only redacted data: its message,
 * `toJSON()` and `util.inspect` output are safe to log.
 */
export class PresignError extends Error {
  readonly kind: ErrorKind = "invalid_request";
  readonly provider: string;
  readonly status?: number;
  readonly code?: string | number;
  readonly messages: string[];
  readonly requestId?: string;
  readonly retryAfter?: number;
  readonly attempts: number;
  readonly request?: string;

  constructor(message: string, details: ErrorDetails) {
    super(message);
    this.provider = details.provider;
    this.status = details.status;
    this.code = details.code;
    this.messages = details.messages ?? [];
    this.requestId = details.requestId;
    this.retryAfter = details.retryAfter;
    this.attempts = details.attempts ?? 0;
    this.request = details.request;
    // Non-enumerable: an underlying error is kept for debugging but never serialised.
    if (details.cause !== undefined) Object.defineProperty(this, "cause", { value: details.cause, enumerable: false });
  }

  override get name(): string {
    return this.constructor.name;
  }

  toJSON() {
    const { kind, provider, status, code, messages, requestId, retryAfter, attempts, request } = this;
    return { name: this.name, message: this.message, kind, provider, status, code, messages, requestId, retryAfter, attempts, request };
  }
}

/** Rejected before sending (bad input, missing credentials) or answered 400/413/422 and other 4xx. */
export class InvalidRequestError extends PresignError {
  override readonly kind = "invalid_request";
}
export class AuthenticationError extends PresignError {
  override readonly kind = "authentication";
}
export class PermissionDeniedError extends PresignError {
  override readonly kind = "permission";
}
export class NotFoundError extends PresignError {
  override readonly kind = "not_found";
}
export class ConflictError extends PresignError {
  override readonly kind = "conflict";
}
export class RateLimitError extends PresignError {
  override readonly kind = "rate_limit";
}
export class ServerError extends PresignError {
  override readonly kind = "server";
}
/** A success status whose body is not what the spec promises (bad JSON, missing field) or an unexpected redirect. */
export class MalformedResponseError extends PresignError {
  override readonly kind = "malformed_response";
}
/** The connection failed or broke before a whole response arrived. */
export class ConnectionError extends PresignError {
  override readonly kind = "connection";
}
/** An attempt ran past its timeout (and no retries were left). */
export class TimeoutError extends PresignError {
  override readonly kind = "timeout";
}
/** The caller's AbortSignal fired. Never retried. */
export class AbortedError extends PresignError {
  override readonly kind = "aborted";
}

export const errorClasses = {
  invalid_request: InvalidRequestError,
  authentication: AuthenticationError,
  permission: PermissionDeniedError,
  not_found: NotFoundError,
  conflict: ConflictError,
  rate_limit: RateLimitError,
  server: ServerError,
  malformed_response: MalformedResponseError,
  connection: ConnectionError,
  timeout: TimeoutError,
  aborted: AbortedError,
} satisfies Record<ErrorKind, typeof PresignError>;

/** The error kind an HTTP status stands for. */
export function kindOfStatus(status: number): ErrorKind {
  switch (status) {
    case 401:
      return "authentication";
    case 403:
      return "permission";
    case 404:
      return "not_found";
    case 408:
      return "timeout";
    case 409:
      return "conflict";
    case 429:
      return "rate_limit";
  }
  if (status >= 500) return "server";
  if (status >= 400) return "invalid_request";
  return "malformed_response";
}

/** Builds the error of a kind with a message that says who, what and how often: never a secret. */
export function describeError(kind: ErrorKind, what: string, details: ErrorDetails): PresignError {
  const status = details.status === undefined ? "" : ` ${details.status}`;
  const tries = details.attempts ? `, ${details.attempts} attempt${details.attempts === 1 ? "" : "s"}` : "";
  const where = details.request ? ` (${details.request}${tries})` : "";
  return new errorClasses[kind](`${details.provider}${status}: ${what}${where}`, details);
}
