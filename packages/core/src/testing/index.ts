/**
 * `@presign/core/testing`: what every provider's `/testing` entry is built from. The msw handler
 * factory its generated handlers use, the fault presets, and the loopback S3-like storage server.
 * msw is an optional peer dependency: only this entry imports it, never the main one.
 */
import type { StorageServer, StorageServerOptions } from "./storage/server.js";

export {
  createFault,
  type Fault,
  type FaultContext,
  type FaultOptions,
  faults,
  type HttpErrorOptions,
  isFault,
  type RateLimitedOptions,
  type ServerErrorOptions,
} from "./faults.js";
export {
  defaultHandlers,
  type OperationHandler,
  type OperationMock,
  type OperationOverride,
  type OperationResolver,
  type OperationTypes,
  operationHandler,
  passthroughTo,
  type ResolverInfo,
} from "./handlers.js";
export { StorageServerError } from "./storage/errors.js";
export type { ExpireOptions, PresignInput, StorageRequest, StorageServer, StorageServerOptions } from "./storage/server.js";

/**
 * Starts the loopback S3-like storage server on 127.0.0.1 (Node only: it is node:http). Loaded when
 * called, so a browser test that imports this entry for its msw handlers never loads node:http.
 * Requests to it go past msw with `server.use(passthroughTo(storage.origin))`.
 */
export async function startStorageServer(options?: StorageServerOptions): Promise<StorageServer> {
  const storage = await import("./storage/server.js");
  return storage.startStorageServer(options);
}
