/**
 * The loopback storage server, seen from the client's side with plain fetch: every check S3 makes on a
 * presigned URL that the workflows rely on, multipart bookkeeping, and each fault a test can ask for.
 */
import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type StorageServer, StorageServerError, type StorageServerOptions, startStorageServer } from "../../test-support/storage-server.ts";

const md5Base64 = (bytes: Uint8Array | string) => createHash("md5").update(bytes).digest("base64");
const md5Hex = (bytes: Uint8Array | string) => createHash("md5").update(bytes).digest("hex");
const bytesOf = (text: string) => new TextEncoder().encode(text);

/** What a client reads from an S3 error answer. */
async function s3Error(response: Response) {
  const xml = await response.text();
  const element = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    code: element("Code"),
    message: element("Message"),
    requestId: element("RequestId"),
    xml,
  };
}

/** Reads a body until it ends or breaks; what arrived, and how it ended. */
async function readUntilBroken(response: Response): Promise<{ bytes: number; broken: boolean }> {
  const reader = response.body!.getReader();
  let bytes = 0;
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read()) bytes += read.value.length;
    return { bytes, broken: false };
  } catch {
    return { bytes, broken: true };
  }
}

let storage: StorageServer;
const servers: StorageServer[] = [];
async function start(options?: StorageServerOptions): Promise<StorageServer> {
  const server = await startStorageServer(options);
  servers.push(server);
  return server;
}
beforeEach(async () => {
  storage = await start();
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** PUTs bytes to a new presigned URL for the key. */
function put(key: string, body: BodyInit, headers: Record<string, string> = {}, signedHeaders = headers) {
  return fetch(storage.presign({ method: "PUT", key, signedHeaders }), { method: "PUT", body, headers });
}
const get = (key: string, headers: Record<string, string> = {}) => fetch(storage.presign({ method: "GET", key }), { headers });

describe("objects", () => {
  it("stores a PUT and answers its ETag, quoted MD5 hex", async () => {
    const response = await put("reports/q1.csv", bytesOf("a,b\n1,2\n"));

    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toBe(`"${md5Hex("a,b\n1,2\n")}"`);
    expect(new TextDecoder().decode(storage.getObject("reports/q1.csv"))).toBe("a,b\n1,2\n");
  });

  it("serves a GET with Content-Length, ETag and Last-Modified", async () => {
    const { etag } = storage.putObject("export file.json", bytesOf('{"ok":true}'));

    const response = await get("export file.json");

    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBe("11");
    expect(response.headers.get("etag")).toBe(etag);
    expect(new Date(response.headers.get("last-modified")!).getTime()).toBeLessThanOrEqual(Date.now());
    expect(await response.text()).toBe('{"ok":true}');
  });

  it("answers a GET with the Content-Type the object was stored with", async () => {
    await put("a.csv", bytesOf("x"), { "Content-Type": "text/csv" });
    storage.putObject("b.json", bytesOf("{}"), { contentType: "application/json" });

    expect((await get("a.csv")).headers.get("content-type")).toBe("text/csv");
    expect((await get("b.json")).headers.get("content-type")).toBe("application/json");
  });

  it("streams a large object whole", async () => {
    const bytes = new Uint8Array(48 * 1024 * 1024).map((_, index) => index % 251);
    storage.putObject("big.bin", bytes);

    const response = await get("big.bin");
    const received = new Uint8Array(await response.arrayBuffer());

    expect(received.length).toBe(bytes.length);
    expect(md5Hex(received)).toBe(md5Hex(bytes));
  });

  it("answers 404 NoSuchKey for a missing key", async () => {
    const error = await s3Error(await get("nowhere.csv"));

    expect(error).toMatchObject({ status: 404, code: "NoSuchKey", contentType: "application/xml" });
    expect(error.xml).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>NoSuchKey<\/Code><Message>.+<\/Message>.*<RequestId>\w+<\/RequestId><\/Error>$/,
    );
  });

  it("answers 411 MissingContentLength to a PUT streamed without a length, as S3 does", async () => {
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(bytesOf("chunked"));
        controller.close();
      },
    });
    const response = await fetch(storage.presign({ method: "PUT", key: "streamed.bin" }), { method: "PUT", body, duplex: "half" } as RequestInit);

    expect(await s3Error(response)).toMatchObject({ status: 411, code: "MissingContentLength" });
    expect(storage.getObject("streamed.bin")).toBeUndefined();
  });
});

