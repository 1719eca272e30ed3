/**
 * Errors of the storage leg (S3, R2, GCS, Azure answering a presigned URL) and of provider tasks. They live
 * apart from the API errors so that an app which never touches storage bundles none of this.
 */
import { type ErrorDetails, PresignError } from "../errors.js";
import { createRedactor, redactUrl } from "../redact.js";

/** What a storage error means, as one word a program can switch on. */
export type StorageErrorCode =
  | "expired"
  | "access_denied"
  | "signature_mismatch"
  | "not_found"
  | "clock_skew"
  | "bad_digest"
  | "no_such_upload"
  | "entity_too_small"
  | "precondition_failed"
  | "etag_not_exposed"
  | "other";

/** Which storage answered, guessed from the URL (and response headers). */
export type StorageKind = "s3" | "gcs" | "azure" | "unknown";

/** The request a storage error is about: its method and URL (redacted before it is kept). */
export interface StorageRequest {
  /** "GET", "PUT"… */
  method: string;
  /** The URL as sent, signature included: StorageError keeps it redacted only. */
  url: string;
}

/** What a StorageError says; `provider` defaults to "storage". */
export interface StorageErrorDetails extends Omit<ErrorDetails, "provider" | "code" | "request"> {
  /** Who the error names as its provider (default "storage"). */
  provider?: string;
  /** What the storage's answer means. */
  code: StorageErrorCode;
  /** The storage's own error code, as sent ("RequestExpired", "SignatureDoesNotMatch", "BlobNotFound"…). */
  storageCode?: string;
  /** Which storage answered. */
  storage: StorageKind;
  /** The request refused. */
  request: StorageRequest;
}

/**
 * A storage host (not the provider's API) refused a presigned-URL request, or its answer was unusable.
 * `code` says what it means; `storageCode` is the storage's own word for it.
 */
export class StorageError extends PresignError {
  /** Always "storage": apart from the API's kinds, so `switch (error.kind)` tells the two legs apart. */
  declare readonly kind: "storage";
  /** What the storage's answer means, as one word a program can switch on. */
  declare readonly code: StorageErrorCode;
  /** The storage's own error code, as sent ("RequestExpired", "SignatureDoesNotMatch"…). */
  declare readonly storageCode?: string;
  /** Which storage answered, guessed from the URL. */
  declare readonly storage: StorageKind;
  /** Method and URL of the request, with signatures redacted. */
  declare readonly request: string;

  constructor(message: string, { request, provider = "storage", ...details }: StorageErrorDetails) {
    super(message, { ...details, provider, request: describeRequest(request) });
    // Set here, not on the prototype by a static block as the API errors are: a bundler keeps a class with
    // a static block even in an app that never uses it.
    Object.assign(this, { kind: "storage" });
  }

  /** Spelled out: a minifier renames classes. */
  override get name(): string {
    return "StorageError";
  }
}

/** An asynchronous provider task (a Spaaza export) ended in error; `logs` are the task's own log lines, redacted. */
export class TaskFailedError extends PresignError {
  /** Always "task_failed". */
  declare readonly kind: "task_failed";
  /** The task's log lines, secrets removed. */
  declare readonly logs: string[];

  constructor(message: string, { logs = [], ...details }: ErrorDetails & { logs?: string[] }) {
    super(message, details);
    Object.assign(this, { kind: "task_failed", logs });
  }

  /** Spelled out: a minifier renames classes. */
  override get name(): string {
    return "TaskFailedError";
  }
}

/** What each code means to the user, and what to do about it. */
const MEANINGS: Record<StorageErrorCode, string> = {
  expired: "the presigned URL has expired; get a fresh one",
  access_denied: "the storage denied access (the URL may be for another object or method, or its signer may not do this)",
  signature_mismatch:
    "the request does not match the URL's signature: a header the URL was signed with differs (Content-Type, Content-MD5…), or the method",
  not_found: "the object does not exist at this URL",
  clock_skew: "this machine's clock is too far from the storage's; synchronise it (NTP)",
  bad_digest: "the bytes sent do not match the Content-MD5 or checksum the URL was signed with",
  no_such_upload: "the multipart upload no longer exists (completed, aborted or expired)",
  entity_too_small: "a part other than the last is smaller than the storage allows (5 MiB on S3)",
  precondition_failed: "the object changed on the storage since the transfer started (If-Match failed)",
  etag_not_exposed: "the storage's response hides the ETag; in a browser, the bucket's CORS rule needs ExposeHeaders: ETag",
  other: "the storage refused the request",
};

