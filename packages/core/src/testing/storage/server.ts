/**
 * A loopback storage server that behaves like S3 for presigned URLs, for tests of the storage leg: it
 * checks SigV4-style query signatures, expiry and signed headers, answers ETags, honours Range and
 * If-Match, runs multipart uploads, records every request, and fails on demand (an expired URL, a
 * failing part, a connection reset mid-body). Errors are S3's XML. Node only (node:http).
 *
 *   const storage = await startStorageServer();
 *   const url = storage.presign({ method: "PUT", key: "a.csv", signedHeaders: { "Content-Type": "text/csv" } });
 *   await fetch(url, { method: "PUT", body, headers: { "Content-Type": "text/csv" } });
 *   storage.getObject("a.csv"); storage.requests; await storage.close();
 *
 * Public as `startStorageServer` of `@presign/core/testing` (and of every provider's `/testing`), which
 * loads this module only when called.
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Body, type BodyCut, bodyOfBytes, drainBody, etagListMatches, quotedEtag, rangeOf, readBody, writeBody } from "./bodies.js";
import { errors, errorXml, messageOfCode, StorageServerError } from "./errors.js";
import { ALGORITHM, amzDate, canonicalQuery, credentialScope, MAX_EXPIRES_IN, parseAmzDate, pathOfKey, signatureOf } from "./signing.js";

export { StorageServerError } from "./errors.js";

export interface StorageServerOptions {
  /** Answer CORS like a bucket with a CORS rule; the ETag is visible to a browser only when `exposeETag`. */
  cors?: { exposeETag: boolean /** More headers to expose, e.g. Content-Range. */; exposeHeaders?: string[] };
  /** The smallest part, but the last, that completeMultipartUpload accepts. S3 says 5 MiB; default 0 so tests can use small parts. */
  minPartSize?: number;
  /** false: keep only each object's size and ETag, not its bytes (a bench that uploads hundreds of MiB). Default true. */
  keepBodies?: boolean;
  /** The server's clock in ms (default Date.now, which vitest's fake timers also move). */
  now?: () => number;
}

/** One request as the server saw it. `status` is 0 while unanswered, and stays 0 if the client left first. */
export interface StorageRequest {
  method: string;
  /** The decoded path: `/` + key. */
  path: string;
  query: Record<string, string>;
  /** Every header, by lower-case name. */
  headers: Record<string, string>;
  bodyBytes: number;
  status: number;
}

export interface PresignInput {
  method: "GET" | "PUT";
  key: string;
  /** Seconds (default 900, at most 604 800). */
  expiresIn?: number;
  /** Headers the signature binds: the request must send each with this value. */
  signedHeaders?: Record<string, string>;
  /** When the URL was signed (default now): a date in the past makes a URL that has already expired. */
  date?: Date;
}

export interface ExpireOptions {
  /** Only the URLs presigned for the key so far; a URL presigned later (a refresh) works. Default: every URL, now and later. */
  issuedSoFar?: boolean;
  /** Answer this many more requests for the key normally first (e.g. 1: the first GET works, its resume finds the URL expired). */
  afterRequests?: number;
}

export interface StorageServer {
  /** http://127.0.0.1:<port> */
  origin: string;
  requests: StorageRequest[];
  presign(input: PresignInput): string;
  /** Seeds an object (the server keeps a view of these bytes: don't change them afterwards). ETag is `"<md5 hex>"`. */
  putObject(key: string, bytes: Uint8Array, options?: { contentType?: string }): { etag: string };
  getObject(key: string): Uint8Array | undefined;
  /** `contentType` is the completed object's, as S3 takes it from CreateMultipartUpload. */
  createMultipartUpload(key: string, options?: { contentType?: string }): { uploadId: string };
  presignPart(input: { key: string; uploadId: string; partNumber: number; contentMd5?: string; expiresIn?: number }): string;
  /** Throws a StorageServerError (InvalidPart, InvalidPartOrder, NoSuchUpload, EntityTooSmall, MalformedXML) as S3 would answer. */
  completeMultipartUpload(input: { key: string; uploadId: string; parts: { partNumber: number; etag: string }[] }): { etag: string };
  /** Throws a StorageServerError NoSuchUpload for an upload that isn't open. */
  abortMultipartUpload(input: { key: string; uploadId: string }): void;
  /** Uploads neither completed nor aborted: orphans, once a workflow has returned. */
  openUploads(): { key: string; uploadId: string; parts: number[] }[];
  fault: {
    /** URLs for the key answer 403 AccessDenied "Request has expired". */
    expire(key: string, options?: ExpireOptions): void;
    /** A part PUT with this number answers this XML error instead of storing the part, `times` times (default 1). */
    failPart(input: { partNumber: number; status: number; code: string; message?: string; times?: number }): void;
    /**
     * Any signed request for the key (of that method, if given) answers this XML error, `times` times (default 1): storage
     * errors that no check here makes, such as 403 RequestTimeTooSkewed. `body` replaces the XML (a hostile or broken answer).
     */
    failRequest(input: { key: string; method?: string; status: number; code: string; message?: string; body?: string; times?: number }): void;
    /** A GET of the key sends `afterBytes` of its body, then destroys the socket, `times` times (default 1). */
    resetMidBody(input: { key: string; afterBytes: number; times?: number }): void;
    /** A GET of the key sends `afterBytes` of its body, then sends nothing more, holding the connection open (idle timeouts). */
    stallMidBody(input: { key: string; afterBytes: number; times?: number }): void;
    /** Forgets every fault not yet used. */
    clear(): void;
  };
  close(): Promise<void>;
}

