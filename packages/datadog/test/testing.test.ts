/**
 * The testing kit as a user's test uses it: `@presign/datadog/testing` through the package's exports (the
 * built dist), the client under msw, and uploadTestFile's multipart upload on the exported loopback storage server.
 */
import { createDatadogClient, PermissionDeniedError, RateLimitError, uploadTestFile } from "@presign/datadog";
import { datadog, datadogHandlers, faults, passthroughTo, type StorageServer, startStorageServer } from "@presign/datadog/testing";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

const server = setupServer(...datadogHandlers());
const seen: string[] = [];
server.events.on("request:start", ({ request }) => {
  seen.push(`${request.method} ${new URL(request.url).pathname}`);
});

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  server.resetHandlers();
  seen.length = 0;
});
afterAll(() => server.close());

const client = () =>
  createDatadogClient({ apiKey: "test-api-key", appKey: "test-app-key", site: "datadoghq.eu", retry: { baseDelay: 1, maxDelay: 5 } });
const FILE = { publicId: "abc-def-123", bucketKey: "api-upload-file/abc-def-123/2024-01-01T00:00:00_uuid.json" };

describe("the handlers", () => {
  it("answer with the spec's example on any site, and a 204 with no body", async () => {
    await expect(client().getTestFileDownloadUrl(FILE)).resolves.toMatchObject({ url: expect.stringContaining("dd-synthetics-files") });
    await expect(client().abortTestFileMultipartUpload({ publicId: "abc-def-123", key: "k", uploadId: "u" })).resolves.toBeUndefined();
    expect(seen).toEqual([
      "POST /api/v2/synthetics/tests/abc-def-123/files/download",
      "POST /api/v2/synthetics/tests/abc-def-123/files/multipart-upload-abort",
    ]);
  });

  it("answer with a resolver's answer to the typed body", async () => {
    server.use(datadog.getTestFileDownloadUrl(({ params, body }) => ({ url: `https://files.example/${params.public_id}/${body.bucketKey}` })));
    await expect(client().getTestFileDownloadUrl({ publicId: "p-1", bucketKey: "k.json" })).resolves.toStrictEqual({
      url: "https://files.example/p-1/k.json",
    });
  });

  it("a 429 once: retried after Retry-After, then the default answer", async () => {
    server.use(datadog.getTestFileDownloadUrl(faults.rateLimited({ retryAfter: 0, times: 1 })));
    await expect(client().getTestFileDownloadUrl(FILE)).resolves.toMatchObject({ url: expect.any(String) });
    expect(seen).toHaveLength(2);
  });

  it("a 429 every time: a RateLimitError with Datadog's documented body", async () => {
    server.use(datadog.getTestFileDownloadUrl(faults.rateLimited({ retryAfter: 0 })));
    const error = await client()
      .getTestFileDownloadUrl(FILE)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ attempts: 3, messages: ["Too many requests"] });
  });

  it("a 403: a PermissionDeniedError, not retried", async () => {
    server.use(datadog.getTestFileDownloadUrl(faults.httpError({ status: 403 })));
    await expect(client().getTestFileDownloadUrl(FILE)).rejects.toBeInstanceOf(PermissionDeniedError);
    expect(seen).toHaveLength(1);
  });
});

describe("uploadTestFile against the exported storage server", () => {
  let storage: StorageServer;
  beforeAll(async () => {
    storage = await startStorageServer();
  });
  afterAll(() => storage.close());

  it("presigns each part on the storage server, PUTs them with their Content-MD5, and completes", async () => {
    const key = "org-2/api-upload-file/abc-def-123/payload.json";
    server.use(
      passthroughTo(storage.origin),
      datadog.getTestFileMultipartPresignedUrls(({ body }) => {
        const { uploadId } = storage.createMultipartUpload(key);
        const urls = Object.fromEntries(
          body.parts.map(({ md5, partNumber }) => [String(partNumber), storage.presignPart({ key, uploadId, partNumber, contentMd5: md5 })]),
        );
        return { bucketKey: "api-upload-file/abc-def-123/payload.json", multipart_presigned_urls_params: { key, upload_id: uploadId, urls } };
      }),
      datadog.completeTestFileMultipartUpload(({ body }) => {
        const parts = body.parts.map(({ ETag, PartNumber }) => ({ partNumber: PartNumber, etag: ETag }));
        storage.completeMultipartUpload({ key: body.key, uploadId: body.uploadId, parts });
        return undefined;
      }),
    );
    const bytes = new TextEncoder().encode(JSON.stringify({ hello: "world" }));
    const { bucketKey } = await uploadTestFile(client(), { publicId: "abc-def-123", bucketKeyPrefix: "api-upload-file", file: bytes });
    expect(bucketKey).toBe("api-upload-file/abc-def-123/payload.json");
    expect(storage.getObject(key)).toEqual(bytes);
    expect(storage.openUploads()).toEqual([]);
  });
});
