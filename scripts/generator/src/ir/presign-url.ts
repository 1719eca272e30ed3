/**
 * `x-presign-url` (operation): where the presigned URL, or the part URLs, of the success body sit;
 * the method they are signed for; where their expiry comes from; and which headers the signature
 * binds, read from the request body. Every pointer is checked against the spec's own examples: one
 * that finds nothing in the example would find nothing on the wire either.
 */
import { isObject } from "../spec/document.js";
import { isJsonPointer, valueAt } from "../spec/pointer.js";
import { child, type Problems } from "../spec/problems.js";
import { optional } from "./optional.js";
import type { Example, PresignedUrlIR } from "./types.js";

const KEYS = ["method", "url", "parts", "expiresAt", "expiresIn", "lifetime", "headers", "partHeaders"];
const PARTS_KEYS = ["at", "number", "url", "size"];
const PART_HEADERS_KEYS = ["at", "number", "headers"];
const METHODS = ["GET", "PUT"] as const;
/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const PART_NUMBER_KEY = /^[1-9][0-9]*$/;

/** The examples an operation's pointers are checked against: its success body and its JSON request body. */
export interface PresignExamples {
  response?: Example;
  request?: Example;
}

/** Where a pointer points: into the success body, or into the request body as sent. */
type Target = "response" | "request";
const TARGET_NAME: Record<Target, string> = { response: "the success response's example", request: "the request body's example" };
const NO_EXAMPLE: Record<Target, string> = { response: "the success response has no example", request: "the request body has no example" };

interface Reading {
  problems: Problems;
  examples: PresignExamples;
}

const isUrl = (value: unknown) => typeof value === "string" && /^https?:\/\/[^\s/]+/.test(value);
const isPartNumber = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 1;
const isSize = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;
const isName = (value: unknown): value is string => typeof value === "string" && value.length > 0;

/** How a value reads in a problem: `a list`, `the number 42`, `null`. */
function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  return `the ${typeof value} ${JSON.stringify(value)}`;
}

/** The operation's `x-presign-url`, checked; undefined when it has none (or it is not an object). */
export function readPresignUrl(raw: unknown, pointer: string, problems: Problems, examples: PresignExamples): PresignedUrlIR | undefined {
  if (raw === undefined) return undefined;
  if (!isObject(raw)) {
    problems.add(pointer, "x-presign-url must be an object: { method, url | parts, … }");
    return undefined;
  }
  const reading: Reading = { problems, examples };
  unknownKeys(raw, KEYS, pointer, problems);
  if (raw.url === undefined && raw.parts === undefined) problems.add(pointer, "x-presign-url needs `url` (one URL) or `parts` (part URLs)");
  if (raw.url !== undefined && raw.parts !== undefined) problems.add(pointer, "x-presign-url has both `url` and `parts`: give one");
  if (raw.partHeaders !== undefined && raw.parts === undefined) problems.add(child(pointer, "partHeaders"), "goes with `parts` only");
  return {
    method: readMethod(raw.method, child(pointer, "method"), problems),
    ...optional("url", raw.url === undefined ? undefined : readUrl(raw.url, child(pointer, "url"), reading)),
    ...optional("parts", raw.parts === undefined ? undefined : readParts(raw.parts, child(pointer, "parts"), reading)),
    ...optional("expiresAt", raw.expiresAt === undefined ? undefined : readExpiresAt(raw.expiresAt, child(pointer, "expiresAt"), reading)),
    ...optional("expiresIn", raw.expiresIn === undefined ? undefined : readExpiresIn(raw.expiresIn, child(pointer, "expiresIn"), reading)),
    ...optional("lifetime", raw.lifetime === undefined ? undefined : readLifetime(raw.lifetime, child(pointer, "lifetime"), problems)),
    ...optional("headers", raw.headers === undefined ? undefined : readHeaders(raw.headers, child(pointer, "headers"), reading)),
    ...optional("partHeaders", raw.partHeaders === undefined ? undefined : readPartHeaders(raw.partHeaders, child(pointer, "partHeaders"), reading)),
  };
}

