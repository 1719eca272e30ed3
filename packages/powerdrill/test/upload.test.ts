/**
 * uploadDataSource against a loopback Powerdrill API that runs its multipart uploads on the loopback
 * storage server, as Powerdrill does on S3: it chooses the parts and their sizes, presigns each part's
 * PUT, completes the upload with the ETags it is given, and creates and deletes data sources.
 */
import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type JsonAnswer, type JsonRequest, startJsonApi } from "../../../test-support/loopback-api.js";
import { type StorageServer, StorageServerError, startStorageServer } from "../../../test-support/storage-server.js";
import { patternedBytes } from "../../../test-support/uploads.js";
import { rejection as rejectionOf } from "../../../test-support/wire.js";
import {
  AbortedError,
  createPowerdrillClient,
  InvalidRequestError,
  MalformedResponseError,
  PermissionDeniedError,
  type PowerdrillClient,
  PresignError,
  StorageError,
  type TransferProgress,
  type UploadDataSourceInput,
  uploadDataSource,
} from "../src/index.js";

// ---------------------------------------------------------------------------------------------
// A loopback Powerdrill API
// ---------------------------------------------------------------------------------------------

const API_KEY = "pd-key-upload-8e41c07b2a9d";
const USER = "tmm-user-0001";
const DATASET = "ds-1";

type ApiRequest = JsonRequest;

interface Reply {
  status?: number;
  body?: unknown;
}

interface PartItem {
  number: number;
  upload_url: string;
  size: number;
}

/** What a test may change about how the fake API answers. */
interface Behaviour {
  /** Bytes per part, but the last (default 128 KiB). */
  partSize: number;
  /** Changes the part list before it is sent (to make it wrong). */
  editParts?: (items: PartItem[]) => PartItem[];
  /** Called when a request arrives, before it is answered; a reply returned here is sent instead. */
  intercept?: (request: ApiRequest) => Reply | undefined;
}

interface DataSource {
  id: string;
  dataset_id: string;
  name: string;
  type: "FILE";
  status: "synching";
  file_object_key: string;
}

interface Api {
  origin: string;
  requests: ApiRequest[];
  dataSources: Map<string, DataSource>;
  behaviour: Behaviour;
  close(): Promise<void>;
}

/** The request bodies the fake reads, in Powerdrill's wire names. */
interface InitBody {
  file_name: string;
  file_size: number;
  user_id: string;
}
interface CompleteBody {
  file_object_key: string;
  upload_id: string;
  part_etags: { part_number: number; etag: string }[];
}
interface CreateBody {
  name: string;
  file_object_key: string;
}

const ok = (data: unknown): Reply => ({ body: { code: 0, data } });
const failed = (code: number, msg: string, status = 200): Reply => ({ status, body: { code, msg } });

