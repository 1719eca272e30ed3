/**
 * uploadFile against a loopback Datalab API that presigns on the loopback storage server, as Datalab
 * does on R2: the URL is signed with the Content-Type asked for, and a pending file record is kept
 * until it is confirmed or deleted.
 */
import { mkdtemp, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type JsonAnswer, type JsonRequest, startJsonApi } from "../../../test-support/loopback-api.js";
import { type StorageServer, startStorageServer } from "../../../test-support/storage-server.js";
import { patternedBytes } from "../../../test-support/uploads.js";
import { rejection as rejectionOf } from "../../../test-support/wire.js";
import {
  AbortedError,
  AuthenticationError,
  createDatalabClient,
  DATALAB_MAX_UPLOAD_BYTES,
  type DatalabClient,
  download,
  InvalidRequestError,
  NotFoundError,
  PresignError,
  presigned,
  ServerError,
  StorageError,
  type TransferProgress,
  type UploadFileInput,
  uploadFile,
} from "../src/index.js";

// ---------------------------------------------------------------------------------------------
// A loopback Datalab API
// ---------------------------------------------------------------------------------------------

const API_KEY = "dl_sk_live_upload_5e0c2b7a91d4";

type ApiRequest = JsonRequest;

interface Reply {
  status?: number;
  body?: unknown;
}

/** What a test may change about how the fake API answers. */
interface Behaviour {
  /** The Content-Type the upload URL is signed with (default: the one asked for). */
  signedContentType?: (asked: string) => string;
  /** Called when the upload URL is made, with the storage key, e.g. to expire it at once. */
  onPresign?: (key: string) => void;
  /** Called when a request arrives, before it is answered; a reply returned here is sent instead. */
  intercept?: (request: ApiRequest) => Reply | undefined;
}

interface FileRecord {
  key: string;
  status: "pending" | "completed";
}

/** The API's side of an upload: its file records, and every request it got (JSON bodies parsed). */
interface Api {
  origin: string;
  requests: ApiRequest[];
  files: Map<number, FileRecord>;
  /** The upload URLs handed out. */
  issued: string[];
  behaviour: Behaviour;
  close(): Promise<void>;
}

