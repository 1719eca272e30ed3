/**
 * The far side of the storage-leg bench, in a process of its own so its memory and CPU are not the measured
 * client's: two loopback S3s (test-support/storage-server.ts) and a loopback Datadog API that answers the four
 * test-file operations on one of them, as Datadog does on its bucket.
 *   - downloads: a server that keeps bodies, seeded with the object the sides download;
 *   - uploads: a server with `keepBodies: false` (it hashes every byte, checks Content-MD5, and keeps only sizes
 *     and ETags), so hundreds of MiB of parts don't pile up here.
 * Started by bench/storage.ts with an IPC channel: it answers `HostRequest`s and exits when the channel closes.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type StorageServer, startStorageServer } from "../test-support/storage-server.ts";
import { API_KEY, APP_KEY, type HostAnswer, type HostRequest, PUBLIC_ID, type UploadsReport } from "./storage-shared.ts";

interface DatadogApi {
  origin: string;
  completed: UploadsReport["completed"];
  close(): Promise<void>;
}

/** The four test-file operations, by the last segment of their path. */
type Operation = "download" | "multipart-presigned-urls" | "multipart-upload-complete" | "multipart-upload-abort";
const OPERATIONS = new Set<string>(["download", "multipart-presigned-urls", "multipart-upload-complete", "multipart-upload-abort"]);

/** A Datadog-like API on the upload storage: it opens, presigns (each part signed with its Content-MD5), completes and aborts. */
async function startDatadogApi(storage: StorageServer): Promise<DatadogApi> {
  const completed: UploadsReport["completed"] = [];
  let uploads = 0;

  // biome-ignore lint/suspicious/noExplicitAny: a JSON request body, its shape set by the operation.
  async function answerOperation(operation: Operation, body: any, response: ServerResponse): Promise<void> {
    if (operation === "multipart-presigned-urls") return reply(response, 200, presignParts(body));
    if (operation === "download") {
      const url = storage.presign({ method: "GET", key: `org-2/${body.bucketKey}` });
      return reply(response, 200, { url });
    }
    const { key, uploadId } = body as { key: string; uploadId: string };
    if (operation === "multipart-upload-abort") {
      storage.abortMultipartUpload({ key, uploadId });
      return reply(response, 204);
    }
    const named = (body as CompleteBody).parts.map(({ ETag, PartNumber }) => ({ partNumber: PartNumber, etag: ETag }));
    const { etag } = storage.completeMultipartUpload({ key, uploadId, parts: named });
    completed.push({ key, etag, bytes: bytesReceivedFor(key, uploadId) });
    return reply(response, 204);
  }

  function presignParts(body: PresignBody) {
    const name = `upload-${++uploads}.bin`;
    const key = `org-2/${body.bucketKeyPrefix}/${PUBLIC_ID}/${name}`;
    const { uploadId } = storage.createMultipartUpload(key);
    const urls = Object.fromEntries(
      body.parts.map(({ md5, partNumber }) => [
        String(partNumber),
        storage.presignPart({ key, uploadId, partNumber, contentMd5: md5, expiresIn: 3600 }),
      ]),
    );
    return { bucketKey: `${body.bucketKeyPrefix}/${PUBLIC_ID}/${name}`, multipart_presigned_urls_params: { key, upload_id: uploadId, urls } };
  }

  /** Bytes of the part PUTs the storage accepted for this upload (the last accepted PUT of each part counts). */
  function bytesReceivedFor(key: string, uploadId: string): number {
    const accepted = new Map<string, number>();
    for (const request of storage.requests) {
      if (request.method === "PUT" && request.path === `/${key}` && request.query.uploadId === uploadId && request.status === 200) {
        accepted.set(request.query.partNumber!, request.bodyBytes);
      }
    }
    return [...accepted.values()].reduce((sum, bytes) => sum + bytes, 0);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => reply(response, 400, { errors: [String(error)] }));
  });
  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const operation = request.url?.match(/\/files\/([a-z-]+)$/)?.[1] ?? "";
    const text = await readText(request);
    if (!OPERATIONS.has(operation) || request.method !== "POST") return reply(response, 404, { errors: ["Not Found"] });
    if (request.headers["dd-api-key"] !== API_KEY || request.headers["dd-application-key"] !== APP_KEY)
      return reply(response, 403, { errors: ["Forbidden"] });
    return answerOperation(operation as Operation, JSON.parse(text), response);
  }

  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    completed,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

interface PresignBody {
  bucketKeyPrefix: string;
  parts: { md5: string; partNumber: number }[];
}

interface CompleteBody {
  parts: { ETag: string; PartNumber: number }[];
}

async function readText(request: IncomingMessage): Promise<string> {
  let text = "";
  for await (const chunk of request) text += chunk;
  return text;
}

function reply(response: ServerResponse, status: number, body?: unknown): void {
  if (response.headersSent) return;
  if (body === undefined) response.writeHead(status).end();
  else response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

// ---- The process: start, answer the orchestrator, stop when it goes away.

const downloads = await startStorageServer();
const uploads = await startStorageServer({ keepBodies: false });
const api = await startDatadogApi(uploads);

function answer(request: HostRequest): unknown {
  if (request.type === "seed") return downloads.putObject(request.key, randomBytes(request.size));
  if (request.type === "presignGet") return downloads.presign({ method: "GET", key: request.key, expiresIn: 3600 });
  return { completed: api.completed, open: uploads.openUploads().length } satisfies UploadsReport;
}

process.on("message", (request: HostRequest) => {
  let reply: HostAnswer;
  try {
    reply = { id: request.id, ok: true, value: answer(request) };
  } catch (error) {
    reply = { id: request.id, ok: false, error: String(error) };
  }
  process.send!(reply);
});
process.on("disconnect", () => {
  void Promise.all([api.close(), downloads.close(), uploads.close()]).finally(() => process.exit(0));
});
process.send!({ id: 0, ok: true, value: { downloadOrigin: downloads.origin, apiOrigin: api.origin } } satisfies HostAnswer);
