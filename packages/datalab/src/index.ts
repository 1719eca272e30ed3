// Error classes and shared types, so `instanceof RateLimitError` works with this package alone.
export * from "@presign/core";
export * from "./generated/client.js";
export type { components, operations, paths } from "./generated/schema.js";
// Workflows: plain functions, so an app that doesn't call them bundles none of them.
export { DATALAB_MAX_UPLOAD_BYTES, type UploadFileInput, type UploadFileResult, uploadFile } from "./lib/upload-file.js";