async function startApi(storage: StorageServer): Promise<Api> {
  const files = new Map<number, FileRecord>();
  const requests: ApiRequest[] = [];
  const issued: string[] = [];
  const behaviour: Behaviour = {};
  let nextId = 41;

  function route(request: ApiRequest): Reply {
    const { method, path, body } = request;
    if (method === "POST" && path === "/api/v1/files/upload") {
      const { filename, content_type: contentType } = body as { filename: string; content_type: string };
      const fileId = nextId++;
      const key = `uploads/${fileId}/${filename}`;
      files.set(fileId, { key, status: "pending" });
      const signed = behaviour.signedContentType?.(contentType) ?? contentType;
      const uploadUrl = storage.presign({ method: "PUT", key, expiresIn: 3600, signedHeaders: { "content-type": signed } });
      issued.push(uploadUrl);
      behaviour.onPresign?.(key);
      return { body: { file_id: fileId, upload_url: uploadUrl, reference: `datalab://file-${fileId}`, expires_in: 3600 } };
    }
    const confirm = /^\/api\/v1\/files\/(\d+)\/confirm$/.exec(path);
    if (method === "GET" && confirm) {
      const fileId = Number(confirm[1]);
      const file = files.get(fileId);
      if (!file || !storage.getObject(file.key)) return { status: 404, body: { detail: "File not found in storage" } };
      file.status = "completed";
      return { body: { file_id: fileId, reference: `datalab://file-${fileId}`, message: "Upload confirmed", success: true } };
    }
    const download = /^\/api\/v1\/files\/(\d+)\/download$/.exec(path);
    if (method === "GET" && download) {
      const fileId = Number(download[1]);
      const file = files.get(fileId);
      if (!file) return { status: 404, body: { detail: "File not found" } };
      const downloadUrl = storage.presign({ method: "GET", key: file.key, expiresIn: 900 });
      return { body: { download_url: downloadUrl, expires_in: 900, file_id: fileId, original_filename: file.key.split("/").pop() } };
    }
    const one = /^\/api\/v1\/files\/(\d+)$/.exec(path);
    if (method === "DELETE" && one) {
      const fileId = Number(one[1]);
      if (!files.delete(fileId)) return { status: 404, body: { detail: "File not found" } };
      return { body: { success: true, message: "File deleted" } };
    }
    return { status: 404, body: { detail: `no route for ${method} ${path}` } };
  }

  function answer(request: ApiRequest): JsonAnswer {
    requests.push(request);
    const reply = behaviour.intercept?.(request) ?? route(request);
    return { status: reply.status ?? 200, body: reply.body };
  }

  const server = await startJsonApi(answer);
  return { origin: server.origin, requests, files, issued, behaviour, close: server.close };
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

let storage: StorageServer;
let api: Api;
let client: DatalabClient;
let scratch: string;

beforeEach(async () => {
  storage = await startStorageServer();
  api = await startApi(storage);
  client = createDatalabClient({ apiKey: API_KEY, baseUrl: api.origin, maxRetries: 0 });
  scratch = await mkdtemp(join(tmpdir(), "datalab-upload-test-"));
});

afterEach(async () => {
  await Promise.all([api.close(), storage.close(), rm(scratch, { recursive: true, force: true })]);
});

const PDF = patternedBytes(300 * 1024);

const upload = (input: Partial<UploadFileInput> = {}) =>
  uploadFile(client, { file: PDF, filename: "report.pdf", contentType: "application/pdf", ...input });

/** Compared as Buffers: vitest's deep equality walks a typed array element by element, seconds for 300 KiB. */
const sameBytes = (actual: Uint8Array | undefined, expected: Uint8Array) => actual !== undefined && Buffer.from(actual).equals(expected);

/** The calls the API got, as "METHOD path". */
const calls = () => api.requests.map(({ method, path }) => `${method} ${path}`);

const rejection = (promise: Promise<unknown>) => rejectionOf(promise, PresignError);

const uploadSources: { name: string; make: (dir: string) => Promise<UploadFileInput["file"]> }[] = [
  { name: "a Uint8Array", make: async () => PDF },
  { name: "an ArrayBuffer", make: async () => PDF.slice().buffer },
  { name: "a Blob", make: async () => new Blob([PDF]) },
  {
    name: "a file path",
    make: async (dir) => {
      const path = join(dir, "report.pdf");
      await writeFile(path, PDF);
      return path;
    },
  },
  { name: "a web ReadableStream", make: async () => new Blob([PDF]).stream() },
  { name: "a Node stream", make: async () => Readable.from([PDF.subarray(0, 100_000), PDF.subarray(100_000)]) },
];

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

describe("uploadFile: success", () => {
  it.each(uploadSources)("uploads $name: request a URL, PUT the bytes, confirm", async ({ make }) => {
    const result = await upload({ file: await make(scratch) });

    expect(result).toStrictEqual({ file_id: 41, reference: "datalab://file-41", message: "Upload confirmed", success: true });
    expect(calls()).toStrictEqual(["POST /api/v1/files/upload", "GET /api/v1/files/41/confirm"]);
    expect(api.requests[0]!.body).toStrictEqual({ filename: "report.pdf", content_type: "application/pdf" });
    expect(sameBytes(storage.getObject("uploads/41/report.pdf"), PDF)).toBe(true);
    expect(api.files.get(41)).toStrictEqual({ key: "uploads/41/report.pdf", status: "completed" });
  });

  it("sends the Content-Type the URL was signed with, and only one PUT", async () => {
    await upload({ contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" });
    expect(storage.requests.map(({ method, status }) => ({ method, status }))).toStrictEqual([{ method: "PUT", status: 200 }]);
    expect(storage.requests[0]!.headers["content-type"]).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    expect(storage.requests[0]!.bodyBytes).toBe(PDF.byteLength);
  });

  it("sends the API key to the API on every call, and never to storage", async () => {
    await upload();
    for (const request of api.requests) expect(request.headers["x-api-key"]).toBe(API_KEY);
    expect(storage.requests).not.toHaveLength(0);
    for (const request of storage.requests) {
      expect(request.headers).not.toHaveProperty("x-api-key");
      expect(JSON.stringify(request)).not.toContain(API_KEY);
    }
  });

  it("reports progress up to the whole file", async () => {
    const events: TransferProgress[] = [];
    await upload({ onProgress: (progress) => events.push(progress) });
    expect(events.length).toBeGreaterThan(0);
    expect(events.at(-1)).toMatchObject({ bytes: PDF.byteLength, total: PDF.byteLength });
    const bytes = events.map((event) => event.bytes);
    expect(bytes).toStrictEqual([...bytes].sort((a, b) => a - b));
  });
});

describe("uploadFile: failures delete the pending file record before the error arrives", () => {
  it("storage refuses a Content-Type other than the signed one (SignatureDoesNotMatch): a typed StorageError, the record deleted", async () => {
    // Datalab signs another type than the one asked for: the PUT, made with the one asked for, no longer matches.
    api.behaviour.signedContentType = () => "application/octet-stream";
    const error = await rejection(upload());

    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ status: 403, code: "signature_mismatch", storageCode: "SignatureDoesNotMatch" });
    expect(calls()).toStrictEqual(["POST /api/v1/files/upload", "DELETE /api/v1/files/41"]);
    expect(api.files.size).toBe(0);
    expect(storage.getObject("uploads/41/report.pdf")).toBeUndefined();
  });

  it("an expired upload URL: StorageError 'expired', the record deleted, the signature not in the message", async () => {
    api.behaviour.onPresign = (key) => storage.fault.expire(key);
    const error = await rejection(upload());

    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ status: 403, code: "expired" });
    const signature = new URL(api.issued[0]!).searchParams.get("X-Amz-Signature")!;
    expect(error.message).toContain("X-Amz-Signature=[REDACTED]");
    for (const secret of [signature, API_KEY]) expect(`${error.message} ${JSON.stringify(error)}`).not.toContain(secret);
    expect(calls()).toStrictEqual(["POST /api/v1/files/upload", "DELETE /api/v1/files/41"]);
    expect(api.files.size).toBe(0);
  });

  it("a confirmation that fails: the provider's error, the record deleted", async () => {
    api.behaviour.intercept = ({ path }) => (path.endsWith("/confirm") ? { status: 404, body: { detail: "File not found in storage" } } : undefined);
    const error = await rejection(upload());

    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, messages: ["File not found in storage"] });
    expect(calls()).toStrictEqual(["POST /api/v1/files/upload", "GET /api/v1/files/41/confirm", "DELETE /api/v1/files/41"]);
    expect(api.files.size).toBe(0);
  });

  it("a confirmation that answers success: false is a failure too", async () => {
    api.behaviour.intercept = ({ path }) =>
      path.endsWith("/confirm")
        ? { body: { file_id: 41, reference: "datalab://file-41", message: "File size mismatch", success: false } }
        : undefined;
    const error = await rejection(upload());

    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ provider: "datalab", messages: ["File size mismatch"] });
    expect(error.message).toBe("datalab: the upload was not confirmed: File size mismatch");
    expect(calls()).toStrictEqual(["POST /api/v1/files/upload", "GET /api/v1/files/41/confirm", "DELETE /api/v1/files/41"]);
  });

  it("when the delete fails too, the original error says the record is left", async () => {
    api.behaviour.intercept = ({ method, path }) => {
      if (path.endsWith("/confirm")) return { status: 404, body: { detail: "File not found in storage" } };
      if (method === "DELETE") return { status: 500, body: { detail: "database unavailable" } };
      return undefined;
    };
    const error = await rejection(upload());

    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toMatch(/; the pending file record 41 could not be deleted \(datalab 500: database unavailable/);
    expect(error.message).not.toContain(API_KEY);
  });

  it("a refused upload request creates nothing, so nothing is deleted and storage is never called", async () => {
    api.behaviour.intercept = () => ({ status: 401, body: { detail: "Invalid API key provided. Set the X-API-Key header to your API key." } });
    const error = await rejection(upload());

    expect(error).toBeInstanceOf(AuthenticationError);
    expect(calls()).toStrictEqual(["POST /api/v1/files/upload"]);
    expect(storage.requests).toStrictEqual([]);
  });
});

