// Every @presign provider in one package: the shared runtime's public API, each provider's factory
// and types (names that would clash carry the provider's name), and `factories` by provider name.
export * from "@presign/core";
export * from "./generated/providers.js";