describe("query signature", () => {
  it("refuses a tampered query with 403 SignatureDoesNotMatch", async () => {
    const url = new URL(storage.presign({ method: "GET", key: "a.csv" }));
    url.searchParams.set("X-Amz-Expires", "3600");

    expect(await s3Error(await fetch(url))).toMatchObject({ status: 403, code: "SignatureDoesNotMatch" });
  });

  it("refuses a URL signed for another key", async () => {
    storage.putObject("secret.csv", bytesOf("no"));
    const url = new URL(storage.presign({ method: "GET", key: "public.csv" }));
    url.pathname = "/secret.csv";

    expect(await s3Error(await fetch(url))).toMatchObject({ status: 403, code: "SignatureDoesNotMatch" });
  });

  it("refuses a URL used with another method", async () => {
    const url = storage.presign({ method: "GET", key: "a.csv" });

    expect(await s3Error(await fetch(url, { method: "PUT", body: bytesOf("x") }))).toMatchObject({ status: 403, code: "SignatureDoesNotMatch" });
  });

  it("refuses a request without a signature with 403 AccessDenied", async () => {
    storage.putObject("a.csv", bytesOf("x"));

    expect(await s3Error(await fetch(`${storage.origin}/a.csv`))).toMatchObject({ status: 403, code: "AccessDenied" });
  });

  it("refuses an X-Amz-Expires over seven days with 400 AuthorizationQueryParametersError", async () => {
    const url = storage.presign({ method: "GET", key: "a.csv", expiresIn: 604_801 });

    expect(await s3Error(await fetch(url))).toMatchObject({ status: 400, code: "AuthorizationQueryParametersError" });
  });

  it("signs what a SigV4 URL carries", () => {
    const url = new URL(storage.presign({ method: "PUT", key: "a.csv", expiresIn: 60, signedHeaders: { "Content-Type": "text/csv" } }));

    expect(url.origin).toBe(storage.origin);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
      "X-Amz-Credential": expect.stringMatching(/^\w+\/\d{8}\/us-east-1\/s3\/aws4_request$/),
      "X-Amz-Date": expect.stringMatching(/^\d{8}T\d{6}Z$/),
      "X-Amz-Expires": "60",
      "X-Amz-SignedHeaders": "content-type;host",
      "X-Amz-Signature": expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });
});