describe("uploadFile: abort", () => {
  it("an abort during the PUT: AbortedError, no confirmation, the record deleted", async () => {
    const controller = new AbortController();
    const big = patternedBytes(8 * 1024 * 1024);
    const error = await rejection(upload({ file: big, signal: controller.signal, onProgress: () => controller.abort() }));

    expect(error).toBeInstanceOf(AbortedError);
    expect(calls()).toStrictEqual(["POST /api/v1/files/upload", "DELETE /api/v1/files/41"]);
    expect(api.files.size).toBe(0);
    // Cut short: storage never stored the object.
    expect(storage.getObject("uploads/41/report.pdf")).toBeUndefined();
  });

  it("an abort while the upload URL is requested: the record it created is deleted, storage is never called", async () => {
    const controller = new AbortController();
    api.behaviour.intercept = ({ path }) => {
      if (path === "/api/v1/files/upload") controller.abort();
      return undefined;
    };
    const error = await rejection(upload({ signal: controller.signal }));

    expect(error).toBeInstanceOf(AbortedError);
    expect(calls()).toStrictEqual(["POST /api/v1/files/upload", "DELETE /api/v1/files/41"]);
    expect(storage.requests).toStrictEqual([]);
  });

  it("an abort before the start sends nothing", async () => {
    const error = await rejection(upload({ signal: AbortSignal.abort() }));
    expect(error).toBeInstanceOf(AbortedError);
    expect(api.requests).toStrictEqual([]);
    expect(storage.requests).toStrictEqual([]);
  });
});

