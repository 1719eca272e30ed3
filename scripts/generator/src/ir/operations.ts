/** The spec's operations, each with its input fields, retry safety, credentials and responses. */
import type { OperationObject, PathItemObject } from "openapi-typescript";
import type { SpecDocument } from "../spec/document.js";
import { camelCase, HTTP_METHODS, type HttpMethod, pascalCase } from "../spec/names.js";
import { child } from "../spec/problems.js";
import { booleanExtension } from "./extensions.js";
import { bodyFields, mergedParameters, parameterField, requestBodyExample } from "./fields.js";
import { optional } from "./optional.js";
import { readPresignUrl } from "./presign-url.js";
import { readResponses } from "./responses.js";
import type { AuthSchemeIR, FieldIR, OperationIR } from "./types.js";

/** What a path item may hold besides its operations. */
const PATH_ITEM_KEYS = new Set<string>([...HTTP_METHODS, "parameters", "summary", "description"]);

/** Methods HTTP defines as idempotent: sending one twice changes no more than sending it once. */
const IDEMPOTENT_METHODS = new Set<HttpMethod>(["get", "put", "delete"]);

export function readOperations(spec: SpecDocument, auth: AuthSchemeIR[]): OperationIR[] {
  const operations: OperationIR[] = [];
  for (const [path, raw] of Object.entries(spec.doc.paths ?? {})) {
    const item = spec.resolve<PathItemObject>(raw, child("#/paths", path));
    if (!item) continue;
    for (const keyword of Object.keys(item.node)) {
      if (!keyword.startsWith("x-") && !PATH_ITEM_KEYS.has(keyword)) spec.problems.add(item.pointer, `unsupported keyword "${keyword}"`);
    }
    for (const method of HTTP_METHODS) {
      const op = spec.resolve<OperationObject>(item.node[method], child(item.pointer, method));
      if (op)
        operations.push(readOperation(spec, { path, method, item: item.node, itemPointer: item.pointer, op: op.node, pointer: op.pointer }, auth));
    }
  }
  return operations;
}

interface OperationSource {
  path: string;
  method: HttpMethod;
  item: PathItemObject;
  itemPointer: string;
  op: OperationObject;
  pointer: string;
}

function readOperation(spec: SpecDocument, { path, method, item, itemPointer, op, pointer }: OperationSource, auth: AuthSchemeIR[]): OperationIR {
  const id = op.operationId ?? "";
  if (!id) spec.problems.add(pointer, "needs an operationId: it names the method");
  const where = { spec, id, itemPointer, pointer };
  const parameters = mergedParameters(item, op, where).flatMap((p) => parameterField(p, where) ?? []);
  const body = bodyFields(op.requestBody, where);
  const fields = uniqueKeys([...parameters, ...(body ?? [])], spec, pointer);
  const { success, errors, fallback } = readResponses(spec, op.responses, pointer);
  if (!success) spec.problems.add(pointer, "declares no success (2xx) response");
  const presigned = readPresignUrl(op["x-presign-url"], child(pointer, "x-presign-url"), spec.problems, {
    response: success?.json?.example,
    request: requestBodyExample(op.requestBody, where),
  });
  return {
    id,
    methodName: camelCase(id),
    inputName: `${pascalCase(id)}Input`,
    method: method.toUpperCase() as Uppercase<HttpMethod>,
    path,
    ...optional("summary", op.summary),
    ...optional("description", op.description),
    fields,
    json: body !== undefined,
    // A POST that only reads state, or whose repeat changes nothing more, says so with x-presign-idempotent: true.
    idempotent: booleanExtension(op, "x-presign-idempotent", pointer, spec.problems) ?? IDEMPOTENT_METHODS.has(method),
    security: readSecurity(spec, op, pointer, auth),
    success: success ?? { status: 200 },
    errors,
    ...optional("fallback", fallback),
    ...optional("presigned", presigned),
  };
}

/** Two inputs with one key could not both be given. */
function uniqueKeys(fields: FieldIR[], spec: SpecDocument, pointer: string): FieldIR[] {
  const seen = new Set<string>();
  for (const { key } of fields) {
    if (seen.has(key)) spec.problems.add(pointer, `has two inputs named ${key} (rename one with x-presign-name)`);
    seen.add(key);
  }
  return fields;
}

/** The operation's security alternatives (else the document's), as lists of scheme ids. */
function readSecurity(spec: SpecDocument, op: OperationObject, pointer: string, auth: AuthSchemeIR[]): string[][] {
  const alternatives = (op.security ?? spec.doc.security ?? []).map((requirement) => Object.keys(requirement));
  for (const id of alternatives.flat()) {
    if (!auth.some((scheme) => scheme.id === id)) spec.problems.add(child(pointer, "security"), `names the unknown security scheme "${id}"`);
  }
  return alternatives;
}
