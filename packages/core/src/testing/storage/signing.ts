/**
 * The query signature of the loopback storage server: shaped like S3's SigV4 presigned URLs (the same
 * query parameters, a signature over method, key, sorted query and signed headers), signed with one
 * HMAC over a server secret instead of AWS's derived keys, since only this server ever checks it.
 */
import { createHmac } from "node:crypto";

export const ALGORITHM = "AWS4-HMAC-SHA256";
/** The longest X-Amz-Expires S3 accepts: seven days. */
export const MAX_EXPIRES_IN = 604_800;
const ACCESS_KEY_ID = "LOOPBACKSTORAGEKEY";
const REGION = "us-east-1";

/** What a signature covers. `headers` holds the signed headers by lower-case name, `host` among them. */
export interface SignedRequest {
  method: string;
  key: string;
  query: Record<string, string>;
  headers: Record<string, string>;
}

/** `YYYYMMDDTHHMMSSZ`, the X-Amz-Date format. */
export function amzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/** The time an X-Amz-Date names, or undefined when it isn't one. */
export function parseAmzDate(text: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match;
  const date = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export function credentialScope(date: Date): string {
  return `${ACCESS_KEY_ID}/${amzDate(date).slice(0, 8)}/${REGION}/s3/aws4_request`;
}

/** The path of a key, each segment percent-encoded (a key may hold slashes, as in S3). */
export function pathOfKey(key: string): string {
  return `/${key.split("/").map(encodeURIComponent).join("/")}`;
}

/** The query as a URL carries it and the signature covers it: sorted by name, RFC 3986-encoded. */
export function canonicalQuery(query: Record<string, string>): string {
  return Object.keys(query)
    .sort()
    .map((name) => `${encodeRfc3986(name)}=${encodeRfc3986(query[name]!)}`)
    .join("&");
}

export function signatureOf(secret: Buffer, request: SignedRequest): string {
  return createHmac("sha256", secret).update(canonicalRequest(request)).digest("hex");
}

function canonicalRequest({ method, key, query, headers }: SignedRequest): string {
  const names = Object.keys(headers).sort();
  const unsignedQuery = Object.fromEntries(Object.entries(query).filter(([name]) => name !== "X-Amz-Signature"));
  return [method, pathOfKey(key), canonicalQuery(unsignedQuery), ...names.map((name) => `${name}:${headers[name]!.trim()}`), names.join(";")].join(
    "\n",
  );
}

function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}
