/**
 * One presigned-URL value for every provider: the URL, the method and headers it is signed for, and when
 * it expires, read from a generated method's result with its operation's `x-presign-url` descriptor.
 */
import type { PresignedUrlDefinition } from "../definition.js";
import { describeError, type PresignError } from "../errors.js";
import { type RememberedResult, recallPresigned } from "./remember.js";

/** Where `expiresAt` came from: the provider's response, the URL's own parameters, the provider's docs, or nowhere. */
export type ExpirySource = "response" | "url" | "documented" | "unknown";

/** A presigned URL, normalized: send `method` to `url` with exactly `headers`, before `expiresAt`. */
export interface PresignedUrl {
  /** The URL, signature included: a secret until it expires (log it through `redactUrl`). */
  url: string;
  /** The method the URL is signed for. */
  method: "GET" | "PUT";
  /** Headers the signature binds or the provider requires; send them as they are. */
  headers: Record<string, string>;
  /** When the URL stops working, if anything says so (temporary signing credentials may end it sooner). */
  expiresAt?: Date;
  /** Where `expiresAt` came from ("unknown": nothing said). */
  expiresAtSource: ExpirySource;
}

/** One part URL of a multipart upload. */
export interface PresignedPart extends PresignedUrl {
  /** The part's number (from 1), as the storage's multipart upload counts. */
  partNumber: number;
  /** The part's size in bytes, when the provider chose it. */
  size?: number;
}

/**
 * The normalized presigned URL of a result returned by a generated method whose operation answers with one
 * (`x-presign-url` in its spec). Throws an InvalidRequestError for any other object, a MalformedResponseError
 * when the result has no URL where the spec says.
 */
export function presigned(result: object): PresignedUrl {
  const facts = recall(result, "presigned");
  const { definition, provider } = facts;
  if (!definition.url) throw invalid(provider, "this result has part URLs: read them with presignedParts()");
  const url = valueAt(result, definition.url);
  if (typeof url !== "string" || !isHttpUrl(url)) throw malformed(provider, `the response has no presigned URL at ${definition.url}`);
  return normalize({ url, headers: signedHeaders(facts) }, result, facts);
}

/** The part URLs of a result of a multipart operation (`parts` in its `x-presign-url`), sorted by part number. */
export function presignedParts(result: object): PresignedPart[] {
  const facts = recall(result, "presignedParts");
  const { definition, provider } = facts;
  if (!definition.parts) throw invalid(provider, "this result has one URL: read it with presigned()");
  const headers = signedHeaders(facts);
  const perPart = partHeaders(facts);
  const parts = partsAt(result, definition.parts, provider).map(({ partNumber, url, size }) => ({
    ...normalize({ url, headers: { ...headers, ...perPart.get(partNumber) } }, result, facts),
    partNumber,
    ...(size === undefined ? {} : { size }),
  }));
  return parts.sort((a, b) => a.partNumber - b.partNumber);
}

/**
 * When a presigned URL expires, by its own parameters: SigV4 `X-Amz-Date` + `X-Amz-Expires`, GCS `X-Goog-Date` +
 * `X-Goog-Expires`, Azure SAS `se=` (with `sig=`), or a V2 signature's `Expires` (epoch seconds). Undefined when it
 * does not say, or says it in a malformed way.
 */
export function expiryOfUrl(url: string): Date | undefined {
  const params = lowerCaseParams(url);
  if (!params) return undefined;
  return (
    signedAtPlus(params.get("x-amz-date"), params.get("x-amz-expires")) ??
    signedAtPlus(params.get("x-goog-date"), params.get("x-goog-expires")) ??
    azureExpiry(params) ??
    v2Expiry(params)
  );
}

/** What the client remembered of a result, or an InvalidRequestError saying which results can be normalized. */
function recall(result: object, caller: string): RememberedResult {
  const facts = Object(result) === result ? recallPresigned(result) : undefined;
  if (facts) return facts;
  throw invalid(
    "presign",
    `${caller}() reads only the result of a generated method that returns a presigned URL (an operation with x-presign-url), as that method returned it`,
  );
}

