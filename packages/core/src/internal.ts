// For generated provider code, profiles and the project's own tests: not a public API, and it may
// change in any release. Users import from "@presign/core" (or a provider package) instead.
export { createPresignClient, redactorOf } from "./client.js";
export type {
  ApiDefinition,
  AuthScheme,
  Field,
  OperationDefinition,
  Place,
  PresignedUrlDefinition,
  Profile,
  ProviderErrorInfo,
  ServerVariable,
} from "./definition.js";
export { field, strings } from "./error-body.js";
export type { ApiErrorKind } from "./errors.js";
export { errorClasses, kindOfStatus } from "./errors.js";
export type { Redactor } from "./redact.js";
export { createRedactor } from "./redact.js";
export type { Outcome } from "./retry.js";
export { backoffMs, hintedDelayMs, retryAfterMs, shouldRetry } from "./retry.js";
export type { StorageErrorDetails, StorageRequest } from "./storage/errors.js";
export { storageError, storageErrorOf, storageOf } from "./storage/errors.js";
export type { ProgressMeter } from "./storage/progress.js";
export { progressMeter } from "./storage/progress.js";
export type { ByteSource, OpenSourceOptions } from "./storage/source.js";
export { openSource } from "./storage/source.js";
export type { PartToUpload, PutObjectInput, PutSettings, UploadedPart, UploadPartsInput } from "./storage/upload-parts.js";
export { checkUploadSettings, putObject, uploadParts } from "./storage/upload-parts.js";
export type { Schema } from "./validate.js";