interface StoredObject {
  /** undefined when the server doesn't keep bodies. */
  chunks: Buffer[] | undefined;
  size: number;
  etag: string;
  contentType: string;
  lastModified: Date;
}

interface StoredPart {
  body: Body;
  etag: string;
}

interface MultipartUpload {
  key: string;
  uploadId: string;
  state: "open" | "completed" | "aborted";
  contentType: string | undefined;
  parts: Map<number, StoredPart>;
}

interface ExpiryFault {
  key: string;
  /** Only these signatures, when the fault covers the URLs issued so far. */
  signatures?: Set<string>;
  afterRequests: number;
}

interface PartFault {
  partNumber: number;
  status: number;
  code: string;
  message: string;
  times: number;
}

interface RequestFault {
  key: string;
  method: string | undefined;
  error: StorageServerError;
  body: string | undefined;
  times: number;
}

interface BodyCutFault extends BodyCut {
  key: string;
  times: number;
}

/** One request being answered. */
interface Exchange {
  request: IncomingMessage;
  response: ServerResponse;
  record: StorageRequest;
  requestId: string;
}

/** Headers a signature must bind when sent: the ones whose unsigned use the issue asks the server to refuse. */
const HEADERS_THAT_MUST_BE_SIGNED = ["content-type", "content-md5"];
/** How far in the future X-Amz-Date may be, as S3 allows for clock skew. */
const MAX_SKEW_MS = 15 * 60 * 1000;

