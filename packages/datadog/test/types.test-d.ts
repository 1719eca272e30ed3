import { describe, expectTypeOf, it } from "vitest";
import {
  createDatadogClient,
  type DatadogClient,
  type DatadogClientOptions,
  type GetTestFileMultipartPresignedUrlsInput,
  type PresignError,
  type RateLimitError,
} from "../src/index.js";

// Type tests are compiled, never run: a declared client is enough.
declare const client: DatadogClient;
const id = "abc-def-123";
const md5 = "1B2M2Y8AsgTpgAmY7PhCfg==";

describe("inputs", () => {
  it("accepts the documented inputs with their wire casing", () => {
    client.getTestFileDownloadUrl({ publicId: id, bucketKey: "k" });
    client.getTestFileMultipartPresignedUrls({ publicId: id, bucketKeyPrefix: "api-upload-file", parts: [{ md5, partNumber: 1 }] });
    client.completeTestFileMultipartUpload({ publicId: id, key: "k", uploadId: "u", parts: [{ ETag: '"e"', PartNumber: 1 }] });
    client.abortTestFileMultipartUpload({ publicId: id, key: "k", uploadId: "u" });
    expectTypeOf<GetTestFileMultipartPresignedUrlsInput["bucketKeyPrefix"]>().toEqualTypeOf<"api-upload-file" | "browser-upload-file-step">();
  });

  it("rejects a number for the string publicId", () => {
    // @ts-expect-error publicId is a string
    client.getTestFileDownloadUrl({ publicId: 123, bucketKey: "k" });
    expectTypeOf(client.getTestFileDownloadUrl).parameter(0).toHaveProperty("publicId").toEqualTypeOf<string>();
  });

  it("rejects a missing required field", () => {
    // @ts-expect-error bucketKey is required
    client.getTestFileDownloadUrl({ publicId: id });
    // @ts-expect-error uploadId is required
    client.abortTestFileMultipartUpload({ publicId: id, key: "k" });
    // @ts-expect-error the input itself is required
    client.getTestFileDownloadUrl();
  });

  it("rejects an unknown field", () => {
    // @ts-expect-error bucket_key is not a field (the wire name is bucketKey)
    client.getTestFileDownloadUrl({ publicId: id, bucketKey: "k", bucket_key: "k" });
    // @ts-expect-error upload_id is the response's name; the request takes uploadId
    client.abortTestFileMultipartUpload({ publicId: id, key: "k", uploadId: "u", upload_id: "u" });
  });

  it("rejects a bucketKeyPrefix outside the enum", () => {
    // @ts-expect-error not one of api-upload-file | browser-upload-file-step
    client.getTestFileMultipartPresignedUrls({ publicId: id, bucketKeyPrefix: "api-upload", parts: [{ md5, partNumber: 1 }] });
  });

  it("keeps each part's casing apart", () => {
    // @ts-expect-error presign parts take partNumber, not PartNumber
    client.getTestFileMultipartPresignedUrls({ publicId: id, bucketKeyPrefix: "api-upload-file", parts: [{ md5, PartNumber: 1 }] });
    // @ts-expect-error complete parts take ETag and PartNumber, not etag and partNumber
    client.completeTestFileMultipartUpload({ publicId: id, key: "k", uploadId: "u", parts: [{ etag: '"e"', partNumber: 1 }] });
    // @ts-expect-error PartNumber is a number
    client.completeTestFileMultipartUpload({ publicId: id, key: "k", uploadId: "u", parts: [{ ETag: '"e"', PartNumber: "1" }] });
  });
});

describe("client options", () => {
  it("accepts the documented sites and credentials", () => {
    createDatadogClient({ apiKey: "a", appKey: "b", site: "datadoghq.eu" });
    createDatadogClient({ accessToken: "t", site: "us2.ddog-gov.com" });
    expectTypeOf<DatadogClientOptions["site"]>().toEqualTypeOf<
      | "datadoghq.com"
      | "us3.datadoghq.com"
      | "us5.datadoghq.com"
      | "ap1.datadoghq.com"
      | "ap2.datadoghq.com"
      | "uk1.datadoghq.com"
      | "datadoghq.eu"
      | "ddog-gov.com"
      | "us2.ddog-gov.com"
      | undefined
    >();
  });

  it("rejects an unknown site, a non-string key and an unknown option", () => {
    // @ts-expect-error not a Datadog site
    createDatadogClient({ apiKey: "a", appKey: "b", site: "datadoghq.org" });
    // @ts-expect-error keys are strings
    createDatadogClient({ apiKey: 1, appKey: "b" });
    // @ts-expect-error applicationKey is not an option (it is appKey)
    createDatadogClient({ apiKey: "a", applicationKey: "b" });
  });
});

describe("results", () => {
  it("types the download URL result", () => {
    expectTypeOf(client.getTestFileDownloadUrl).returns.resolves.toEqualTypeOf<{ url?: string }>();
  });

  it("types the multipart presign result with its snake_case fields", () => {
    expectTypeOf(client.getTestFileMultipartPresignedUrls).returns.resolves.toEqualTypeOf<{
      bucketKey?: string;
      multipart_presigned_urls_params?: { key?: string; upload_id?: string; urls?: { [partNumber: string]: string } };
    }>();
  });

  it("resolves complete and abort to void", () => {
    expectTypeOf(client.completeTestFileMultipartUpload).returns.resolves.toEqualTypeOf<void>();
    expectTypeOf(client.abortTestFileMultipartUpload).returns.resolves.toEqualTypeOf<void>();
  });

  it("exports error classes with typed fields", () => {
    expectTypeOf<RateLimitError>().toExtend<PresignError>();
    expectTypeOf<PresignError["status"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<PresignError["code"]>().toEqualTypeOf<string | number | undefined>();
    expectTypeOf<PresignError["messages"]>().toEqualTypeOf<string[]>();
    expectTypeOf<PresignError["attempts"]>().toEqualTypeOf<number>();
  });
});
