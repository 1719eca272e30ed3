// The testing kit, `@presign/datadog/testing`: msw handlers generated from the spec (every operation answers its
// example; a test overrides one with a typed body, a resolver or a fault), the shared fault presets, and the
// loopback S3-like storage server for the workflows.
export * from "@presign/core/testing";
export * from "./generated/testing.js";