export async function startStorageServer(options: StorageServerOptions = {}): Promise<StorageServer> {
  const now = options.now ?? Date.now;
  const keepBodies = options.keepBodies ?? true;
  const secret = randomBytes(32);
  const requests: StorageRequest[] = [];
  const objects = new Map<string, StoredObject>();
  const uploads = new Map<string, MultipartUpload>();
  /** The URLs presigned for each key, so a fault can expire just those, and when the latest was signed. */
  const issuedByKey = new Map<string, { signatures: Set<string>; latest: Date }>();
  let expiryFaults: ExpiryFault[] = [];
  let partFaults: PartFault[] = [];
  let requestFaults: RequestFault[] = [];
  let bodyCuts: BodyCutFault[] = [];

  const server = createServer((request, response) => {
    handle(request, response).catch(() => response.destroy());
  });
  // Node's 5 s would close a connection a client is about to reuse when a loaded machine makes parts slow: a reset
  // that S3 (20 s and more) would not cause. close() ends idle connections anyway.
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1");
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  const host = `127.0.0.1:${port}`;
  const origin = `http://${host}`;

  // ---- The wire: one handler, each step a function named for what it checks or does.

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = urlOf(request.url);
    const record: StorageRequest = {
      method: request.method ?? "",
      path: decodedPath(url.pathname),
      query: Object.fromEntries(url.searchParams),
      headers: headersOf(request),
      bodyBytes: 0,
      status: 0,
    };
    requests.push(record);
    const exchange: Exchange = { request, response, record, requestId: randomBytes(8).toString("hex").toUpperCase() };
    try {
      await route(exchange, url.pathname);
    } catch (error) {
      await answerError(exchange, error instanceof StorageServerError ? error : new StorageServerError(500, "InternalError", String(error)));
    }
  }

  async function route(exchange: Exchange, pathname: string): Promise<void> {
    const { method, query } = exchange.record;
    if (method === "OPTIONS") return answerPreflight(exchange);
    const key = keyOfPath(pathname);
    const url = authenticate(exchange, key);
    checkExpiryFaults(key, url);
    const requestFault = takeRequestFault(key, method);
    if (requestFault) return answerFault(exchange, requestFault);
    if (method === "GET") return serveObject(exchange, key);
    if (method === "PUT" && query.uploadId !== undefined) return receivePart(exchange, key, query.uploadId);
    if (method === "PUT") return receiveObject(exchange, key);
    throw errors.methodNotAllowed(method);
  }

  /** Checks the query signature, the signed headers and the URL's lifetime. */
  function authenticate(exchange: Exchange, key: string): { signature: string; expiresAt: Date } {
    const { method, query, headers } = exchange.record;
    const signature = query["X-Amz-Signature"];
    if (!signature) throw errors.accessDenied();
    const { signedAt, expiresIn, signedHeaderNames } = queryAuthOf(query);
    const signedHeaders = Object.fromEntries(signedHeaderNames.map((name) => [name, headers[name] ?? ""]));
    if (signatureOf(secret, { method, key, query, headers: signedHeaders }) !== signature) throw errors.signatureMismatch();
    const notSigned = HEADERS_THAT_MUST_BE_SIGNED.filter((name) => headers[name] !== undefined && !signedHeaderNames.includes(name));
    if (notSigned.length > 0) throw errors.headersNotSigned(notSigned);
    const expiresAt = new Date(signedAt.getTime() + expiresIn * 1000);
    if (now() > expiresAt.getTime()) throw errors.expired(expiresAt, new Date(now()));
    if (signedAt.getTime() > now() + MAX_SKEW_MS) throw errors.notYetValid();
    return { signature, expiresAt };
  }

  function checkExpiryFaults(key: string, { signature, expiresAt }: { signature: string; expiresAt: Date }): void {
    const fault = expiryFaults.find((candidate) => candidate.key === key && (!candidate.signatures || candidate.signatures.has(signature)));
    if (!fault) return;
    if (fault.afterRequests > 0) {
      fault.afterRequests -= 1;
      return;
    }
    throw errors.expired(expiresAt, new Date(now()));
  }

  async function serveObject(exchange: Exchange, key: string): Promise<void> {
    const object = objects.get(key);
    if (!object) throw errors.noSuchKey(key);
    if (!object.chunks) throw errors.bodyNotKept(key);
    const { headers } = exchange.record;
    if (headers["if-match"] !== undefined && !etagListMatches(headers["if-match"], object.etag)) throw errors.preconditionFailed("If-Match");
    const objectHeaders = { etag: object.etag, "last-modified": object.lastModified.toUTCString(), "accept-ranges": "bytes" };
    if (headers["if-none-match"] !== undefined && etagListMatches(headers["if-none-match"], object.etag)) {
      answerHead(exchange, 304, objectHeaders);
      exchange.response.end();
      return;
    }
    const range = rangeOf(headers.range, object.size);
    const served = range ?? { start: 0, end: object.size };
    answerHead(exchange, range ? 206 : 200, {
      ...objectHeaders,
      "content-type": object.contentType,
      "content-length": String(served.end - served.start),
      ...(range ? { "content-range": `bytes ${range.start}-${range.end - 1}/${object.size}` } : {}),
    });
    await writeBody(exchange.response, object.chunks, served, takeBodyCut(key));
  }

  async function receiveObject(exchange: Exchange, key: string): Promise<void> {
    const body = await receiveBody(exchange);
    const { etag } = storeObject(key, body, { etag: quotedEtag(body.md5), contentType: exchange.record.headers["content-type"] });
    answerStored(exchange, etag);
  }

  async function receivePart(exchange: Exchange, key: string, uploadId: string): Promise<void> {
    const upload = openUpload(key, uploadId);
    const partNumber = partNumberOf(exchange.record.query.partNumber);
    const fault = takePartFault(partNumber);
    if (fault) throw new StorageServerError(fault.status, fault.code, fault.message);
    const body = await receiveBody(exchange);
    const etag = quotedEtag(body.md5);
    upload.parts.set(partNumber, { body, etag });
    answerStored(exchange, etag);
  }

  /** Reads a PUT body after the checks S3 makes first (a length, a well-formed Content-MD5), then checks the digest. */
  async function receiveBody(exchange: Exchange): Promise<Body> {
    const { headers } = exchange.record;
    if (headers["content-length"] === undefined) throw errors.missingContentLength();
    const expectedMd5 = contentMd5Of(headers["content-md5"]);
    const body = await readBody(exchange.request, keepBodies, (total) => {
      exchange.record.bodyBytes = total;
    });
    if (expectedMd5 && !body.md5.equals(expectedMd5)) throw errors.badDigest(headers["content-md5"]!, body.md5.toString("base64"));
    return body;
  }

  /** Keeps an object, its bytes only when the server keeps bodies. */
  function storeObject(
    key: string,
    body: Pick<Body, "chunks" | "size">,
    { etag, contentType: givenType }: { etag: string; contentType?: string },
  ): { etag: string } {
    const contentType = givenType ?? "binary/octet-stream";
    objects.set(key, { chunks: keepBodies ? body.chunks : undefined, size: body.size, etag, contentType, lastModified: wholeSeconds(now()) });
    return { etag };
  }

  async function answerFault(exchange: Exchange, fault: RequestFault): Promise<void> {
    if (fault.body === undefined) return answerError(exchange, fault.error);
    await drainBody(exchange.request, (bytes) => {
      exchange.record.bodyBytes += bytes;
    });
    answerHead(exchange, fault.error.status, { "content-type": "application/xml", "content-length": String(Buffer.byteLength(fault.body)) });
    exchange.response.end(fault.body);
  }

  function answerStored(exchange: Exchange, etag: string): void {
    answerHead(exchange, 200, { etag, "content-length": "0" });
    exchange.response.end();
  }

  function answerPreflight(exchange: Exchange): void {
    if (!options.cors) throw errors.corsDisabled();
    const asked = exchange.record.headers["access-control-request-headers"];
    answerHead(exchange, 200, {
      "access-control-allow-methods": "GET, PUT, HEAD",
      ...(asked ? { "access-control-allow-headers": asked } : {}),
      "access-control-max-age": "600",
      "content-length": "0",
    });
    exchange.response.end();
  }

  async function answerError(exchange: Exchange, error: StorageServerError): Promise<void> {
    const { request, response, record } = exchange;
    // A client still sending a body would see a broken pipe instead of the answer: read the rest first.
    await drainBody(request, (bytes) => {
      record.bodyBytes += bytes;
    });
    if (response.headersSent) {
      response.destroy();
      return;
    }
    if (response.destroyed || (request.destroyed && !request.complete)) return;
    const xml = errorXml(error, exchange.requestId);
    answerHead(exchange, error.status, { ...error.headers, "content-type": "application/xml", "content-length": String(Buffer.byteLength(xml)) });
    response.end(xml);
  }

  /** Every answer's head goes through here: it records the status and adds the request id and CORS headers. */
  function answerHead(exchange: Exchange, status: number, headers: Record<string, string>): void {
    exchange.record.status = status;
    exchange.response.writeHead(status, { ...headers, "x-amz-request-id": exchange.requestId, ...corsHeaders() });
  }

  function corsHeaders(): Record<string, string> {
    if (!options.cors) return {};
    const exposed = [...(options.cors.exposeETag ? ["ETag"] : []), ...(options.cors.exposeHeaders ?? [])];
    return { "access-control-allow-origin": "*", ...(exposed.length > 0 ? { "access-control-expose-headers": exposed.join(", ") } : {}) };
  }

  // ---- Faults: each is used up as it fires.

  function takePartFault(partNumber: number): PartFault | undefined {
    const fault = partFaults.find((candidate) => candidate.partNumber === partNumber && candidate.times > 0);
    if (fault) fault.times -= 1;
    return fault;
  }

  function takeRequestFault(key: string, method: string): RequestFault | undefined {
    const fault = requestFaults.find((candidate) => candidate.key === key && (candidate.method ?? method) === method && candidate.times > 0);
    if (fault) fault.times -= 1;
    return fault;
  }

  function takeBodyCut(key: string): BodyCut | undefined {
    const cut = bodyCuts.find((candidate) => candidate.key === key && candidate.times > 0);
    if (cut) cut.times -= 1;
    return cut;
  }

  // ---- The test's side: presigning, seeding, the multipart bookkeeping a provider API does.

  function presignUrl(input: PresignInput & { extraQuery?: Record<string, string> }): string {
    const url = signedUrl(input, input.date ?? new Date(now()));
    if (input.date || !isExpiredByFault(input.key, url.signature)) return url.href;
    // A refresh in the same second as the URL it replaces would be that URL again, expired with it: sign it a second later.
    return signedUrl(input, new Date(latestIssue(input.key).getTime() + 1000)).href;
  }

  function signedUrl(input: PresignInput & { extraQuery?: Record<string, string> }, date: Date): { href: string; signature: string } {
    const expiresIn = input.expiresIn ?? 900;
    const headers = { ...lowerCaseNames(input.signedHeaders ?? {}), host };
    const query: Record<string, string> = {
      ...input.extraQuery,
      "X-Amz-Algorithm": ALGORITHM,
      "X-Amz-Credential": credentialScope(date),
      "X-Amz-Date": amzDate(date),
      "X-Amz-Expires": String(expiresIn),
      "X-Amz-SignedHeaders": Object.keys(headers).sort().join(";"),
    };
    const signature = signatureOf(secret, { method: input.method, key: input.key, query, headers });
    rememberIssue(input.key, signature, date);
    return { href: `${origin}${pathOfKey(input.key)}?${canonicalQuery(query)}&X-Amz-Signature=${signature}`, signature };
  }

  function rememberIssue(key: string, signature: string, date: Date): void {
    const issued = issuedByKey.get(key) ?? { signatures: new Set<string>(), latest: date };
    issued.signatures.add(signature);
    if (date > issued.latest) issued.latest = date;
    issuedByKey.set(key, issued);
  }

  function latestIssue(key: string): Date {
    return issuedByKey.get(key)?.latest ?? new Date(now());
  }

  function isExpiredByFault(key: string, signature: string): boolean {
    return expiryFaults.some((fault) => fault.key === key && fault.signatures?.has(signature));
  }

  function openUpload(key: string, uploadId: string): MultipartUpload {
    const upload = uploads.get(uploadId);
    if (!upload || upload.key !== key || upload.state !== "open") throw errors.noSuchUpload(uploadId);
    return upload;
  }

  function completeUpload(input: { key: string; uploadId: string; parts: { partNumber: number; etag: string }[] }): { etag: string } {
    const upload = openUpload(input.key, input.uploadId);
    const parts = chosenParts(upload, input.parts);
    const md5s = Buffer.concat(parts.map((part) => part.body.md5));
    const etag = `"${createHash("md5").update(md5s).digest("hex")}-${parts.length}"`;
    const chunks = parts.flatMap((part) => part.body.chunks);
    const size = parts.reduce((total, part) => total + part.body.size, 0);
    storeObject(input.key, { chunks, size }, { etag, contentType: upload.contentType });
    upload.state = "completed";
    upload.parts.clear();
    return { etag };
  }

  /** The parts a completion names, checked as S3 does: some, ascending, each uploaded with that ETag, each but the last big enough. */
  function chosenParts(upload: MultipartUpload, named: { partNumber: number; etag: string }[]): StoredPart[] {
    if (named.length === 0) throw errors.noParts();
    const minPartSize = options.minPartSize ?? 0;
    return named.map(({ partNumber, etag }, index) => {
      if (index > 0 && partNumber <= named[index - 1]!.partNumber) throw errors.invalidPartOrder();
      const part = upload.parts.get(partNumber);
      if (!part || !etagListMatches(etag, part.etag) || etag.trim() === "*") throw errors.invalidPart(partNumber);
      const isLast = index === named.length - 1;
      if (!isLast && part.body.size < minPartSize) throw errors.entityTooSmall(partNumber, part.body.size, minPartSize);
      return part;
    });
  }

  return {
    origin,
    requests,
    presign: (input) => presignUrl(input),
    putObject(key, bytes, { contentType } = {}) {
      const body = bodyOfBytes(bytes);
      return storeObject(key, body, { etag: quotedEtag(body.md5), contentType });
    },
    getObject(key) {
      const chunks = objects.get(key)?.chunks;
      return chunks && new Uint8Array(Buffer.concat(chunks));
    },
    createMultipartUpload(key, { contentType } = {}) {
      const uploadId = randomBytes(24).toString("base64url");
      uploads.set(uploadId, { key, uploadId, state: "open", contentType, parts: new Map() });
      return { uploadId };
    },
    presignPart({ key, uploadId, partNumber, contentMd5, expiresIn }) {
      const signedHeaders: Record<string, string> = contentMd5 === undefined ? {} : { "Content-MD5": contentMd5 };
      return presignUrl({ method: "PUT", key, expiresIn, signedHeaders, extraQuery: { partNumber: String(partNumber), uploadId } });
    },
    completeMultipartUpload: completeUpload,
    abortMultipartUpload({ key, uploadId }) {
      const upload = openUpload(key, uploadId);
      upload.state = "aborted";
      upload.parts.clear();
    },
    openUploads() {
      return [...uploads.values()]
        .filter((upload) => upload.state === "open")
        .map(({ key, uploadId, parts }) => ({ key, uploadId, parts: [...parts.keys()].sort((a, b) => a - b) }));
    },
    fault: {
      expire(key, { issuedSoFar = false, afterRequests = 0 } = {}) {
        const signatures = issuedSoFar ? new Set(issuedByKey.get(key)?.signatures) : undefined;
        expiryFaults.push({ key, signatures, afterRequests });
      },
      failPart({ partNumber, status, code, message, times = 1 }) {
        partFaults.push({ partNumber, status, code, message: message ?? messageOfCode(code), times });
      },
      failRequest({ key, method, status, code, message, body, times = 1 }) {
        requestFaults.push({ key, method, error: new StorageServerError(status, code, message ?? messageOfCode(code)), body, times });
      },
      resetMidBody({ key, afterBytes, times = 1 }) {
        bodyCuts.push({ kind: "reset", key, afterBytes, times });
      },
      stallMidBody({ key, afterBytes, times = 1 }) {
        bodyCuts.push({ kind: "stall", key, afterBytes, times });
      },
      clear() {
        expiryFaults = [];
        partFaults = [];
        requestFaults = [];
        bodyCuts = [];
      },
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Stalled GETs and idle keep-alive connections would hold close() open.
      server.closeAllConnections();
      await closed;
    },
  };
}

