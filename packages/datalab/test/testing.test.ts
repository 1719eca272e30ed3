/**
 * The testing kit as a user's test uses it: `@presign/datalab/testing` through the package's exports (the
 * built dist), the client under msw, and the workflow against the exported loopback storage server.
 */
import { createDatalabClient, NotFoundError, RateLimitError, ServerError, uploadFile } from "@presign/datalab";
import { datalab, datalabHandlers, faults, passthroughTo, type StorageServer, startStorageServer } from "@presign/datalab/testing";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

const server = setupServer(...datalabHandlers());
/** Every request msw saw, as `METHOD path`. */
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

// Short backoff: the retry tests count attempts, they don't time them.
const client = () => createDatalabClient({ apiKey: "test-key", retry: { baseDelay: 1, maxDelay: 5 } });

describe("the default handlers", () => {
  it("answer every operation with the spec's example", async () => {
    const dl = client();
    await expect(dl.getFileDownloadUrl({ fileId: 42 })).resolves.toMatchObject({ file_id: 12345, original_filename: "report.pdf", expires_in: 3600 });
    await expect(dl.listFiles()).resolves.toMatchObject({ total: expect.any(Number), files: expect.any(Array) });
    await expect(dl.deleteFile({ fileId: 42 })).resolves.toMatchObject({ success: true });
    expect(seen).toEqual(["GET /api/v1/files/42/download", "GET /api/v1/files", "DELETE /api/v1/files/42"]);
  });

  it("match any origin, so a baseUrl works too", async () => {
    const local = createDatalabClient({ apiKey: "test-key", baseUrl: "http://127.0.0.1:9/" });
    await expect(local.getFile({ fileId: 7 })).resolves.toMatchObject({ original_filename: expect.any(String) });
  });
});

describe("overrides", () => {
  it("answer with a typed body", async () => {
    server.use(datalab.getFileDownloadUrl({ download_url: "https://files.example/x.pdf", expires_in: 60, file_id: 42, original_filename: "x.pdf" }));
    await expect(client().getFileDownloadUrl({ fileId: 42 })).resolves.toStrictEqual({
      download_url: "https://files.example/x.pdf",
      expires_in: 60,
      file_id: 42,
      original_filename: "x.pdf",
    });
  });

  it("answer with what a resolver makes of the path, the query and the body", async () => {
    server.use(
      datalab.getFileDownloadUrl(({ params, query }) => ({
        download_url: `https://files.example/${params.file_id}`,
        expires_in: Number(query.expires_in),
        file_id: Number(params.file_id),
        original_filename: "a.pdf",
      })),
      datalab.createFileUpload(({ body }) => ({ file_id: 1, upload_url: `https://files.example/${body.filename}`, reference: body.content_type })),
    );
    const dl = client();
    await expect(dl.getFileDownloadUrl({ fileId: 9, expiresIn: 120 })).resolves.toMatchObject({
      download_url: "https://files.example/9",
      expires_in: 120,
    });
    await expect(dl.createFileUpload({ filename: "a.csv", contentType: "text/csv" })).resolves.toMatchObject({
      upload_url: "https://files.example/a.csv",
      reference: "text/csv",
    });
  });

  it("answer with a Response a resolver returns", async () => {
    server.use(datalab.getFile(() => Response.json({ detail: "gone" }, { status: 404 })));
    const error = await client()
      .getFile({ fileId: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).messages).toEqual(["gone"]);
  });
});

describe("faults", () => {
  it("a 429 with Retry-After, once: retried, then the default answer", async () => {
    server.use(datalab.getFileDownloadUrl(faults.rateLimited({ retryAfter: 0, times: 1 })));
    await expect(client().getFileDownloadUrl({ fileId: 42 })).resolves.toMatchObject({ file_id: 12345 });
    expect(seen).toEqual(["GET /api/v1/files/42/download", "GET /api/v1/files/42/download"]);
  });

  it("a 429 every time: a RateLimitError carrying the retry hint and the spec's error body", async () => {
    server.use(datalab.getFileDownloadUrl(faults.rateLimited({ retryAfter: 0 })));
    const error = await client()
      .getFileDownloadUrl({ fileId: 42 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, attempts: 3, retryAfter: 0, messages: ["Too Many Requests"] });
  });

  it("a 503 every time: retries run out, a ServerError", async () => {
    server.use(datalab.getFileDownloadUrl(faults.serverError({ status: 503 })));
    const error = await client()
      .getFileDownloadUrl({ fileId: 42 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 503, attempts: 3 });
    expect(seen).toHaveLength(3);
  });

  it("a documented status answers with the spec's example body for it", async () => {
    server.use(datalab.getFile(faults.httpError({ status: 404 })));
    await expect(client().getFile({ fileId: 42 })).rejects.toMatchObject({ name: "NotFoundError", messages: ["Not Found"] });
  });

  it("a broken connection, twice: retried until it works", async () => {
    server.use(datalab.getFile(faults.networkError({ times: 2 })));
    await expect(client().getFile({ fileId: 42 })).resolves.toMatchObject({ original_filename: expect.any(String) });
    expect(seen).toHaveLength(3);
  });

  it("a malformed body: a MalformedResponseError, not retried", async () => {
    server.use(datalab.getFile(faults.malformed()));
    await expect(client().getFile({ fileId: 42 })).rejects.toMatchObject({ name: "MalformedResponseError" });
    expect(seen).toHaveLength(1);
  });
});

describe("uploadFile against the exported storage server", () => {
  let storage: StorageServer;
  beforeAll(async () => {
    storage = await startStorageServer();
  });
  afterAll(() => storage.close());

  it("presigns on the storage server, PUTs the bytes there and confirms", async () => {
    server.use(
      passthroughTo(storage.origin),
      datalab.createFileUpload(({ body }) => ({
        file_id: 7,
        upload_url: storage.presign({ method: "PUT", key: `uploads/${body.filename}`, signedHeaders: { "Content-Type": body.content_type } }),
        reference: "datalab://file-7",
      })),
      datalab.confirmFileUpload(({ params }) => ({
        file_id: Number(params.file_id_or_hashid),
        reference: "datalab://file-7",
        message: "ok",
        success: true,
      })),
    );
    const bytes = new TextEncoder().encode("id,name\n1,Ada\n");
    const result = await uploadFile(client(), { file: bytes, filename: "people.csv", contentType: "text/csv" });
    expect(result).toStrictEqual({ file_id: 7, reference: "datalab://file-7", message: "ok", success: true });
    expect(storage.getObject("uploads/people.csv")).toEqual(bytes);
    expect(seen).toEqual(["POST /api/v1/files/upload", "PUT /uploads/people.csv", "GET /api/v1/files/7/confirm"]);
  });
});
