// Every @presign provider in one package. The shared runtime (error classes, types, helpers) is
// re-exported as-is; each provider's exports that would clash (`definition`, `paths`,
// `components`, `operations`) are renamed with the provider's name in front.
export * from "@presign/core";

export {
  createDatadogClient,
  definition as datadogDefinition,
  type AbortTestFileMultipartUploadInput,
  type CompleteTestFileMultipartUploadInput,
  type DatadogClient,
  type DatadogClientOptions,
  type GetTestFileDownloadUrlInput,
  type GetTestFileMultipartPresignedUrlsInput,
  type components as DatadogComponents,
  type operations as DatadogOperations,
  type paths as DatadogPaths,
} from "@presign/datadog";

export {
  createDatalabClient,
  definition as datalabDefinition,
  type DatalabClient,
  type DatalabClientOptions,
  type GetFileDownloadUrlInput,
  type components as DatalabComponents,
  type operations as DatalabOperations,
  type paths as DatalabPaths,
} from "@presign/datalab";

export {
  createPowerdrillClient,
  definition as powerdrillDefinition,
  type PowerdrillClient,
  type PowerdrillClientOptions,
  type PresignDataSourceInput,
  type components as PowerdrillComponents,
  type operations as PowerdrillOperations,
  type paths as PowerdrillPaths,
} from "@presign/powerdrill";

export {
  createSpaazaClient,
  definition as spaazaDefinition,
  type GetTaskDownloadUrlInput,
  type SpaazaClient,
  type SpaazaClientOptions,
  type components as SpaazaComponents,
  type operations as SpaazaOperations,
  type paths as SpaazaPaths,
} from "@presign/spaaza";
