/**
 * Small JSON APIs on node:http for tests: a provider's side of a workflow, done on the loopback storage
 * (test-support/storage-server.ts) as the provider does it on its bucket. `cors` lets a page on another
 * origin call it, so a browser test goes through preflights as it would against the real API.
 *
 *   const storage = await startStorageServer();
 *   const datadog = await startFakeDatadog(storage, { cors: true });
 *   createDatadogClient({ apiKey: DATADOG_API_KEY, appKey: DATADOG_APP_KEY, baseUrl: datadog.origin });
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { StorageServer } from "./storage-server.js";

// ---------------------------------------------------------------------------------------------
// A JSON API: one handler, CORS, and a close that does not wait for kept-alive connections
// ---------------------------------------------------------------------------------------------

export interface JsonRequest {
  method: string;
  /** The path, without the query. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body; undefined when there was none, or it was not JSON. */
  // biome-ignore lint/suspicious/noExplicitAny: a JSON request body, read by the handlers and assertions.
  body: any;
}

export interface JsonAnswer {
  status: number;
  /** Sent as JSON; none for undefined (a 204). */
  body?: unknown;
  /** More response headers, such as the request ID an API sends with every answer. */
  headers?: Record<string, string>;
}

export interface JsonApi {
  /** http://127.0.0.1:<port> */
  origin: string;
  close(): Promise<void>;
}

export interface JsonApiOptions {
  /** Answer preflights and add `Access-Control-Allow-Origin: *`, as an API that browsers may call does. */
  cors?: boolean;
}