/** Longest kept excerpt of a storage message, of the request line, and the most messages kept. */
const MESSAGE_EXCERPT = 300;
const REQUEST_EXCERPT = 600;
const MAX_MESSAGES = 4;

/** The request as it appears in an error: its method and redacted URL, cut to an excerpt. */
function describeRequest({ method, url }: StorageRequest): string {
  const line = `${method} ${redactUrl(url)}`;
  return line.length > REQUEST_EXCERPT ? `${line.slice(0, REQUEST_EXCERPT)}…` : line;
}

/**
 * Builds a StorageError whose message says who answered, what it means (or `what`, when the code does not say
 * enough) and for which request:
 * `s3 403: the presigned URL has expired; get a fresh one [RequestExpired] (GET https://…?X-Amz-Signature=[REDACTED], 1 attempt)`.
 */
export function storageError({ what, ...details }: StorageErrorDetails & { what?: string }): StorageError {
  const { storage, status, code, storageCode, attempts, request } = details;
  const who = storage === "unknown" ? "storage" : storage;
  const tries = attempts ? `, ${attempts} attempt${attempts === 1 ? "" : "s"}` : "";
  const raw = storageCode ? ` [${storageCode}]` : "";
  const message = `${who}${status === undefined ? "" : ` ${status}`}: ${what ?? MEANINGS[code]}${raw} (${describeRequest(request)}${tries})`;
  return new StorageError(message, details);
}

/** Which storage a URL (or, failing that, a response) belongs to. */
export function storageOf(url: string, headers?: Headers): StorageKind {
  const lower = url.toLowerCase();
  const host = hostOf(url);
  if (host.endsWith(".blob.core.windows.net") || (/[?&]sig=/.test(lower) && /[?&]se=/.test(lower))) return "azure";
  if (host === "storage.googleapis.com" || host.endsWith(".storage.googleapis.com") || /[?&]x-goog-/.test(lower)) return "gcs";
  if (/[?&]x-amz-/.test(lower) || host.endsWith(".amazonaws.com") || host.endsWith(".r2.cloudflarestorage.com")) return "s3";
  if (headers?.has("x-ms-request-id")) return "azure";
  if (headers?.has("x-guploader-uploadid")) return "gcs";
  if (headers?.has("x-amz-request-id")) return "s3";
  return "unknown";
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return "";
  }
}

/** Most of an error body read: S3 and Azure errors fit in a few hundred bytes; the rest is a hostile or confused server. */
const MAX_BODY_BYTES = 65_536; // a literal: a bundler keeps `64 * 1024` in every app, used or not
/** Longest wait for an error body: a server may send headers and then nothing. */
const BODY_TIMEOUT_MS = 10_000;

/**
 * The typed error a storage response stands for, read from at most 64 KiB of its body (S3/R2/GCS/Azure XML;
 * anything else still gives the status). Never rejects; messages are redacted (URL signatures and every query
 * value of the request URL) and cut to excerpts.
 */
export async function storageErrorOf(response: Response, request: StorageRequest, attempts: number): Promise<StorageError> {
  const text = await readErrorBody(response);
  const body = parseErrorXml(text);
  const storageCode = body.code ?? response.headers.get("x-ms-error-code") ?? undefined;
  const redact = createRedactor(queryValues(request.url));
  const messages = body.messages.slice(0, MAX_MESSAGES).map((message) => redactSignatures(redact(message, MESSAGE_EXCERPT)));
  const requestId = body.requestId ?? requestIdOf(response.headers);
  return storageError({
    status: response.status,
    code: codeOf(response.status, storageCode, messages.join(" ")),
    storageCode: storageCode === undefined ? undefined : redact(storageCode, 80),
    storage: storageOf(request.url, response.headers),
    messages,
    requestId: requestId === undefined ? undefined : redact(requestId, 120),
    request,
    attempts,
  });
}

/** The storage's code and text, mapped to what they mean. */
function codeOf(status: number, storageCode: string | undefined, text: string): StorageErrorCode {
  switch (storageCode) {
    case "RequestExpired":
    case "ExpiredToken":
      return "expired";
    case "AccessDenied":
      return /request has expired/i.test(text) ? "expired" : "access_denied";
    case "AuthenticationFailed":
      // Azure says which: "Signed expiry time [...]" / "Signature not valid in the specified time frame" vs "Signature did not match".
      if (/expir|time frame/i.test(text)) return "expired";
      return /signature/i.test(text) ? "signature_mismatch" : "access_denied";
    case "AuthorizationFailure":
    case "AuthorizationPermissionMismatch":
      return "access_denied";
    case "SignatureDoesNotMatch":
      return "signature_mismatch";
    case "NoSuchKey":
    case "NoSuchBucket":
    case "BlobNotFound":
    case "ContainerNotFound":
      return "not_found";
    case "RequestTimeTooSkewed":
      return "clock_skew";
    case "BadDigest":
    case "InvalidDigest":
    case "Md5Mismatch":
    case "XAmzContentSHA256Mismatch":
      return "bad_digest";
    case "NoSuchUpload":
      return "no_such_upload";
    case "EntityTooSmall":
      return "entity_too_small";
    case "PreconditionFailed":
    case "ConditionNotMet":
      return "precondition_failed";
  }
  return codeOfStatus(status);
}