describe("expiry", () => {
  it("answers 403 AccessDenied 'Request has expired' once X-Amz-Date + X-Amz-Expires has passed", async () => {
    storage.putObject("a.csv", bytesOf("x"));
    const url = storage.presign({ method: "GET", key: "a.csv", expiresIn: 60, date: new Date(Date.now() - 61_000) });

    expect(await s3Error(await fetch(url))).toMatchObject({ status: 403, code: "AccessDenied", message: "Request has expired" });
  });

  it("follows its own clock", async () => {
    let clock = Date.now();
    const server = await start({ now: () => clock });
    server.putObject("a.csv", bytesOf("x"));
    const url = server.presign({ method: "GET", key: "a.csv", expiresIn: 60 });
    expect((await fetch(url)).status).toBe(200);

    clock += 61_000;

    expect(await s3Error(await fetch(url))).toMatchObject({ status: 403, message: "Request has expired" });
  });

  it("fault.expire(key) expires every URL for the key, and only for that key", async () => {
    storage.putObject("a.csv", bytesOf("x"));
    storage.putObject("b.csv", bytesOf("y"));
    const before = storage.presign({ method: "GET", key: "a.csv" });

    storage.fault.expire("a.csv");

    expect(await s3Error(await fetch(before))).toMatchObject({ status: 403, code: "AccessDenied", message: "Request has expired" });
    expect(await s3Error(await get("a.csv"))).toMatchObject({ status: 403, message: "Request has expired" });
    expect((await get("b.csv")).status).toBe(200);
  });

  it("fault.expire(key, { issuedSoFar }) leaves a URL presigned later (a refresh) working", async () => {
    storage.putObject("a.csv", bytesOf("x"));
    const stale = storage.presign({ method: "GET", key: "a.csv" });

    storage.fault.expire("a.csv", { issuedSoFar: true });

    expect((await fetch(stale)).status).toBe(403);
    expect((await get("a.csv")).status).toBe(200);
  });

  it("fault.expire(key, { afterRequests }) lets that many requests through first", async () => {
    storage.putObject("a.csv", bytesOf("x"));
    const url = storage.presign({ method: "GET", key: "a.csv" });

    storage.fault.expire("a.csv", { afterRequests: 1 });

    expect((await fetch(url)).status).toBe(200);
    expect((await fetch(url)).status).toBe(403);
  });
});

describe("signed headers", () => {
  it("accepts a PUT that sends every signed header with its signed value", async () => {
    expect((await put("a.csv", bytesOf("x"), { "Content-Type": "text/csv" })).status).toBe(200);
  });

  it("refuses a signed header sent with another value", async () => {
    const response = await put("a.csv", bytesOf("x"), { "Content-Type": "text/plain" }, { "Content-Type": "text/csv" });

    expect(await s3Error(response)).toMatchObject({ status: 403, code: "SignatureDoesNotMatch" });
    expect(storage.getObject("a.csv")).toBeUndefined();
  });

  it("refuses a signed header left out", async () => {
    const response = await put("a.csv", bytesOf("x"), {}, { "x-amz-meta-owner": "team" });

    expect(await s3Error(response)).toMatchObject({ status: 403, code: "SignatureDoesNotMatch" });
  });

  it("refuses a Content-Type the signature doesn't bind with 403 SignatureDoesNotMatch", async () => {
    const response = await put("a.csv", new Blob(["x"], { type: "text/csv" }), {}, {});
    const error = await s3Error(response);

    expect(error).toMatchObject({ status: 403, code: "SignatureDoesNotMatch" });
    expect(error.xml).toContain("<HeadersNotSigned>content-type</HeadersNotSigned>");
  });

  it("refuses a Content-MD5 the signature doesn't bind with 403 SignatureDoesNotMatch", async () => {
    const response = await put("a.csv", bytesOf("x"), { "Content-MD5": md5Base64("x") }, {});

    expect(await s3Error(response)).toMatchObject({ status: 403, code: "SignatureDoesNotMatch" });
  });
});

describe("Content-MD5", () => {
  it("stores a body that matches its signed Content-MD5", async () => {
    expect((await put("a.bin", bytesOf("part"), { "Content-MD5": md5Base64("part") })).status).toBe(200);
  });

  it("answers 400 InvalidDigest to a Content-MD5 that isn't base64 of 16 bytes", async () => {
    const response = await put("a.bin", bytesOf("part"), { "Content-MD5": md5Hex("part") });

    expect(await s3Error(response)).toMatchObject({ status: 400, code: "InvalidDigest" });
  });

  it("answers 400 BadDigest to a Content-MD5 of other bytes, and stores nothing", async () => {
    const response = await put("a.bin", bytesOf("part"), { "Content-MD5": md5Base64("another part") });

    expect(await s3Error(response)).toMatchObject({ status: 400, code: "BadDigest" });
    expect(storage.getObject("a.bin")).toBeUndefined();
  });
});

