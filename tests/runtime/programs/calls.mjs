// The runtime matrix's program: the same four calls as scripts/demo.ts, against the built packages,
// imported by their package names (so each runtime resolves their `exports` and core's `#send`).
import { createDatadogClient } from "@presign/datadog";
import { createDatalabClient } from "@presign/datalab";
import { createPowerdrillClient } from "@presign/powerdrill";
import { createSpaazaClient } from "@presign/spaaza";

/** Counts calls to `globalThis.fetch`: the fetch transport looks it up on every request. */
export function countFetch(counts) {
  const original = globalThis.fetch;
  globalThis.fetch = function countedFetch(...args) {
    counts.fetch++;
    return original.apply(this, args);
  };
}

const errorText = (error) => `${error?.name ?? "Error"}: ${error?.message ?? String(error)}${error?.cause ? ` (cause: ${error.cause?.message ?? error.cause})` : ""}`;

/** One presign call per provider; every call is reported, a failure as its error text. */
export async function presignAll(baseUrl, credentials) {
  const calls = {
    datadog: async () =>
      (await createDatadogClient({ ...credentials.datadog, baseUrl }).getTestFileDownloadUrl({
        publicId: "abc-def-123",
        bucketKey: "api-upload-file/abc-def-123/result.json",
      })).url,
    spaaza: async () => (await createSpaazaClient({ ...credentials.spaaza, baseUrl }).getTaskDownloadUrl({ id: 12345 })).url,
    datalab: async () =>
      (await createDatalabClient({ ...credentials.datalab, baseUrl }).getFileDownloadUrl({ fileId: 42, expiresIn: 900 })).download_url,
    powerdrill: async () =>
      (await createPowerdrillClient({ ...credentials.powerdrill, baseUrl }).presignDataSource({
        datasetId: "ds-1",
        datasourceId: "src-7",
        userId: "demo-user",
      })).data.presigned_url,
  };
  const urls = {};
  const errors = {};
  for (const [provider, call] of Object.entries(calls)) {
    try {
      urls[provider] = await call();
    } catch (error) {
      errors[provider] = errorText(error);
    }
  }
  return { urls, errors };
}

export { errorText };