/** The X-Amz-* parameters of a presigned URL, checked for shape as S3 does before it looks at the signature. */
function queryAuthOf(query: Record<string, string>): { signedAt: Date; expiresIn: number; signedHeaderNames: string[] } {
  if (query["X-Amz-Algorithm"] !== ALGORITHM) throw errors.badQueryAuth(`X-Amz-Algorithm only supports "${ALGORITHM}"`);
  if (!query["X-Amz-Credential"]) throw errors.badQueryAuth("X-Amz-Credential is missing");
  const signedAt = parseAmzDate(query["X-Amz-Date"] ?? "");
  if (!signedAt) throw errors.badQueryAuth(`X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`);
  const expiresIn = Number(query["X-Amz-Expires"]);
  if (!Number.isInteger(expiresIn) || expiresIn < 0) throw errors.badQueryAuth("X-Amz-Expires should be a number");
  if (expiresIn > MAX_EXPIRES_IN)
    throw errors.badQueryAuth(`X-Amz-Expires must be less than a week (in seconds) that is; the maximum expires is ${MAX_EXPIRES_IN}`);
  const signedHeaderNames = (query["X-Amz-SignedHeaders"] ?? "").split(";").filter(Boolean);
  if (!signedHeaderNames.includes("host")) throw errors.badQueryAuth("X-Amz-SignedHeaders must include host");
  return { signedAt, expiresIn, signedHeaderNames };
}