describe("Range and conditions", () => {
  const content = bytesOf("0123456789");
  let etag: string;
  beforeEach(() => {
    etag = storage.putObject("digits.txt", content).etag;
  });

  it("answers bytes=N- with 206 and the rest of the object", async () => {
    const response = await get("digits.txt", { Range: "bytes=4-" });

    expect(response.status).toBe(206);
    expect(response.headers.get("content-range")).toBe("bytes 4-9/10");
    expect(response.headers.get("content-length")).toBe("6");
    expect(await response.text()).toBe("456789");
  });

  it("answers bytes=N-M with 206 and those bytes, inclusive", async () => {
    const response = await get("digits.txt", { Range: "bytes=2-5" });

    expect(response.status).toBe(206);
    expect(response.headers.get("content-range")).toBe("bytes 2-5/10");
    expect(await response.text()).toBe("2345");
  });

  it("answers bytes=-N with the last N bytes", async () => {
    const response = await get("digits.txt", { Range: "bytes=-3" });

    expect(response.headers.get("content-range")).toBe("bytes 7-9/10");
    expect(await response.text()).toBe("789");
  });

  it("answers a range that starts past the end with 416 InvalidRange", async () => {
    const response = await get("digits.txt", { Range: "bytes=10-" });

    expect(response.headers.get("content-range")).toBe("bytes */10");
    expect(await s3Error(response)).toMatchObject({ status: 416, code: "InvalidRange" });
  });

  it("serves a GET whose If-Match names the object's ETag", async () => {
    const response = await get("digits.txt", { Range: "bytes=8-", "If-Match": etag });

    expect(response.status).toBe(206);
    expect(await response.text()).toBe("89");
  });

  it("answers 412 PreconditionFailed when If-Match names another ETag (the object changed)", async () => {
    storage.putObject("digits.txt", bytesOf("9876543210"));

    const response = await get("digits.txt", { Range: "bytes=8-", "If-Match": etag });

    expect(await s3Error(response)).toMatchObject({ status: 412, code: "PreconditionFailed" });
  });
});

