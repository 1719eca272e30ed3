/**
 * `pnpm demo` (through run.mjs): starts the loopback mock of every provider in specs/ and asks each client for
 * its presigned download URLs (every operation that hands out a URL to read from and changes
 * nothing), with the spec's example inputs and fake credentials — no real credentials, no internet.
 */
import * as all from "@presign/all";
import { startMockProviders } from "../scripts/mock-providers.ts";
import { bindClients, type Client, call, readsPresignedUrl } from "../test-support/clients.ts";
import { dig } from "../test-support/providers.ts";

const providers = bindClients(all);
const mock = await startMockProviders(providers);
console.log(`Mock providers listening on ${mock.url}\n`);

const width = Math.max(...providers.map((p) => p.name.length));
try {
  for (const provider of providers) {
    for (const op of provider.operations.filter(readsPresignedUrl)) {
      const client: Client = provider.create({ baseUrl: mock.url }, op.security[0]);
      const url = dig(await call(client, op), op.presignedUrlAt!);
      console.log(`${provider.name.padEnd(width)} ${op.methodName}\n  ${url}\n`);
    }
  }
} finally {
  await mock.close();
}