const invalid = (provider: string, what: string): PresignError => describeError("invalid_request", what, { provider });
const malformed = (provider: string, what: string): PresignError => describeError("malformed_response", what, { provider });

/** The expiry ladder: the response, then the URL, then the documented lifetime, else unknown. */
function normalize({ url, headers }: { url: string; headers: Record<string, string> }, result: object, facts: RememberedResult): PresignedUrl {
  const method = facts.definition.method;
  const fromResponse = expiryInResponse(result, facts);
  if (fromResponse) return { url, method, headers, expiresAt: fromResponse, expiresAtSource: "response" };
  const fromUrl = expiryOfUrl(url);
  if (fromUrl) return { url, method, headers, expiresAt: fromUrl, expiresAtSource: "url" };
  const { lifetime } = facts.definition;
  if (lifetime !== undefined) return { url, method, headers, expiresAt: secondsAfterResponse(lifetime, facts), expiresAtSource: "documented" };
  return { url, method, headers, expiresAtSource: "unknown" };
}

/** `expiresAt` (an absolute date) or `expiresIn` (seconds from the response's Date) in the success body. */
function expiryInResponse(result: object, facts: RememberedResult): Date | undefined {
  const { expiresAt, expiresIn } = facts.definition;
  if (expiresAt) {
    const date = dateOf(valueAt(result, expiresAt));
    if (date) return date;
  }
  if (expiresIn) {
    const seconds = numberOf(valueAt(result, expiresIn));
    if (seconds !== undefined && seconds >= 0) return secondsAfterResponse(seconds, facts);
  }
  return undefined;
}

/** Seconds counted from the response's Date header, or from the local clock when it arrived if that header is missing or unreadable. */
function secondsAfterResponse(seconds: number, { date, receivedAt }: RememberedResult): Date {
  const sent = date ? Date.parse(date) : Number.NaN;
  return new Date((Number.isNaN(sent) ? receivedAt : sent) + seconds * 1000);
}

/** An ISO date-time (or epoch seconds or milliseconds) as a Date; undefined when it is not one. */
function dateOf(value: unknown): Date | undefined {
  if (typeof value === "number" && Number.isFinite(value) && value > 0) return new Date(value < 1e11 ? value * 1000 : value);
  const day = typeof value === "string" ? value.match(/^(\d{4})-(\d{2})-(\d{2})/) : null;
  if (!day || !isCalendarDay(Number(day[1]), Number(day[2]), Number(day[3]))) return undefined;
  const time = Date.parse(value as string);
  return Number.isNaN(time) ? undefined : new Date(time);
}

/** Date.parse rolls February 31 over to March: a real day reads back the same. */
function isCalendarDay(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function numberOf(value: unknown): number | undefined {
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof number === "number" && Number.isFinite(number) ? number : undefined;
}

/** Headers read from the request body as sent (Datalab's Content-Type is the `content_type` it asked for). */
function signedHeaders({ definition, body }: RememberedResult): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, pointer] of Object.entries(definition.headers ?? {})) {
    const value = scalarText(valueAt(body, pointer));
    if (value !== undefined) headers[name] = value;
  }
  return headers;
}

/** Per-part headers, read from the request's list of parts (Datadog's Content-MD5 of each part), by part number. */
function partHeaders({ definition, body }: RememberedResult): Map<number, Record<string, string>> {
  const byPart = new Map<number, Record<string, string>>();
  const spec = definition.partHeaders;
  if (!spec) return byPart;
  const items = valueAt(body, spec.at);
  for (const item of Array.isArray(items) ? items : []) {
    const partNumber = partNumberOf(propertyOf(item, spec.number));
    if (partNumber === undefined) continue;
    const headers: Record<string, string> = {};
    for (const [name, property] of Object.entries(spec.headers)) {
      const value = scalarText(propertyOf(item, property));
      if (value !== undefined) headers[name] = value;
    }
    byPart.set(partNumber, headers);
  }
  return byPart;
}

interface PartUrl {
  partNumber: number;
  url: string;
  size?: number;
}

