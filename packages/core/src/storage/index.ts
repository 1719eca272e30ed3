// The storage leg's public API: presigned URLs normalized, storage errors, download (and, beside it, upload).
// Re-exported by @presign/core's index; kept in modules of their own so a one-call app bundles none of it.

export type { DownloadOptions, DownloadResult, DownloadTarget, UrlSource } from "./download.js";
export { download } from "./download.js";
export type { StorageErrorCode, StorageErrorDetails, StorageKind, StorageRequest } from "./errors.js";
export { StorageError, TaskFailedError } from "./errors.js";
export type { NodeReadableLike, NodeWritableLike } from "./node-streams.js";
export type { ExpirySource, PresignedPart, PresignedUrl } from "./presigned.js";
export { expiryOfUrl, presigned, presignedParts } from "./presigned.js";
export type { TransferProgress } from "./progress.js";
export type { UploadSource } from "./source.js";
export type { UploadOptions } from "./upload-parts.js";
