/**
 * The testing kit as a user's test uses it: `@presign/spaaza/testing` through the package's exports (the
 * built dist), the client under msw, and exportTask downloading from the exported loopback storage server.
 */
import { createSpaazaClient, exportTask, NotFoundError, ServerError } from "@presign/spaaza";
import { faults, passthroughTo, type StorageServer, spaaza, spaazaHandlers, startStorageServer } from "@presign/spaaza/testing";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

const server = setupServer(...spaazaHandlers());
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
  createSpaazaClient({ host: "services.example.spaaza.com", accessToken: "token-id:token-secret", retry: { baseDelay: 1, maxDelay: 5 } });

describe("the handlers", () => {
  it("answer with the spec's example by default", async () => {
    await expect(client().getTask({ id: 1 })).resolves.toMatchObject({ id: 12345, state: { code: "DONE" } });
    await expect(client().getTaskDownloadUrl({ id: 1 })).resolves.toMatchObject({ url: expect.stringContaining("Transaction_Export-12345.csv") });
  });

  it("answer with a typed body, or a resolver's answer to the path", async () => {
    server.use(
      spaaza.getTaskDownloadUrl(({ params }) => ({ url: `https://exports.example/${params.id}.csv` })),
      spaaza.executeTask({ code: "INPROGRESS", last_modified: "2026-05-26T14:35:45Z", created_date: "2026-05-26T11:59:00Z" }),
    );
    await expect(client().getTaskDownloadUrl({ id: 77 })).resolves.toStrictEqual({ url: "https://exports.example/77.csv" });
    await expect(client().executeTask({ id: 77 })).resolves.toMatchObject({ code: "INPROGRESS" });
  });

  it("a 500 once: retried, then the default answer", async () => {
    server.use(spaaza.getTask(faults.serverError({ times: 1 })));
    await expect(client().getTask({ id: 1 })).resolves.toMatchObject({ id: 12345 });
    expect(seen).toEqual(["GET /tasks/1", "GET /tasks/1"]);
  });

  it("a 502 every time: a ServerError after the retries", async () => {
    server.use(spaaza.getTask(faults.serverError({ status: 502 })));
    await expect(client().getTask({ id: 1 })).rejects.toBeInstanceOf(ServerError);
    expect(seen).toHaveLength(3);
  });

  it("a 404: a NotFoundError", async () => {
    server.use(spaaza.getTaskDownloadUrl(faults.httpError({ status: 404 })));
    await expect(client().getTaskDownloadUrl({ id: 1 })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("exportTask against the exported storage server", () => {
  let storage: StorageServer;
  beforeAll(async () => {
    storage = await startStorageServer();
  });
  afterAll(() => storage.close());

  it("creates, runs and polls the task, then downloads the file from the URL the API hands out", async () => {
    const csv = new TextEncoder().encode("id,email\n1,ada@example.com\n");
    storage.putObject("exports/users.csv", csv, { contentType: "text/csv" });
    server.use(passthroughTo(storage.origin), spaaza.getTaskDownloadUrl({ url: storage.presign({ method: "GET", key: "exports/users.csv" }) }));
    const chunks: Uint8Array[] = [];
    const sink = new WritableStream<Uint8Array>({ write: (chunk) => void chunks.push(chunk) });
    const { task, download } = await exportTask(client(), { chain: 1743, index: "users", format: "csv", download: sink, pollInterval: 1 });
    expect(task.state.code).toBe("DONE");
    expect(download?.bytes).toBe(csv.byteLength);
    expect(Buffer.concat(chunks)).toEqual(Buffer.from(csv));
    expect(seen).toEqual(["POST /tasks", "POST /tasks/12345/execute", "GET /tasks/12345", "GET /tasks/12345/download_url", "GET /exports/users.csv"]);
  });
});
