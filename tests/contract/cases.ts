/**
 * What the contract suite derives from each spec: the request a sample input must produce, the
 * bounds of each numeric input, requests bent to break the spec in one place, and what a spec must
 * gain when an operation cannot be exercised.
 */
import type { SpecInput } from "../../test-support/providers.ts";
import type { Operation } from "../providers.ts";

const inputKey = (op: Operation, input: SpecInput) => op.keys.get(`${input.in}:${input.name}`);

/** The request a call with `input` must send: path with its parameters, query parameters, header names. */
export function expectedRequest(op: Operation, input: Record<string, unknown>) {
  const given = (i: SpecInput) => {
    const key = inputKey(op, i);
    return key !== undefined && input[key] !== undefined ? input[key] : undefined;
  };
  const path = op.inputs.filter((i) => i.in === "path").reduce((at, i) => at.replace(`{${i.name}}`, encodeURIComponent(String(given(i)))), op.path);
  const query: Record<string, string> = {};
  for (const i of op.inputs.filter((i) => i.in === "query" && given(i) !== undefined)) query[i.name] = String(given(i));
  const headers = op.inputs.filter((i) => i.in === "header").map((i) => ({ name: i.name.toLowerCase(), sent: given(i) !== undefined }));
  return { path, query, headers };
}

/** Values of a top-level numeric input at its bounds, and just past them (plus a fraction for an integer). */
export function boundsOf(input: SpecInput): { inside: number[]; outside: number[] } | undefined {
  const { type, minimum, maximum } = input.schema;
  if ((type !== "integer" && type !== "number") || (minimum === undefined && maximum === undefined)) return undefined;
  const inside = [minimum, maximum].filter((b): b is number => typeof b === "number");
  const outside = [minimum === undefined ? undefined : minimum - 1, maximum === undefined ? undefined : maximum + 1].filter(
    (b): b is number => b !== undefined,
  );
  if (type === "integer") outside.push(inside[0]! + 0.5);
  return { inside, outside };
}

/** The inputs whose schema says integer, for a "wrong type" request. */
export const integerInputs = (op: Operation) => op.inputs.filter((i) => i.schema.type === "integer" && i.in !== "header");

/**
 * The same request with one input replaced on the wire (a client bug in miniature), so that
 * Prism's answer shows the spec forbids that value. `undefined` drops a body field.
 */
export async function rewrite(request: Request, op: Operation, input: SpecInput, value: unknown): Promise<Request> {
  const url = new URL(request.url);
  const headers = new Headers(request.headers);
  let body = request.body ? await request.clone().text() : undefined;
  if (input.in === "path") {
    const segments = url.pathname.split("/");
    segments[op.path.split("/").indexOf(`{${input.name}}`)] = encodeURIComponent(String(value));
    url.pathname = segments.join("/");
  } else if (input.in === "query") {
    url.searchParams.set(input.name, String(value));
  } else if (input.in === "header") {
    headers.set(input.name, String(value));
  } else {
    body = JSON.stringify({ ...JSON.parse(body ?? "{}"), [input.name]: value });
  }
  return new Request(url, { method: request.method, headers, body });
}

/** The same request with a new JSON body. */
export const withBody = (request: Request, body: unknown) => new Request(request, { body: JSON.stringify(body) });

/** What the spec must gain so that this operation can be called and checked, each with where it goes. */
export function missingExamples(op: Operation): string[] {
  const hints = op.unsampled.map(
    (i) => `required ${i.in} input ${i.name} has no example and its schema gives no value: add an \`example\` at ${i.where}`,
  );
  if (op.success.json && !op.success.exampled)
    hints.push(`the ${op.success.status} response has no example: add an \`example\` at ${op.success.where}`);
  return hints;
}
