// Every @presign provider in one package: the shared runtime's public API, each provider's factory
// and types (names that would clash carry the provider's name), `factories` by provider name, and
// `createClients` for all of them with one set of shared settings and middleware.
export * from "@presign/core";
export type { PresignClients, PresignClientsOptions, SharedClientOptions } from "./clients.js";
export { createClients } from "./clients.js";
export * from "./generated/providers.js";
