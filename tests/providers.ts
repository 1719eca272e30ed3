/**
 * Every provider in specs/, bound to its client from @presign/all: what the cross-provider suites
 * iterate over, so that a new spec (after `pnpm generate` and a build) is tested with no edit here.
 */
import * as all from "@presign/all";
import { bindClients } from "../test-support/clients.ts";

export const providers = bindClients(all);
export { type Client, call, type Operation, type Provider, presignOperation, readsPresignedUrl } from "../test-support/clients.ts";
