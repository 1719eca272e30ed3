// The public API of @presign/core, re-exported by every provider package: the options a client
// takes, the errors it throws, the middleware contract, and a helper to log presigned URLs safely.
// What generated code and profiles need lives in "@presign/core/internal" and is not semver-bound.

export type { Middleware } from "openapi-fetch";
export type { CallOptions, PresignClientBase } from "./client.js";
export type { ClientOptions } from "./config.js";
export type { ErrorDetails, ErrorKind } from "./errors.js";
export {
  AbortedError,
  AuthenticationError,
  ConflictError,
  ConnectionError,
  InvalidRequestError,
  MalformedResponseError,
  NotFoundError,
  PermissionDeniedError,
  PresignError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from "./errors.js";
export { redactUrl } from "./redact.js";
export type { RetryPolicy } from "./retry.js";
export { defaultRetryPolicy } from "./retry.js";
// The storage leg (presigned URLs normalized, download, upload): its own modules, so a one-call app bundles none of it.
export * from "./storage/index.js";