async function startApi(storage: StorageServer): Promise<Api> {
  const requests: ApiRequest[] = [];
  const dataSources = new Map<string, DataSource>();
  const behaviour: Behaviour = { partSize: 128 * 1024 };
  let uploads = 0;

  function initUpload({ file_name: fileName, file_size: fileSize, user_id: userId }: InitBody): Reply {
    const key = `uploads/${userId}/${++uploads}/${fileName}`;
    const { uploadId } = storage.createMultipartUpload(key);
    const items: PartItem[] = [];
    for (let start = 0, number = 1; start < fileSize; start += behaviour.partSize, number++) {
      const upload_url = storage.presignPart({ key, uploadId, partNumber: number, expiresIn: 86399 });
      items.push({ number, upload_url, size: Math.min(behaviour.partSize, fileSize - start) });
    }
    const part_items = behaviour.editParts?.(items) ?? items;
    return ok({ upload_id: uploadId, file_object_key: key, part_items });
  }

  function completeUpload(body: CompleteBody): Reply {
    try {
      const parts = body.part_etags.map(({ part_number, etag }) => ({ partNumber: part_number, etag }));
      storage.completeMultipartUpload({ key: body.file_object_key, uploadId: body.upload_id, parts });
    } catch (error) {
      if (error instanceof StorageServerError) return failed(300001, `${error.code}: ${error.message}`, 400);
      throw error;
    }
    return ok({ file_object_key: body.file_object_key });
  }

  function createDataSource(datasetId: string, { name, file_object_key }: CreateBody): Reply {
    const id = `src-${dataSources.size + 1}`;
    const dataSource: DataSource = { id, dataset_id: datasetId, name, type: "FILE", status: "synching", file_object_key };
    dataSources.set(id, dataSource);
    return ok(dataSource);
  }

  function route({ method, path, body }: ApiRequest): Reply {
    if (method === "POST" && path === "/v2/team/file/init-multipart-upload") return initUpload(body as never);
    if (method === "POST" && path === "/v2/team/file/complete-multipart-upload") return completeUpload(body as never);
    const create = /^\/v2\/team\/datasets\/([^/]+)\/datasources$/.exec(path);
    if (method === "POST" && create) return createDataSource(create[1]!, body as never);
    const one = /^\/v2\/team\/datasets\/([^/]+)\/datasources\/([^/]+)$/.exec(path);
    if (method === "DELETE" && one) return dataSources.delete(one[2]!) ? ok(null) : failed(300003, "data source not found");
    return failed(300003, `no route for ${method} ${path}`, 404);
  }

  /** Powerdrill's paths start with /api (part of the client's base URL); the routes leave it out. */
  function answer(json: JsonRequest): JsonAnswer {
    const request = { ...json, path: json.path.replace(/^\/api/, "") };
    requests.push(request);
    const reply = behaviour.intercept?.(request) ?? route(request);
    return { status: reply.status ?? 200, body: reply.body, headers: { "x-pd-trace-id": `trace-${requests.length}` } };
  }

  const server = await startJsonApi(answer);
  return { origin: `${server.origin}/api`, requests, dataSources, behaviour, close: server.close };
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

let storage: StorageServer;
let api: Api;
let client: PowerdrillClient;
let scratch: string;

beforeEach(async () => {
  storage = await startStorageServer();
  api = await startApi(storage);
  client = createPowerdrillClient({ apiKey: API_KEY, baseUrl: api.origin, maxRetries: 0 });
  scratch = await mkdtemp(join(tmpdir(), "powerdrill-upload-test-"));
});

afterEach(async () => {
  await Promise.all([api.close(), storage.close(), rm(scratch, { recursive: true, force: true })]);
});

/** Compared as Buffers: vitest's deep equality walks a typed array element by element, seconds for 256 KiB. */
const sameBytes = (actual: Uint8Array | undefined, expected: Uint8Array) => actual !== undefined && Buffer.from(actual).equals(expected);

/** Three parts at the default part size: two whole ones and a short last one. */
const CSV = patternedBytes(2 * 128 * 1024 + 4321);
const KEY = `uploads/${USER}/1/sales.csv`;

const upload = (input: Partial<UploadDataSourceInput> = {}) =>
  uploadDataSource(client, { datasetId: DATASET, userId: USER, file: CSV, name: "sales.csv", ...input });

/** The calls the API got, as "METHOD path". */
const calls = () => api.requests.map(({ method, path }) => `${method} ${path}`);
const INIT = "POST /v2/team/file/init-multipart-upload";
const COMPLETE = "POST /v2/team/file/complete-multipart-upload";
const CREATE = `POST /v2/team/datasets/${DATASET}/datasources`;
const DELETE = `DELETE /v2/team/datasets/${DATASET}/datasources/src-1`;

const etagOf = (bytes: Uint8Array) => `"${createHash("md5").update(bytes).digest("hex")}"`;

const rejection = (promise: Promise<unknown>) => rejectionOf(promise, PresignError);

const LEFT_TO_LIFECYCLE =
  "Powerdrill documents no way to abort a multipart upload: the parts sent stay in its bucket until its lifecycle rules remove them";

const uploadSources: { name: string; make: (dir: string) => Promise<UploadDataSourceInput["file"]> }[] = [
  { name: "a Uint8Array", make: async () => CSV },
  { name: "a Blob", make: async () => new Blob([CSV]) },
  {
    name: "a file path",
    make: async (dir) => {
      const path = join(dir, "sales.csv");
      await writeFile(path, CSV);
      return path;
    },
  },
  { name: "a web ReadableStream", make: async () => new Blob([CSV]).stream() },
  { name: "a Node stream", make: async () => Readable.from([CSV.subarray(0, 1000), CSV.subarray(1000)]) },
];

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

describe("uploadDataSource: success", () => {
  it.each(uploadSources)("uploads $name in Powerdrill's parts and creates the data source", async ({ make }) => {
    const dataSource = await upload({ file: await make(scratch) });

    expect(dataSource).toStrictEqual({ id: "src-1", dataset_id: DATASET, name: "sales.csv", type: "FILE", status: "synching", file_object_key: KEY });
    expect(calls()).toStrictEqual([INIT, COMPLETE, CREATE]);
    expect(sameBytes(storage.getObject(KEY), CSV)).toBe(true);
    expect(storage.openUploads()).toStrictEqual([]);
  });

  it("sends the file's name and size, each part's bytes at the size Powerdrill chose, and each ETag as storage sent it", async () => {
    await upload();

    expect(api.requests[0]!.body).toStrictEqual({ file_name: "sales.csv", file_size: CSV.byteLength, user_id: USER });
    const puts = storage.requests.filter((request) => request.method === "PUT");
    const sizes = puts.map((put) => ({ part: Number(put.query.partNumber), bytes: put.bodyBytes, status: put.status }));
    expect(sizes.sort((a, b) => a.part - b.part)).toStrictEqual([
      { part: 1, bytes: 131072, status: 200 },
      { part: 2, bytes: 131072, status: 200 },
      { part: 3, bytes: 4321, status: 200 },
    ]);
    const { upload_id } = (api.requests[1]!.body as { upload_id: string }) ?? {};
    expect(api.requests[1]!.body).toStrictEqual({
      file_object_key: KEY,
      upload_id,
      part_etags: [
        { part_number: 1, etag: etagOf(CSV.subarray(0, 131072)) },
        { part_number: 2, etag: etagOf(CSV.subarray(131072, 262144)) },
        { part_number: 3, etag: etagOf(CSV.subarray(262144)) },
      ],
      user_id: USER,
    });
    expect(api.requests[2]!.body).toStrictEqual({ name: "sales.csv", type: "FILE", file_object_key: KEY, user_id: USER });
  });

  it("names the file after its path or its File name when no name is given", async () => {
    const path = join(scratch, "q3-orders.csv");
    await writeFile(path, CSV);
    await upload({ file: path, name: undefined });
    await upload({ file: new File([CSV], "q4-orders.csv"), name: undefined });

    const created = api.requests.filter((request) => request.path.endsWith("/datasources")).map((request) => (request.body as { name: string }).name);
    expect(created).toStrictEqual(["q3-orders.csv", "q4-orders.csv"]);
  });

  it("sends the API key to the API on every call, and never to storage", async () => {
    await upload();
    for (const request of api.requests) expect(request.headers["x-pd-api-key"]).toBe(API_KEY);
    expect(storage.requests).toHaveLength(3);
    for (const request of storage.requests) {
      expect(request.headers).not.toHaveProperty("x-pd-api-key");
      expect(JSON.stringify(request)).not.toContain(API_KEY);
    }
  });

  it("retries a part that failed once, and reports progress up to the whole file", async () => {
    storage.fault.failPart({ partNumber: 2, status: 500, code: "InternalError" });
    const events: TransferProgress[] = [];
    await upload({ onProgress: (progress) => events.push(progress) });

    expect(sameBytes(storage.getObject(KEY), CSV)).toBe(true);
    expect(storage.requests.filter((request) => request.query.partNumber === "2").map((request) => request.status)).toStrictEqual([500, 200]);
    expect(events.at(-1)).toMatchObject({ bytes: CSV.byteLength, total: CSV.byteLength });
  });
});

describe("uploadDataSource: failures clean up as far as Powerdrill's API allows", () => {
  it("part sizes that don't add up to the file: MalformedResponseError before any byte is sent", async () => {
    api.behaviour.editParts = (items) => items.slice(0, -1);
    const error = await rejection(upload());

    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error.message).toContain(`the part sizes add up to 262144 bytes, but the file has ${CSV.byteLength}`);
    expect(storage.requests).toStrictEqual([]);
    expect(calls()).toStrictEqual([INIT]);
  });

  it("a part storage keeps refusing: a typed StorageError saying the parts stay behind; no complete, no data source", async () => {
    storage.fault.failPart({ partNumber: 3, status: 403, code: "AccessDenied", times: 100 });
    const error = await rejection(upload());

    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ status: 403, code: "access_denied", storageCode: "AccessDenied" });
    expect(error.message).toContain(LEFT_TO_LIFECYCLE);
    expect(calls()).toStrictEqual([INIT]);
    // What the API allows: nothing. The open upload is left to the bucket's lifecycle, as the error says.
    expect(storage.openUploads()).toMatchObject([{ key: KEY, parts: [1, 2] }]);
    expect(api.dataSources.size).toBe(0);
  });

  it("a complete that fails: the provider's error, saying the parts stay behind; no data source", async () => {
    api.behaviour.intercept = ({ path }) => (path.endsWith("/complete-multipart-upload") ? failed(300001, "invalid parameters", 400) : undefined);
    const error = await rejection(upload());

    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ status: 400, code: 300001, messages: ["invalid parameters"] });
    expect(error.message).toContain(LEFT_TO_LIFECYCLE);
    expect(calls()).toStrictEqual([INIT, COMPLETE]);
    expect(api.dataSources.size).toBe(0);
  });

  it("a data source that can't be created (HTTP 200, code 300002): nothing to delete; the error names the stored file", async () => {
    api.behaviour.intercept = ({ path }) => (path.endsWith("/datasources") ? failed(300002, "no permissions") : undefined);
    const error = await rejection(upload());

    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error).toMatchObject({ status: 200, code: 300002, messages: ["no permissions"] });
    expect(error.message).toContain(`the uploaded file stays stored as "${KEY}" (Powerdrill documents no way to delete it)`);
    expect(calls()).toStrictEqual([INIT, COMPLETE, CREATE]);
    expect(sameBytes(storage.getObject(KEY), CSV)).toBe(true);
  });
});

