// Error classes and shared types, so `instanceof RateLimitError` works with this package alone.
export * from "@presign/core";
export * from "./generated/client.js";
export type { components, operations, paths } from "./generated/schema.js";
// The export workflow: a plain function, so an app that does not call it bundles none of it.
export * from "./lib/export.js";