export async function startJsonApi(handle: (request: JsonRequest) => JsonAnswer, options: JsonApiOptions = {}): Promise<JsonApi> {
  const cors = options.cors ? corsHeaders : () => ({});
  const server = createServer(async (request, response) => {
    try {
      if (request.method === "OPTIONS" && options.cors) return answerPreflight(request, response);
      const json = await readJsonRequest(request);
      send(response, handle(json), cors());
    } catch (error) {
      send(response, { status: 500, body: { errors: [String(error)] } }, cors());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

async function readJsonRequest(request: IncomingMessage): Promise<JsonRequest> {
  let text = "";
  for await (const chunk of request) text += chunk;
  const url = new URL(request.url ?? "/", "http://loopback");
  return { method: request.method ?? "", path: url.pathname, headers: request.headers, body: parseJson(text) };
}

function parseJson(text: string): unknown {
  try {
    return text === "" ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

function send(response: ServerResponse, { status, body, headers: own }: JsonAnswer, cors: Record<string, string>) {
  const headers = { ...cors, ...own };
  if (body === undefined) return response.writeHead(status, headers).end();
  response.writeHead(status, { ...headers, "content-type": "application/json" }).end(JSON.stringify(body));
}

function corsHeaders(): Record<string, string> {
  return { "access-control-allow-origin": "*" };
}

/** Allows whatever the page asks for: the test is about the client's requests, not about a CORS policy. */
function answerPreflight(request: IncomingMessage, response: ServerResponse) {
  const asked = request.headers["access-control-request-headers"];
  response
    .writeHead(204, {
      ...corsHeaders(),
      "access-control-allow-methods": "GET, POST, PUT, DELETE",
      ...(asked ? { "access-control-allow-headers": asked } : {}),
      "access-control-max-age": "600",
    })
    .end();
}

// ---------------------------------------------------------------------------------------------
// Datadog's four Synthetics test-file operations
// ---------------------------------------------------------------------------------------------

/** The credentials the fake Datadog accepts (any other answers 403, as Datadog does). */
export const DATADOG_API_KEY = "0123456789abcdef0123456789abcdef";
export const DATADOG_APP_KEY = "fedcba9876543210fedcba9876543210fedcba98";

export type DatadogOperation = "presign" | "complete" | "abort" | "download";

export interface DatadogCall {
  operation: DatadogOperation;
  /** The test's public ID, from the path. */
  publicId: string;
  headers: IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: a JSON request body, read by the assertions.
  body: any;
}

export interface FakeDatadog {
  origin: string;
  calls: DatadogCall[];
  /** The multipart uploads it opened, as an abort must name them. */
  opened: { key: string; uploadId: string }[];
  /** The next `times` calls of an operation answer `status` with Datadog's `{ errors }` body, and do nothing. */
  fail(operation: DatadogOperation, status: number, times?: number): void;
  /** Runs after Datadog has opened the upload, before it answers (to abort mid-call, or change the file). */
  onPresign?: () => void;
  /** Changes the presign answer before it goes out. */
  // biome-ignore lint/suspicious/noExplicitAny: the JSON answer, as the test wants to break it.
  rewritePresign?: (answer: any) => void;
  close(): Promise<void>;
}

/** Where Datadog keeps a test file on its bucket: the org's folder, then the bucketKey it hands out. */
export const datadogStorageKey = (bucketKey: string) => `org-2/${bucketKey}`;

const DATADOG_OPERATIONS: Record<string, DatadogOperation> = {
  "multipart-presigned-urls": "presign",
  "multipart-upload-complete": "complete",
  "multipart-upload-abort": "abort",
  download: "download",
};

const DATADOG_PATH = /^\/api\/v2\/synthetics\/tests\/([^/]+)\/files\/([a-z-]+)$/;

/**
 * Datadog's test-file API on the loopback storage: presign opens a multipart upload (`upload-<n>.bin`) and signs
 * each part with its declared Content-MD5, complete and abort pass the storage's verdict on, download signs a GET.
 */
export async function startFakeDatadog(storage: StorageServer, options: JsonApiOptions = {}): Promise<FakeDatadog> {
  let faults: { operation: DatadogOperation; status: number; times: number }[] = [];
  let uploads = 0;

  function handle(request: JsonRequest): JsonAnswer {
    const match = request.path.match(DATADOG_PATH);
    const operation = DATADOG_OPERATIONS[match?.[2] ?? ""];
    if (!match || !operation || request.method !== "POST") return { status: 404, body: { errors: ["Not Found"] } };
    const publicId = decodeURIComponent(match[1]!);
    const { body } = request;
    fake.calls.push({ operation, publicId, headers: request.headers, body });
    if (request.headers["dd-api-key"] !== DATADOG_API_KEY || request.headers["dd-application-key"] !== DATADOG_APP_KEY) {
      return { status: 403, body: { errors: ["Forbidden"] } };
    }
    const fault = faults.find((candidate) => candidate.operation === operation && candidate.times > 0);
    if (fault) {
      fault.times -= 1;
      return { status: fault.status, body: { errors: [`injected ${fault.status}`] } };
    }
    try {
      return { status: operation === "presign" || operation === "download" ? 200 : 204, body: perform(operation, publicId, body) };
    } catch (error) {
      return { status: 400, body: { errors: [String(error)] } };
    }
  }

  // biome-ignore lint/suspicious/noExplicitAny: a JSON request body.
  function perform(operation: DatadogOperation, publicId: string, body: any): unknown {
    switch (operation) {
      case "presign":
        return presign(publicId, body);
      case "complete": {
        const parts = body.parts.map(({ ETag, PartNumber }: { ETag: string; PartNumber: number }) => ({ partNumber: PartNumber, etag: ETag }));
        storage.completeMultipartUpload({ key: body.key, uploadId: body.uploadId, parts });
        return undefined;
      }
      case "abort":
        storage.abortMultipartUpload({ key: body.key, uploadId: body.uploadId });
        return undefined;
      case "download":
        return { url: storage.presign({ method: "GET", key: datadogStorageKey(body.bucketKey) }) };
    }
  }

  function presign(publicId: string, body: { bucketKeyPrefix: string; parts: { md5: string; partNumber: number }[] }) {
    const bucketKey = `${body.bucketKeyPrefix}/${publicId}/upload-${++uploads}.bin`;
    const key = datadogStorageKey(bucketKey);
    const { uploadId } = storage.createMultipartUpload(key);
    fake.opened.push({ key, uploadId });
    const urls = Object.fromEntries(
      body.parts.map(({ md5, partNumber }) => [String(partNumber), storage.presignPart({ key, uploadId, partNumber, contentMd5: md5 })]),
    );
    fake.onPresign?.();
    const answer = { bucketKey, multipart_presigned_urls_params: { key, upload_id: uploadId, urls } };
    fake.rewritePresign?.(answer);
    return answer;
  }

  const api = await startJsonApi(handle, options);
  const fake: FakeDatadog = {
    origin: api.origin,
    calls: [],
    opened: [],
    fail(operation, status, times = 1) {
      faults.push({ operation, status, times });
    },
    close() {
      faults = [];
      return api.close();
    },
  };
  return fake;
}
