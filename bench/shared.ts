/** What every part of the bench agrees on: paths, the four providers' presign calls, and statistics. */
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { demoCredentials } from "../scripts/mock-providers.ts";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** The tests workspace package holds the official Datadog client and esbuild, and links every provider. */
export const testsDir = join(root, "tests");
export const requireFromTests = createRequire(join(testsDir, "package.json"));

export interface Provider {
  name: keyof typeof demoCredentials;
  factory: string;
  method: string;
  input: Record<string, unknown>;
  credentials: Record<string, string>;
  /** The presigned URL in the operation's result. */
  urlOf(result: any): unknown;
}

/** Each provider's presign operation, with the inputs the loopback mock answers. */
export const providers: Provider[] = [
  {
    name: "datadog",
    factory: "createDatadogClient",
    method: "getTestFileDownloadUrl",
    input: { publicId: "abc-def-123", bucketKey: "api-upload-file/abc-def-123/result.json" },
    credentials: demoCredentials.datadog,
    urlOf: (r) => r?.url,
  },
  {
    name: "spaaza",
    factory: "createSpaazaClient",
    method: "getTaskDownloadUrl",
    input: { id: 12345 },
    credentials: demoCredentials.spaaza,
    urlOf: (r) => r?.url,
  },
  {
    name: "datalab",
    factory: "createDatalabClient",
    method: "getFileDownloadUrl",
    input: { fileId: 42, expiresIn: 900 },
    credentials: demoCredentials.datalab,
    urlOf: (r) => r?.download_url,
  },
  {
    name: "powerdrill",
    factory: "createPowerdrillClient",
    method: "presignDataSource",
    input: { datasetId: "ds-1", datasourceId: "src-7", userId: "demo-user" },
    credentials: demoCredentials.powerdrill,
    urlOf: (r) => r?.data?.presigned_url,
  },
];

export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, n: sorted.length };
}