describe("multipart", () => {
  const parts = ["first part,", "second part,", "last"].map(bytesOf);

  async function putPart(key: string, uploadId: string, partNumber: number, body: Uint8Array<ArrayBuffer>) {
    const contentMd5 = md5Base64(body);
    const url = storage.presignPart({ key, uploadId, partNumber, contentMd5 });
    return fetch(url, { method: "PUT", body, headers: { "Content-MD5": contentMd5 } });
  }

  it("assembles parts PUT in any order into one object with an S3-style multipart ETag", async () => {
    const { uploadId } = storage.createMultipartUpload("upload.csv");
    const etags = await Promise.all(
      [3, 1, 2].map(async (partNumber) => {
        const response = await putPart("upload.csv", uploadId, partNumber, parts[partNumber - 1]!);
        expect(response.status).toBe(200);
        return { partNumber, etag: response.headers.get("etag")! };
      }),
    );
    expect(storage.openUploads()).toEqual([{ key: "upload.csv", uploadId, parts: [1, 2, 3] }]);

    const { etag } = storage.completeMultipartUpload({ key: "upload.csv", uploadId, parts: etags.sort((a, b) => a.partNumber - b.partNumber) });

    expect(new TextDecoder().decode(storage.getObject("upload.csv"))).toBe("first part,second part,last");
    expect(etag).toMatch(/^"[0-9a-f]{32}-3"$/);
    expect(storage.openUploads()).toEqual([]);
    expect((await get("upload.csv")).headers.get("etag")).toBe(etag);
  });

  it("puts the part number and upload id in a part URL's query, as S3 does", () => {
    const url = new URL(storage.presignPart({ key: "upload.csv", uploadId: "abc", partNumber: 7 }));

    expect(url.searchParams.get("partNumber")).toBe("7");
    expect(url.searchParams.get("uploadId")).toBe("abc");
  });

  it("accepts ETags with or without their quotes at completion", async () => {
    const { uploadId } = storage.createMultipartUpload("upload.csv");
    const etag = (await putPart("upload.csv", uploadId, 1, parts[0]!)).headers.get("etag")!;

    storage.completeMultipartUpload({ key: "upload.csv", uploadId, parts: [{ partNumber: 1, etag: etag.replaceAll('"', "") }] });

    expect(new TextDecoder().decode(storage.getObject("upload.csv"))).toBe("first part,");
  });

  it("refuses a completion with a wrong ETag (InvalidPart) or parts out of order (InvalidPartOrder)", async () => {
    const { uploadId } = storage.createMultipartUpload("upload.csv");
    const etag1 = (await putPart("upload.csv", uploadId, 1, parts[0]!)).headers.get("etag")!;
    const etag2 = (await putPart("upload.csv", uploadId, 2, parts[1]!)).headers.get("etag")!;
    const complete = (named: { partNumber: number; etag: string }[]) => () =>
      storage.completeMultipartUpload({ key: "upload.csv", uploadId, parts: named });

    expect(complete([{ partNumber: 1, etag: etag2 }])).toThrow(expect.objectContaining({ code: "InvalidPart", status: 400 }));
    expect(complete([{ partNumber: 3, etag: etag1 }])).toThrow(expect.objectContaining({ code: "InvalidPart" }));
    expect(
      complete([
        { partNumber: 2, etag: etag2 },
        { partNumber: 1, etag: etag1 },
      ]),
    ).toThrow(expect.objectContaining({ code: "InvalidPartOrder" }));
    expect(storage.openUploads()).toHaveLength(1);
  });

  it("refuses a part under minPartSize but the last with EntityTooSmall", async () => {
    storage = await start({ minPartSize: 12 });
    const { uploadId } = storage.createMultipartUpload("upload.csv");
    const named: { partNumber: number; etag: string }[] = [];
    for (const [index, body] of parts.entries()) {
      const response = await putPart("upload.csv", uploadId, index + 1, body);
      named.push({ partNumber: index + 1, etag: response.headers.get("etag")! });
    }

    expect(() => storage.completeMultipartUpload({ key: "upload.csv", uploadId, parts: named })).toThrow(
      expect.objectContaining({ code: "EntityTooSmall", message: expect.any(String) }),
    );
  });

  it("answers 404 NoSuchUpload to a part for an aborted or unknown upload", async () => {
    const { uploadId } = storage.createMultipartUpload("upload.csv");
    storage.abortMultipartUpload({ key: "upload.csv", uploadId });

    expect(await s3Error(await putPart("upload.csv", uploadId, 1, parts[0]!))).toMatchObject({ status: 404, code: "NoSuchUpload" });
    expect(await s3Error(await putPart("upload.csv", "unknown", 1, parts[0]!))).toMatchObject({ status: 404, code: "NoSuchUpload" });
    expect(storage.openUploads()).toEqual([]);
  });

  it("lists as open (orphans) the uploads neither completed nor aborted", async () => {
    const orphan = storage.createMultipartUpload("orphan.csv");
    await putPart("orphan.csv", orphan.uploadId, 2, parts[1]!);
    const aborted = storage.createMultipartUpload("aborted.csv");
    storage.abortMultipartUpload({ key: "aborted.csv", uploadId: aborted.uploadId });

    expect(storage.openUploads()).toEqual([{ key: "orphan.csv", uploadId: orphan.uploadId, parts: [2] }]);
    expect(() => storage.abortMultipartUpload({ key: "aborted.csv", uploadId: aborted.uploadId })).toThrow(StorageServerError);
  });

  it("fault.failPart answers the chosen error instead of storing the part, the chosen number of times", async () => {
    const { uploadId } = storage.createMultipartUpload("upload.csv");
    storage.fault.failPart({ partNumber: 2, status: 503, code: "SlowDown", times: 2 });

    expect((await putPart("upload.csv", uploadId, 1, parts[0]!)).status).toBe(200);
    expect(await s3Error(await putPart("upload.csv", uploadId, 2, parts[1]!))).toMatchObject({ status: 503, code: "SlowDown" });
    expect(await s3Error(await putPart("upload.csv", uploadId, 2, parts[1]!))).toMatchObject({ status: 503, code: "SlowDown" });
    expect(storage.openUploads()[0]!.parts).toEqual([1]);
    expect((await putPart("upload.csv", uploadId, 2, parts[1]!)).status).toBe(200);
  });
});

