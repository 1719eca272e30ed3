// The loopback storage server is public API now (@presign/core/testing): this file only keeps the old import path.
export * from "../packages/core/src/testing/storage/signing.js";
