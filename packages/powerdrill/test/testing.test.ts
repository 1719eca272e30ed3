/**
 * The testing kit as a user's test uses it: `@presign/powerdrill/testing` through the package's exports (the
 * built dist), the client under msw, Powerdrill's "HTTP 200 with code != 0" preset, and uploadDataSource's
 * multipart upload on the exported loopback storage server.
 */
import { AuthenticationError, createPowerdrillClient, NotFoundError, ServerError, uploadDataSource } from "@presign/powerdrill";
import { faults, passthroughTo, powerdrill, powerdrillHandlers, type StorageServer, startStorageServer } from "@presign/powerdrill/testing";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

const server = setupServer(...powerdrillHandlers());
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

const client = () => createPowerdrillClient({ apiKey: "test-key", retry: { baseDelay: 1, maxDelay: 5 } });
const SOURCE = { datasetId: "ds-1", datasourceId: "src-7", userId: "tmm-123" };

describe("the handlers", () => {
  it("answer with the spec's example, under the server's /api path", async () => {
    await expect(client().presignDataSource(SOURCE)).resolves.toMatchObject({ code: 0, data: { expires_at: "2024-09-24T14:44:18Z" } });
    expect(seen).toEqual(["POST /api/v2/team/datasets/ds-1/datasources/src-7/presign"]);
  });

  it("answer with a typed body", async () => {
    server.use(powerdrill.presignDataSource({ code: 0, data: { presigned_url: "https://files.example/a.csv", expires_at: "2030-01-01T00:00:00Z" } }));
    await expect(client().presignDataSource(SOURCE)).resolves.toStrictEqual({
      code: 0,
      data: { presigned_url: "https://files.example/a.csv", expires_at: "2030-01-01T00:00:00Z" },
    });
  });
});

describe("faults", () => {
  it("apiError: HTTP 200 with a code other than 0 is the error the code means", async () => {
    server.use(powerdrill.presignDataSource(faults.apiError({ code: 300003, message: "data source not found" })));
    const error = await client()
      .presignDataSource(SOURCE)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 200, code: 300003, messages: ["data source not found"], attempts: 1 });
  });

  it("apiError with another status and code", async () => {
    server.use(powerdrill.getDataSource(faults.apiError({ code: 1004, status: 403, message: "bad credentials" })));
    await expect(client().getDataSource(SOURCE)).rejects.toBeInstanceOf(AuthenticationError);
  });

  it("refuses code 0, which is success", () => {
    expect(() => faults.apiError({ code: 0 })).toThrow(RangeError);
  });

  it("a 429 once with Powerdrill's documented body: retried, then the default answer", async () => {
    server.use(powerdrill.getDataSource(faults.rateLimited({ retryAfter: 0, times: 1 })));
    await expect(client().getDataSource(SOURCE)).resolves.toMatchObject({ code: 0 });
    expect(seen).toHaveLength(2);
  });

  it("a 500 every time: a ServerError after the retries", async () => {
    server.use(powerdrill.getDataSource(faults.serverError()));
    await expect(client().getDataSource(SOURCE)).rejects.toBeInstanceOf(ServerError);
    expect(seen).toHaveLength(3);
  });
});

describe("uploadDataSource against the exported storage server", () => {
  let storage: StorageServer;
  beforeAll(async () => {
    storage = await startStorageServer();
  });
  afterAll(() => storage.close());

  it("uploads the parts Powerdrill sizes, completes, and creates the data source", async () => {
    server.use(
      passthroughTo(storage.origin),
      powerdrill.initMultipartUpload(({ body }) => {
        const key = `temp/user/${body.user_id}/${body.file_name}`;
        const { uploadId } = storage.createMultipartUpload(key);
        const part = { number: 1, size: body.file_size, upload_url: storage.presignPart({ key, uploadId, partNumber: 1 }) };
        return { code: 0, data: { upload_id: uploadId, file_object_key: key, part_items: [part] } };
      }),
      powerdrill.completeMultipartUpload(({ body }) => {
        const parts = body.part_etags.map(({ part_number, etag }) => ({ partNumber: part_number, etag }));
        storage.completeMultipartUpload({ key: body.file_object_key, uploadId: body.upload_id, parts });
        return { code: 0, data: { file_object_key: body.file_object_key } };
      }),
    );
    const bytes = new TextEncoder().encode("region,total\neu,42\n");
    const dataSource = await uploadDataSource(client(), { datasetId: "ds-1", userId: "tmm-123", file: bytes, name: "sales.csv" });
    expect(dataSource).toMatchObject({ name: "sales_data.csv", status: "synching" });
    expect(storage.getObject("temp/user/tmm-123/sales.csv")).toEqual(bytes);
    expect(storage.openUploads()).toEqual([]);
  });
});