describe("connection faults", () => {
  const content = new Uint8Array(256 * 1024).fill(7);

  it("fault.resetMidBody sends that many bytes, then breaks the connection, then serves normally", async () => {
    storage.putObject("big.bin", content);
    storage.fault.resetMidBody({ key: "big.bin", afterBytes: 100_000 });

    const broken = await get("big.bin");
    expect(broken.status).toBe(200);
    expect(await readUntilBroken(broken)).toEqual({ bytes: 100_000, broken: true });

    expect(await readUntilBroken(await get("big.bin"))).toEqual({ bytes: content.length, broken: false });
  });

  it("a resume after a reset fetches only the missing bytes", async () => {
    const { etag } = storage.putObject("big.bin", content);
    storage.fault.resetMidBody({ key: "big.bin", afterBytes: 100_000 });
    await readUntilBroken(await get("big.bin"));

    const resumed = await get("big.bin", { Range: "bytes=100000-", "If-Match": etag });

    expect(resumed.status).toBe(206);
    expect(await readUntilBroken(resumed)).toEqual({ bytes: content.length - 100_000, broken: false });
  });

  it("fault.resetMidBody with afterBytes 0 sends the head, then breaks", async () => {
    storage.putObject("big.bin", content);
    storage.fault.resetMidBody({ key: "big.bin", afterBytes: 0 });

    const response = await get("big.bin");

    expect(response.headers.get("content-length")).toBe(String(content.length));
    expect(await readUntilBroken(response)).toEqual({ bytes: 0, broken: true });
  });

  it("fault.stallMidBody sends that many bytes, then goes silent until the client gives up", async () => {
    storage.putObject("big.bin", content);
    storage.fault.stallMidBody({ key: "big.bin", afterBytes: 1000 });
    const controller = new AbortController();

    const response = await fetch(storage.presign({ method: "GET", key: "big.bin" }), { signal: controller.signal });
    const reader = response.body!.getReader();
    const first = await reader.read();
    const next = reader.read();
    const outcome = await Promise.race([next.then(() => "more"), new Promise((resolve) => setTimeout(resolve, 200, "silent"))]);
    controller.abort();

    expect(first.value?.length).toBe(1000);
    expect(outcome).toBe("silent");
    await expect(next).rejects.toThrow();
  });

  it("close() ends a stalled connection", async () => {
    const server = await start();
    server.putObject("big.bin", content);
    server.fault.stallMidBody({ key: "big.bin", afterBytes: 10 });
    const response = await fetch(server.presign({ method: "GET", key: "big.bin" }));

    await server.close();

    expect(await readUntilBroken(response)).toEqual({ bytes: 10, broken: true });
  });
});