describe("uploadFile: bad input is refused before the network", () => {
  const cases: { name: string; input: () => Promise<Partial<UploadFileInput>>; message: RegExp }[] = [
    { name: "an empty filename", input: async () => ({ filename: "" }), message: /filename must be a non-empty string/ },
    { name: "no contentType", input: async () => ({ contentType: undefined as unknown as string }), message: /contentType must be a non-empty/ },
    { name: "a contentType with a line break", input: async () => ({ contentType: "text/plain\r\nX-Evil: 1" }), message: /printable ASCII/ },
    {
      name: "a file path that does not exist",
      input: async () => ({ file: join(scratch, "missing.pdf") }),
      message: /cannot read the upload source/,
    },
    { name: "a number as the file", input: async () => ({ file: 42 as unknown as Uint8Array }), message: /upload source must be/ },
    { name: "an onProgress that is not a function", input: async () => ({ onProgress: 5 as never }), message: /onProgress must be a function/ },
    {
      name: "a file over 200 MiB (sparse, never read)",
      input: async () => {
        const path = join(scratch, "huge.pdf");
        await writeFile(path, "");
        await truncate(path, DATALAB_MAX_UPLOAD_BYTES + 1);
        return { file: path };
      },
      message: /209715201 bytes; Datalab takes at most 200 MiB/,
    },
  ];

  it.each(cases)("$name", async ({ input, message }) => {
    const error = await rejection(upload(await input()));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.message).toMatch(message);
    expect(api.requests).toStrictEqual([]);
    expect(storage.requests).toStrictEqual([]);
  });
});

describe("the README's download example", () => {
  it("downloads an uploaded file, and gets a fresh URL through refresh when the first has expired", async () => {
    const { file_id: fileId } = await upload();
    const freshUrl = async () => presigned(await client.getFileDownloadUrl({ fileId, expiresIn: 900 }));
    const first = await freshUrl();
    storage.fault.expire("uploads/41/report.pdf", { issuedSoFar: true });
    const target = join(scratch, "copy.pdf");

    const result = await download(first, target, { refresh: freshUrl });

    expect(result).toMatchObject({ bytes: PDF.byteLength, refreshes: 1 });
    expect((await readFile(target)).equals(PDF)).toBe(true);
    const gets = storage.requests.filter((request) => request.method === "GET");
    expect(gets.map((request) => request.status)).toStrictEqual([403, 200]);
    for (const request of gets) expect(request.headers).not.toHaveProperty("x-api-key");
  });
});