function unknownKeys(node: Record<string, unknown>, known: string[], pointer: string, problems: Problems): void {
  for (const key of Object.keys(node)) {
    if (!known.includes(key)) problems.add(pointer, `unknown key "${key}" (known: ${known.join(", ")})`);
  }
}

function readMethod(value: unknown, pointer: string, problems: Problems): PresignedUrlIR["method"] {
  if (METHODS.includes(value as (typeof METHODS)[number])) return value as PresignedUrlIR["method"];
  problems.add(pointer, `must be ${METHODS.join(" or ")}: the method the URL is signed for`);
  return "GET";
}

/**
 * Checks that `value` is a JSON pointer and that it finds something in the example of `target`;
 * returns what it found there (wrapped: it may be null), reporting why when it cannot.
 */
function findInExample(value: unknown, pointer: string, target: Target, { problems, examples }: Reading): { value: unknown } | undefined {
  if (!isJsonPointer(value)) {
    problems.add(pointer, 'must be a JSON pointer (RFC 6901), such as "/url"');
    return undefined;
  }
  const example = examples[target];
  if (!example) {
    problems.add(pointer, `cannot be checked: ${NO_EXAMPLE[target]} (add one)`);
    return undefined;
  }
  const found = valueAt(example.value, value);
  if (!found) problems.add(pointer, `"${value}" finds nothing in ${TARGET_NAME[target]}`);
  return found;
}

/** A pointer whose value in the example must pass `check`; the pointer itself is what the runtime reads. */
function pointerTo(value: unknown, pointer: string, target: Target, reading: Reading, check: (found: unknown) => boolean, want: string) {
  const found = findInExample(value, pointer, target, reading);
  if (!found) return undefined;
  if (!check(found.value)) reading.problems.add(pointer, `"${value}" is ${kindOf(found.value)} in ${TARGET_NAME[target]}, not ${want}`);
  return value as string;
}

const readUrl = (value: unknown, pointer: string, reading: Reading) => pointerTo(value, pointer, "response", reading, isUrl, "an http(s) URL");

const readExpiresAt = (value: unknown, pointer: string, reading: Reading) =>
  pointerTo(value, pointer, "response", reading, (found) => typeof found === "string" && !Number.isNaN(Date.parse(found)), "a date-time");

const readExpiresIn = (value: unknown, pointer: string, reading: Reading) =>
  pointerTo(value, pointer, "response", reading, (found) => typeof found === "number" && Number.isFinite(found) && found >= 0, "a number of seconds");

function readLifetime(value: unknown, pointer: string, problems: Problems): number | undefined {
  if (typeof value === "number" && Number.isFinite(value) && value > 0) return value;
  problems.add(pointer, "must be a positive number of seconds");
  return undefined;
}

/** The names of a part list's item fields (`{ number, upload_url, size }` items: number, url, size). */
interface PartFields {
  number?: string;
  url?: string;
  size?: string;
}

/** `parts`: a map keyed by part number (`{ "1": url }`), or a list whose items name their number, URL and size. */
function readParts(value: unknown, pointer: string, reading: Reading): PresignedUrlIR["parts"] {
  const { problems } = reading;
  if (!isObject(value)) {
    problems.add(pointer, "must be an object: { at, number?, url?, size? }");
    return undefined;
  }
  unknownKeys(value, PARTS_KEYS, pointer, problems);
  const fields = partFields(value, pointer, problems);
  const atPointer = child(pointer, "at");
  const found = findInExample(value.at, atPointer, "response", reading);
  if (found && Array.isArray(found.value)) checkPartList(found.value, fields, pointer, problems);
  else if (found && isObject(found.value)) checkPartMap(found.value, fields, pointer, problems);
  else if (found)
    problems.add(atPointer, `"${value.at}" is ${kindOf(found.value)} in ${TARGET_NAME.response}, not a list of parts or a map keyed by part number`);
  return { at: value.at as string, ...fields };
}

/** The field names `parts` gives, each a non-empty string (the others reported and left out). */
function partFields(value: Record<string, unknown>, pointer: string, problems: Problems): PartFields {
  const fields: PartFields = {};
  for (const key of ["number", "url", "size"] as const) {
    const name = value[key];
    if (isName(name)) fields[key] = name;
    else if (name !== undefined) problems.add(child(pointer, key), "must be the name of a field of each part");
  }
  return fields;
}

