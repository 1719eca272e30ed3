/**
 * A method's input, checked against its operation's fields and sorted into what openapi-fetch
 * sends: path, query and header parameters, and the JSON body. Every problem is reported at once.
 */
import type { OperationDefinition, Place } from "./definition.js";
import { HEADER_SAFE } from "./request.js";
import { MAX_PROBLEMS, validate } from "./validate.js";

/** The input sorted by where it goes, keyed by wire name. */
export interface RequestParts {
  params: { path: Record<string, unknown>; query: Record<string, unknown>; header: Record<string, string> };
  /** The JSON body, when the operation sends one. */
  body?: Record<string, unknown>;
}

/** The parts of a request, or every problem of the input (at most MAX_PROBLEMS). */
export type Serialized = { parts: RequestParts; problems?: undefined } | { parts?: undefined; problems: string[] };

const has = (object: object, key: string) => Object.hasOwn(object, key);

export function serializeInput(operation: OperationDefinition, input: unknown): Serialized {
  if (typeof input !== "object" || !input || Array.isArray(input)) return { problems: ["input: expected an object"] };
  const values = input as Record<string, unknown>;
  const sorted: Record<Place, Record<string, unknown>> = { path: {}, query: {}, header: {}, body: {} };
  const problems: string[] = [];
  const unknown = new Set(Object.keys(values).filter((key) => values[key] !== undefined));
  for (const field of operation.fields) {
    unknown.delete(field.key);
    const value = has(values, field.key) ? values[field.key] : undefined;
    if (value === undefined) {
      if (field.required) problems.push(`${field.key}: is required`);
      continue;
    }
    problems.push(...fieldProblems(field, value));
    sorted[field.in][field.name] = value;
  }
  for (const key of unknown) problems.push(`${key}: is not a known field`);
  if (problems.length) return { problems: problems.slice(0, MAX_PROBLEMS) };
  const { path, query, header, body } = sorted;
  return { parts: { params: { path, query, header: header as Record<string, string> }, body: operation.json ? body : undefined } };
}

/** What is wrong with one field's value: its schema, then what its place on the wire cannot carry. */
function fieldProblems(field: OperationDefinition["fields"][number], value: unknown): string[] {
  const found = validate(value, field.schema, field.key);
  if (found.length) return found;
  // "." and ".." survive percent-encoding as dot segments and would change the path.
  if (field.in === "path" && (value === "." || value === "..")) return [`${field.key}: cannot be "." or ".."`];
  // Checked here too: building the request's Headers would throw a bare TypeError on CR/LF.
  if (field.in === "header" && !HEADER_SAFE.test(value as string)) return [`${field.key}: contains characters a header cannot carry`];
  return found;
}
