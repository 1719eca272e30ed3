/**
 * `pnpm demo`: starts the loopback mock of the four providers (or uses PRESIGN_DEMO_URL) and asks
 * each built client for a presigned URL — no credentials, no internet.
 */
import { createDatadogClient } from "../packages/datadog/dist/index.js";
import { createDatalabClient } from "../packages/datalab/dist/index.js";
import { createPowerdrillClient } from "../packages/powerdrill/dist/index.js";
import { createSpaazaClient } from "../packages/spaaza/dist/index.js";
import { demoCredentials, startMockProviders } from "./mock-providers.ts";

const mock = await startMockProviders();
const baseUrl = mock.url;
console.log(`Mock providers listening on ${baseUrl}\n`);

try {
  const datadog = createDatadogClient({ ...demoCredentials.datadog, baseUrl });
  const datalab = createDatalabClient({ ...demoCredentials.datalab, baseUrl });
  const powerdrill = createPowerdrillClient({ ...demoCredentials.powerdrill, baseUrl });
  const spaaza = createSpaazaClient({ ...demoCredentials.spaaza, baseUrl });

  const results: [string, string | undefined][] = [
    ["datadog    getTestFileDownloadUrl", (await datadog.getTestFileDownloadUrl({ publicId: "abc-def-123", bucketKey: "api-upload-file/abc-def-123/result.json" })).url],
    ["spaaza     getTaskDownloadUrl", (await spaaza.getTaskDownloadUrl({ id: 12345 })).url],
    ["datalab    getFileDownloadUrl", (await datalab.getFileDownloadUrl({ fileId: 42, expiresIn: 900 })).download_url],
    ["powerdrill presignDataSource", (await powerdrill.presignDataSource({ datasetId: "ds-1", datasourceId: "src-7", userId: "demo-user" })).data.presigned_url],
  ];
  for (const [what, url] of results) console.log(`${what}\n  ${url}\n`);
} finally {
  await mock.close();
}