describe("uploadDataSource: abort", () => {
  it("an abort while the data source is created: it is deleted before the AbortedError arrives", async () => {
    const controller = new AbortController();
    api.behaviour.intercept = ({ path }) => {
      if (path.endsWith("/datasources")) controller.abort();
      return undefined;
    };
    const error = await rejection(upload({ signal: controller.signal }));

    expect(error).toBeInstanceOf(AbortedError);
    expect(calls()).toStrictEqual([INIT, COMPLETE, CREATE, DELETE]);
    expect(api.requests[3]!.body).toStrictEqual({ user_id: USER });
    expect(api.dataSources.size).toBe(0);
  });

  it("when that delete fails, the AbortedError says the data source is left", async () => {
    const controller = new AbortController();
    api.behaviour.intercept = ({ method, path }) => {
      if (path.endsWith("/datasources")) controller.abort();
      return method === "DELETE" ? failed(9999, "internal error", 500) : undefined;
    };
    const error = await rejection(upload({ signal: controller.signal }));

    expect(error).toBeInstanceOf(AbortedError);
    expect(error.message).toMatch(/the data source "src-1" could not be deleted \(powerdrill 500: internal error/);
    expect(error.message).not.toContain(API_KEY);
  });

  it("an abort during the parts: AbortedError saying the parts stay behind; no complete, no data source", async () => {
    const controller = new AbortController();
    const error = await rejection(upload({ file: patternedBytes(4 * 1024 * 1024), signal: controller.signal, onProgress: () => controller.abort() }));

    expect(error).toBeInstanceOf(AbortedError);
    expect(error.message).toContain(LEFT_TO_LIFECYCLE);
    expect(calls()).toStrictEqual([INIT]);
    expect(api.dataSources.size).toBe(0);
  });

  it("an abort before the start sends nothing", async () => {
    const error = await rejection(upload({ signal: AbortSignal.abort() }));
    expect(error).toBeInstanceOf(AbortedError);
    expect(api.requests).toStrictEqual([]);
    expect(storage.requests).toStrictEqual([]);
  });
});

describe("uploadDataSource: bad input is refused before the network", () => {
  const cases: { name: string; input: Partial<UploadDataSourceInput>; message: RegExp }[] = [
    { name: "an empty datasetId", input: { datasetId: "" }, message: /datasetId must be a non-empty string/ },
    { name: "no userId", input: { userId: undefined as unknown as string }, message: /userId must be a non-empty string/ },
    { name: "bytes without a name", input: { name: undefined }, message: /name must be a non-empty string/ },
    { name: "a blank name", input: { name: "  " }, message: /name must be a non-empty string/ },
    { name: "an empty file", input: { file: new Uint8Array(0) }, message: /the file is empty/ },
    { name: "a number as the file", input: { file: 7 as unknown as Uint8Array }, message: /upload source must be/ },
    { name: "a concurrency of 0", input: { concurrency: 0 }, message: /concurrency must be a whole number of at least 1/ },
    { name: "negative retries", input: { retries: -1 }, message: /retries must be a whole number of at least 0/ },
  ];

  it.each(cases)("$name", async ({ input, message }) => {
    const error = await rejection(upload(input));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.message).toMatch(message);
    expect(api.requests).toStrictEqual([]);
    expect(storage.requests).toStrictEqual([]);
  });

  it("a file path that does not exist", async () => {
    const error = await rejection(upload({ file: join(scratch, "missing.csv") }));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(api.requests).toStrictEqual([]);
  });
});