/** For a body that names no known code (HTML, JSON, nothing): what the status alone says. */
function codeOfStatus(status: number): StorageErrorCode {
  if (status === 403) return "access_denied";
  if (status === 404) return "not_found";
  if (status === 412) return "precondition_failed";
  return "other";
}

/** Reads the start of a body as text, never more than 64 KiB nor longer than 10 s; a broken body reads as what arrived. */
async function readErrorBody(response: Response): Promise<string> {
  let reader: ReadableStreamDefaultReader<Uint8Array>;
  try {
    if (!response.body) return "";
    reader = response.body.getReader();
  } catch {
    return ""; // already read or locked
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, BODY_TIMEOUT_MS);
  });
  const readAll = async () => {
    while (size < MAX_BODY_BYTES) {
      const { done, value } = await reader.read();
      if (done) return;
      chunks.push(value);
      size += value.byteLength;
    }
  };
  try {
    await Promise.race([readAll(), timeout]);
  } catch {
    // A connection that broke mid-body: keep what arrived.
  } finally {
    clearTimeout(timer);
    reader.cancel().catch(() => {});
  }
  return decodeStart(chunks, MAX_BODY_BYTES);
}

function decodeStart(chunks: Uint8Array[], limit: number): string {
  const decoder = new TextDecoder();
  let text = "";
  let left = limit;
  for (const chunk of chunks) {
    if (left <= 0) break;
    text += decoder.decode(chunk.subarray(0, left), { stream: true });
    left -= chunk.byteLength;
  }
  return text + decoder.decode();
}

interface ErrorBody {
  code?: string;
  messages: string[];
  requestId?: string;
}

/**
 * The fields of an `<Error>` document: S3/R2 `Code`, `Message`, `RequestId`; GCS `Details`; Azure
 * `AuthenticationErrorDetail`. Never `StringToSign`, `CanonicalRequest` or `AWSAccessKeyId`, which S3 echoes.
 */
function parseErrorXml(text: string): ErrorBody {
  if (!text.includes("<Error")) return { messages: [] };
  const code = elementText(text, "Code");
  const messages = ["Message", "Details", "AuthenticationErrorDetail"].flatMap((name) => elementText(text, name) ?? []).filter(Boolean);
  return { code: code || undefined, messages, requestId: elementText(text, "RequestId") || undefined };
}

/** The text of the first `<name>…</name>`, found with indexOf: a regex could be made to crawl by a hostile body. */
function elementText(xml: string, name: string): string | undefined {
  const open = `<${name}>`;
  const start = xml.indexOf(open);
  if (start < 0) return undefined;
  const end = xml.indexOf(`</${name}>`, start + open.length);
  if (end < 0) return undefined;
  return decodeXmlEntities(xml.slice(start + open.length, end)).trim();
}

const NAMED_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decodeXmlEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);/gi, (entity, name: string) => {
    if (name[0] !== "#") return NAMED_ENTITIES[name.toLowerCase()] ?? entity;
    const point = name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
    return point <= 0x10ffff ? String.fromCodePoint(point) : entity;
  });
}

/** Every query value of the request URL: a storage may echo any of them (the signature, a token, the credential). */
function queryValues(url: string): string[] {
  try {
    return [...new URL(url).searchParams.values()];
  } catch {
    return [];
  }
}

/** Long hex or base64 runs look like a signature or key, wherever they came from. */
const SIGNATURE_LIKE = /[0-9a-f]{40,}|[A-Za-z0-9+/_-]{48,}={0,2}/gi;

const redactSignatures = (text: string) => text.replace(SIGNATURE_LIKE, "[REDACTED]");

const REQUEST_ID_HEADERS = ["x-amz-request-id", "x-ms-request-id", "x-guploader-uploadid"];

function requestIdOf(headers: Headers): string | undefined {
  return REQUEST_ID_HEADERS.map((name) => headers.get(name)).find(Boolean) ?? undefined;
}