function checkPartMap(map: Record<string, unknown>, fields: PartFields, pointer: string, problems: Problems): void {
  if (Object.keys(fields).length) {
    problems.add(pointer, "names fields of each part, but `at` finds a map keyed by part number: leave out number, url and size");
  }
  for (const [key, url] of Object.entries(map)) {
    if (!PART_NUMBER_KEY.test(key) || !isUrl(url)) {
      problems.add(child(pointer, "at"), `in ${TARGET_NAME.response}, "${key}" is not a part number (1, 2, …) with an http(s) URL`);
    }
  }
}

function checkPartList(items: unknown[], fields: PartFields, pointer: string, problems: Problems): void {
  const { number, url, size } = fields;
  if (!number || !url) {
    problems.add(pointer, "a list of parts needs `number` and `url`: the names of each item's part number and URL");
    return;
  }
  items.forEach((item, index) => {
    const part = isObject(item) ? item : {};
    const wrong = [
      isPartNumber(part[number]) ? undefined : `${number} is not a part number`,
      isUrl(part[url]) ? undefined : `${url} is not an http(s) URL`,
      size === undefined || isSize(part[size]) ? undefined : `${size} is not a size in bytes`,
    ].filter(Boolean);
    if (wrong.length) problems.add(child(pointer, "at"), `in ${TARGET_NAME.response}, part ${index}: ${wrong.join(", ")}`);
  });
}

/** `headers`: each header the storage request must carry, read from the request body. */
function readHeaders(value: unknown, pointer: string, reading: Reading): Record<string, string> | undefined {
  if (!isObject(value)) {
    reading.problems.add(pointer, 'must map header names to pointers into the request body, such as { Content-Type: "/content_type" }');
    return undefined;
  }
  const headers: Record<string, string> = {};
  for (const [name, at] of Object.entries(value)) {
    const headerPointer = child(pointer, name);
    if (!HEADER_NAME.test(name)) reading.problems.add(headerPointer, "is not an HTTP header name");
    const found = pointerTo(at, headerPointer, "request", reading, (v) => typeof v === "string", "a header value (a string)");
    if (found) headers[name] = found;
  }
  return headers;
}

/** `partHeaders`: per-part headers, read from the request body's list of parts (Datadog's `parts[].md5`). */
function readPartHeaders(value: unknown, pointer: string, reading: Reading): PresignedUrlIR["partHeaders"] {
  const { problems } = reading;
  if (!isObject(value) || !isObject(value.headers) || !isName(value.number)) {
    problems.add(pointer, 'must be an object: { at, number, headers: { Content-MD5: "md5" } }');
    return undefined;
  }
  unknownKeys(value, PART_HEADERS_KEYS, pointer, problems);
  const headers: Record<string, string> = {};
  for (const [name, field] of Object.entries(value.headers)) {
    if (HEADER_NAME.test(name) && isName(field)) headers[name] = field;
    else problems.add(child(child(pointer, "headers"), name), "must map a header name to a field of each part");
  }
  const atPointer = child(pointer, "at");
  const found = findInExample(value.at, atPointer, "request", reading);
  if (found && Array.isArray(found.value)) {
    found.value.forEach((item, index) => {
      const wrong = partHeaderProblems(isObject(item) ? item : {}, value.number as string, Object.values(headers));
      if (wrong.length) problems.add(atPointer, `in ${TARGET_NAME.request}, part ${index}: ${wrong.join(", ")}`);
    });
  } else if (found) problems.add(atPointer, `"${value.at}" is ${kindOf(found.value)} in ${TARGET_NAME.request}, not a list of parts`);
  return { at: value.at as string, number: value.number, headers };
}

/** What a part of the request lacks: its number, or a value for one of the headers. */
function partHeaderProblems(part: Record<string, unknown>, number: string, fields: string[]): string[] {
  return [
    isPartNumber(part[number]) ? undefined : `${number} is not a part number`,
    ...fields.map((field) => (typeof part[field] === "string" ? undefined : `${field} is not a header value`)),
  ].filter((problem): problem is string => problem !== undefined);
}