describe("fault.failRequest", () => {
  it("answers any request for the key with the chosen XML error, the chosen number of times", async () => {
    storage.putObject("a.csv", bytesOf("x"));
    storage.fault.failRequest({ key: "a.csv", method: "GET", status: 403, code: "RequestTimeTooSkewed", message: "The difference is too large." });

    expect(await s3Error(await get("a.csv"))).toMatchObject({ status: 403, code: "RequestTimeTooSkewed", message: "The difference is too large." });
    expect((await get("a.csv")).status).toBe(200);
  });

  it("answers a raw body in place of the XML (a broken or hostile storage)", async () => {
    storage.fault.failRequest({ key: "a.csv", status: 500, code: "InternalError", body: "<Error><Code>Oops" });

    const response = await put("a.csv", bytesOf("x"));

    expect(response.status).toBe(500);
    expect(await response.text()).toBe("<Error><Code>Oops");
    expect(storage.getObject("a.csv")).toBeUndefined();
  });

  it("still checks the signature first", async () => {
    storage.fault.failRequest({ key: "a.csv", status: 500, code: "InternalError" });
    const url = new URL(storage.presign({ method: "GET", key: "a.csv" }));
    url.searchParams.set("X-Amz-Date", "20200101T000000Z");

    expect(await s3Error(await fetch(url))).toMatchObject({ code: "SignatureDoesNotMatch" });
  });
});

describe("CORS", () => {
  it("answers a preflight for PUT with the headers asked for", async () => {
    const server = await start({ cors: { exposeETag: true } });

    const response = await fetch(`${server.origin}/a.csv?uploadId=x`, {
      method: "OPTIONS",
      headers: { Origin: "http://app.test", "Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "content-md5" },
    });

    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-methods")).toContain("PUT");
    expect(response.headers.get("access-control-allow-headers")).toBe("content-md5");
  });

  it("exposes the ETag only when exposeETag", async () => {
    const exposing = await start({ cors: { exposeETag: true } });
    const hiding = await start({ cors: { exposeETag: false } });
    const putTo = (server: StorageServer) =>
      fetch(server.presign({ method: "PUT", key: "a.csv" }), { method: "PUT", body: bytesOf("x"), headers: { Origin: "http://app.test" } });

    const exposed = await putTo(exposing);
    const hidden = await putTo(hiding);

    expect(exposed.headers.get("access-control-allow-origin")).toBe("*");
    expect(exposed.headers.get("access-control-expose-headers")).toBe("ETag");
    expect(hidden.headers.get("access-control-allow-origin")).toBe("*");
    expect(hidden.headers.get("access-control-expose-headers")).toBeNull();
  });

  it("refuses a preflight when CORS is off", async () => {
    const response = await fetch(`${storage.origin}/a.csv`, {
      method: "OPTIONS",
      headers: { Origin: "http://app.test", "Access-Control-Request-Method": "PUT" },
    });

    expect(await s3Error(response)).toMatchObject({ status: 403, code: "CORSResponse" });
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("records", () => {
  it("records every request: method, decoded path, query, lower-case headers, body size and status", async () => {
    await put("in/a b.csv", bytesOf("12345"), { "Content-Type": "text/csv" });
    await get("in/missing.csv");

    expect(storage.requests).toEqual([
      {
        method: "PUT",
        path: "/in/a b.csv",
        query: expect.objectContaining({ "X-Amz-SignedHeaders": "content-type;host", "X-Amz-Signature": expect.any(String) }),
        headers: expect.objectContaining({ "content-type": "text/csv", "content-length": "5", host: new URL(storage.origin).host }),
        bodyBytes: 5,
        status: 200,
      },
      expect.objectContaining({ method: "GET", path: "/in/missing.csv", bodyBytes: 0, status: 404 }),
    ]);
  });

  it("counts the body of a refused PUT too", async () => {
    await put("a.csv", bytesOf("1234567"), { "Content-Type": "text/plain" }, {});

    expect(storage.requests[0]).toMatchObject({ status: 403, bodyBytes: 7 });
  });

  it("keeps sizes and ETags but no bytes with keepBodies: false", async () => {
    storage = await start({ keepBodies: false });
    const response = await put("a.bin", bytesOf("12345"));

    expect(response.headers.get("etag")).toBe(`"${md5Hex("12345")}"`);
    expect(storage.getObject("a.bin")).toBeUndefined();
  });
});