/** A Content-MD5 as its 16 bytes; InvalidDigest when it is not base64 of 16 bytes. */
function contentMd5Of(header: string | undefined): Buffer | undefined {
  if (header === undefined) return undefined;
  const isBase64Of16 = /^[A-Za-z0-9+/]{22}==$/.test(header.trim());
  if (!isBase64Of16) throw errors.invalidDigest(header);
  return Buffer.from(header.trim(), "base64");
}

function partNumberOf(text: string | undefined): number {
  const partNumber = Number(text);
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10_000) throw errors.invalidPartNumber();
  return partNumber;
}

function keyOfPath(pathname: string): string {
  let key: string;
  try {
    key = decodeURIComponent(pathname.slice(1));
  } catch {
    throw errors.invalidUri();
  }
  if (key === "") throw errors.noKey();
  return key;
}

/** The request's URL; a request line that isn't one reaches the handler as `/`, which answers 400. */
function urlOf(target: string | undefined): URL {
  try {
    return new URL(target ?? "/", "http://127.0.0.1");
  } catch {
    return new URL("http://127.0.0.1/");
  }
}

function decodedPath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

function headersOf(request: IncomingMessage): Record<string, string> {
  return Object.fromEntries(
    Object.entries(request.headers)
      .filter((entry): entry is [string, string | string[]] => entry[1] !== undefined)
      .map(([name, value]) => [name, Array.isArray(value) ? value.join(", ") : value]),
  );
}

function lowerCaseNames(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

/** HTTP dates have whole seconds; so does S3's Last-Modified. */
function wholeSeconds(ms: number): Date {
  return new Date(Math.floor(ms / 1000) * 1000);
}
