/**
 * The providers' side of each workflow on the loopback storage server, the happy path only (each package's own
 * tests cover the failures): Datalab's presign/confirm, Powerdrill's multipart upload and data source, Spaaza's
 * export task. Datadog's is test-support's startFakeDatadog.
 */
import { type JsonAnswer, type JsonApi, type JsonRequest, startJsonApi } from "../../../test-support/loopback-api.js";
import type { StorageServer } from "../../../test-support/storage-server.js";

export interface FakeApi extends JsonApi {
  requests: JsonRequest[];
}

async function recording(handle: (request: JsonRequest) => JsonAnswer): Promise<FakeApi> {
  const requests: JsonRequest[] = [];
  const api = await startJsonApi((request) => {
    requests.push(request);
    return handle(request);
  });
  return { ...api, requests };
}

const NOT_FOUND: JsonAnswer = { status: 404, body: { detail: "no such route" } };

/** Datalab: an upload URL signed for the asked Content-Type, then a confirmation. */
export function startFakeDatalab(storage: StorageServer): Promise<FakeApi> {
  const keys = new Map<number, string>();
  return recording(({ method, path, body }) => {
    if (method === "POST" && path === "/api/v1/files/upload") {
      const fileId = 41 + keys.size;
      const key = `datalab/${fileId}/${body.filename}`;
      keys.set(fileId, key);
      const uploadUrl = storage.presign({ method: "PUT", key, signedHeaders: { "Content-Type": body.content_type } });
      return { status: 200, body: { file_id: fileId, upload_url: uploadUrl, reference: `datalab://file-${fileId}`, expires_in: 900 } };
    }
    const confirm = /^\/api\/v1\/files\/(\d+)\/confirm$/.exec(path);
    if (method === "GET" && confirm && storage.getObject(keys.get(Number(confirm[1])) ?? "")) {
      const fileId = Number(confirm[1]);
      return { status: 200, body: { file_id: fileId, reference: `datalab://file-${fileId}`, message: "Upload confirmed", success: true } };
    }
    return NOT_FOUND;
  });
}

/** Powerdrill (its paths under /api): parts of 64 KiB, then a data source from the stored file. */
export function startFakePowerdrill(storage: StorageServer): Promise<FakeApi> {
  const partSize = 64 * 1024;
  const ok = (data: unknown): JsonAnswer => ({ status: 200, body: { code: 0, data } });
  return recording(({ method, path, body }) => {
    if (method === "POST" && path === "/api/v2/team/file/init-multipart-upload") {
      const key = `uploads/${body.user_id}/${body.file_name}`;
      const { uploadId } = storage.createMultipartUpload(key);
      const parts = Array.from({ length: Math.ceil(body.file_size / partSize) }, (_, i) => ({
        number: i + 1,
        upload_url: storage.presignPart({ key, uploadId, partNumber: i + 1 }),
        size: Math.min(partSize, body.file_size - i * partSize),
      }));
      return ok({ upload_id: uploadId, file_object_key: key, part_items: parts });
    }
    if (method === "POST" && path === "/api/v2/team/file/complete-multipart-upload") {
      const parts = body.part_etags.map((p: { part_number: number; etag: string }) => ({ partNumber: p.part_number, etag: p.etag }));
      storage.completeMultipartUpload({ key: body.file_object_key, uploadId: body.upload_id, parts });
      return ok({ file_object_key: body.file_object_key });
    }
    const create = /^\/api\/v2\/team\/datasets\/([^/]+)\/datasources$/.exec(path);
    if (method === "POST" && create) {
      return ok({ id: "src-1", dataset_id: create[1], name: body.name, type: "FILE", status: "synching", file_object_key: body.file_object_key });
    }
    return NOT_FOUND;
  });
}

/** Spaaza: task 4242 is DONE at its first poll; its download URL is a GET of `key` on the storage. */
export function startFakeSpaaza(storage: StorageServer, key: string): Promise<FakeApi> {
  const TASK_ID = 4242;
  let created: Record<string, unknown> = {};
  const task = (state: string) => ({
    id: TASK_ID,
    chain: created.chain,
    desc: created.desc,
    state: { code: state, last_modified: new Date().toISOString(), created_date: new Date().toISOString() },
    trigger: created.trigger,
    target: created.target,
    logs: [],
    debug: "",
    version: 1,
  });
  return recording(({ method, path, body }) => {
    const route = `${method} ${path}`;
    if (route === "POST /tasks") {
      created = body;
      return { status: 200, body: task("READY") };
    }
    if (route === `POST /tasks/${TASK_ID}/execute`) return { status: 200, body: { code: "INPROGRESS" } };
    if (route === `GET /tasks/${TASK_ID}`) return { status: 200, body: task("DONE") };
    if (route === `GET /tasks/${TASK_ID}/download_url`)
      return { status: 200, body: { url: storage.presign({ method: "GET", key, expiresIn: 3_600 }) } };
    return NOT_FOUND;
  });
}