/** The part URLs at `parts.at`: an object keyed by part number (Datadog), or a list of items (Powerdrill). */
function partsAt(result: object, spec: NonNullable<PresignedUrlDefinition["parts"]>, provider: string): PartUrl[] {
  const found = valueAt(result, spec.at);
  const bad = (what: string) => malformed(provider, `the response's part URLs at ${spec.at} ${what}`);
  if (Object(found) !== found) throw bad("are missing");
  const parts: PartUrl[] = Array.isArray(found)
    ? found.map((item) => ({
        partNumber: partNumberOf(propertyOf(item, spec.number ?? "number")) ?? Number.NaN,
        url: propertyOf(item, spec.url ?? "url") as string,
        size: sizeOf(propertyOf(item, spec.size ?? "size")),
      }))
    : Object.entries(found as Record<string, unknown>).map(([key, url]) => ({ partNumber: partNumberOf(key) ?? Number.NaN, url: url as string }));
  const seen = new Set<number>();
  for (const { partNumber, url } of parts) {
    if (Number.isNaN(partNumber)) throw bad("include one without a valid part number");
    if (typeof url !== "string" || !isHttpUrl(url)) throw bad(`give no valid URL for part ${partNumber}`);
    if (seen.has(partNumber)) throw bad(`give part ${partNumber} twice`);
    seen.add(partNumber);
  }
  return parts;
}

/** A part number is a positive integer, given as a number or as digits. */
function partNumberOf(value: unknown): number | undefined {
  const number = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  return typeof number === "number" && Number.isSafeInteger(number) && number > 0 ? number : undefined;
}

function sizeOf(value: unknown): number | undefined {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

function scalarText(value: unknown): string | undefined {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? String(value) : undefined;
}

/** The value at a JSON pointer (RFC 6901), or undefined when any step is missing. */
function valueAt(document: unknown, pointer: string): unknown {
  if (pointer === "") return document;
  let value = document;
  for (const token of pointer.slice(1).split("/")) {
    value = propertyOf(value, token.replaceAll("~1", "/").replaceAll("~0", "~"));
  }
  return value;
}

/** An own property of an object (or an index of an array); never one inherited from a prototype. */
function propertyOf(value: unknown, key: string): unknown {
  if (Object(value) !== value || !Object.hasOwn(value as object, key)) return undefined;
  return (value as Record<string, unknown>)[key];
}

/** Whether the text parses as an http: or https: URL (a presigned URL can be nothing else). */
export function isHttpUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text);
    return protocol === "https:" || protocol === "http:";
  } catch {
    return false;
  }
}

/** The URL's query parameters with lower-case names (S3 and GCS read theirs case-insensitively). */
function lowerCaseParams(url: string): Map<string, string> | undefined {
  let search: URLSearchParams;
  try {
    search = new URL(url).searchParams;
  } catch {
    return undefined;
  }
  const params = new Map<string, string>();
  for (const [name, value] of search) if (!params.has(name.toLowerCase())) params.set(name.toLowerCase(), value);
  return params;
}

/** `YYYYMMDDTHHMMSSZ` plus a whole number of seconds; undefined if either is malformed. */
function signedAtPlus(signedAt: string | undefined, expires: string | undefined): Date | undefined {
  const match = signedAt?.match(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/);
  if (!match || !expires || !/^\d{1,9}$/.test(expires)) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  if (!isCalendarDay(year, month, day) || hour > 23 || minute > 59 || second > 59) return undefined;
  const time = Date.UTC(year, month - 1, day, hour, minute, second);
  return new Date(time + Number(expires) * 1000);
}

/** Azure SAS: `se` is the signed expiry (an ISO date or date-time, UTC); only trusted beside a `sig`. */
function azureExpiry(params: Map<string, string>): Date | undefined {
  const expiry = params.get("se");
  if (!params.has("sig") || !expiry) return undefined;
  return dateOf(expiry);
}

/** A V2 signature (S3 `AWSAccessKeyId`, GCS `GoogleAccessId`): `Expires` is epoch seconds. */
function v2Expiry(params: Map<string, string>): Date | undefined {
  const expires = params.get("expires");
  if (!params.has("signature") || !expires || !/^\d{1,12}$/.test(expires)) return undefined;
  return new Date(Number(expires) * 1000);
}
