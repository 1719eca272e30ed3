/**
 * `generated/testing.ts`: one typed msw handler per operation (`datalab.getFileDownloadUrl(override?)`) and
 * `<provider>Handlers()`, every operation answering its spec example. The handlers match any origin, so
 * they work whatever `site`, `host` or `baseUrl` a client is given. The runtime is @presign/core/testing.
 */
import type { ApiIR, FieldIR, OperationIR } from "../ir/types.js";
import { camelCase } from "../spec/names.js";
import { compactLiteral, docComment, generatedNotice } from "./format.js";

/** The names a provider's testing kit exports: `datalab` (its handlers by operation) and `datalabHandlers`. */
export function testingNames(api: ApiIR): { operations: string; defaults: string } {
  const operations = camelCase(api.provider);
  return { operations, defaults: `${operations}Handlers` };
}

/**
 * The server URL's path (Powerdrill's `/api`), which every operation's path sits under. Server variables
 * stand in the host, never the path, in the specs this generator reads.
 */
export function serverPath(api: ApiIR): string {
  const url = new URL(api.server.url.replace(/\{[^}]+\}/g, "server"));
  return url.pathname.replace(/\/+$/, "");
}

/** `/files/{file_id}/download` on any origin, as msw matches it: `*` then `/files/:file_id/download`. */
export function mswPath(api: ApiIR, op: OperationIR): string {
  return `*${serverPath(api)}${op.path.replace(/\{([^}]+)\}/g, ":$1")}`;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** The wire names of the fields in one place, as a type of strings (what a URL carries). */
function stringsType(fields: FieldIR[]): string {
  if (!fields.length) return "Record<string, never>";
  const key = (name: string) => (IDENTIFIER.test(name) ? name : JSON.stringify(name));
  return `{ ${fields.map((f) => `${key(f.name)}${f.required ? "" : "?"}: string`).join("; ")} }`;
}

/** The request and success body types of an operation, over schema.ts's `operations`. */
function operationTypes(op: OperationIR): string {
  const id = JSON.stringify(op.id);
  const body = op.json ? `NonNullable<operations[${id}]["requestBody"]>["content"]["application/json"]` : "undefined";
  const response = op.success.json ? `operations[${id}]["responses"][${op.success.status}]["content"]["application/json"]` : "undefined";
  return [
    `    params: ${stringsType(op.fields.filter((f) => f.in === "path"))};`,
    `    query: ${stringsType(op.fields.filter((f) => f.in === "query"))};`,
    `    body: ${body};`,
    `    response: ${response};`,
  ].join("\n");
}

/** What core's `operationHandler` needs at runtime: where the operation is, and what it answers. */
function operationMock(api: ApiIR, op: OperationIR) {
  const errorExamples = Object.fromEntries(op.errors.filter((e) => e.examples.length).map((e) => [e.status, e.examples[0]]));
  return {
    name: `${testingNames(api).operations}.${op.methodName}`,
    method: op.method,
    path: mswPath(api, op),
    status: op.success.status,
    json: Boolean(op.success.json),
    ...(op.success.json?.example && { example: op.success.json.example.value }),
    ...(Object.keys(errorExamples).length && { errorExamples }),
  };
}

function defaultAnswer(op: OperationIR): string {
  if (!op.success.json) return `answers ${op.success.status} with no body`;
  return op.success.json.example ? `answers ${op.success.status} with the spec's example` : "has no example in the spec: give it a body";
}

function operationMember(api: ApiIR, op: OperationIR): string {
  const doc = docComment([op.summary, `\`${op.method} ${op.path}\`: by default it ${defaultAnswer(op)}.`], "  ");
  return `${doc}  ${op.methodName}: operationHandler<{\n${operationTypes(op)}\n  }>(${compactLiteral(operationMock(api, op), "  ")}),`;
}

export function emitTesting(api: ApiIR): string {
  const { operations, defaults } = testingNames(api);
  return `// ${generatedNotice(api.specPath)}
import { defaultHandlers, operationHandler } from "@presign/core/testing";
import type { operations } from "./schema.js";

${docComment([
  `msw handlers for each operation of ${api.specPath}, on any origin. Called with nothing, a handler answers the spec's example; with a body, that body (typed as the operation's success body); with a resolver \`({ params, query, body, request }) => body | Response\`, what it returns; with a fault (\`faults.rateLimited({ retryAfter: 0, times: 1 })\`), the fault, then the default answer.`,
])}export const ${operations} = {
${api.operations.map((op) => operationMember(api, op)).join("\n")}
};

${docComment([`Every operation answering its spec example: \`setupServer(...${defaults}())\`.`])}export function ${defaults}() {
  return defaultHandlers(${operations});
}
`;
}
