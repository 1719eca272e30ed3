export { createPresignClient } from "./client.js";
export type { CallOptions, ClientOptions, PresignClientBase, Profile, ProviderErrorInfo } from "./client.js";
export type { ApiDefinition, AuthScheme, Field, OperationDefinition, Place, ServerVariable } from "./definition.js";
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
export type { ErrorKind } from "./errors.js";
export { createRedactor, redactUrl } from "./redact.js";
export type { Redactor } from "./redact.js";
export { backoffMs, defaultRetryPolicy, hintedDelayMs, retryAfterMs } from "./retry.js";
export type { RetryPolicy } from "./retry.js";
export type { Middleware } from "./transport.js";
export type { Schema } from "./validate.js";
export { field, strings } from "./body.js";
