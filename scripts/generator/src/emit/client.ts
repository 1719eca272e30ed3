/**
 * `generated/client.ts`: the runtime definition (what core's createPresignClient needs), one input
 * type per operation, the client options, the client interface and its factory.
 */
import type { ApiIR, OperationIR } from "../ir/types.js";
import { compactLiteral, docComment, generatedNotice } from "./format.js";

/** The `definition` the runtime reads: named fields only, nothing the runtime does not use. */
export function runtimeDefinition(api: ApiIR) {
  const variables = Object.fromEntries(
    api.server.variables.map((v) => [
      v.name,
      { default: v.default, ...(v.enum && { enum: v.enum }), ...(v.env && { env: v.env }), ...(v.required && { required: true }) },
    ]),
  );
  const auth = Object.fromEntries(
    api.auth.map((s) => [
      s.id,
      {
        option: s.option,
        in: s.in,
        ...(s.name !== undefined && { name: s.name }),
        ...(s.env && { env: s.env }),
        ...(!s.secret && { secret: false }),
      },
    ]),
  );
  const operations = Object.fromEntries(api.operations.map((op) => [op.methodName, operationDefinition(op)]));
  return { server: { url: api.server.url, variables }, auth, operations };
}

function operationDefinition(op: OperationIR) {
  return {
    method: op.method,
    path: op.path,
    fields: op.fields.map(({ key, name, in: place, required, schema }) => ({ key, name, in: place, required, schema })),
    ...(op.json && { json: true }),
    idempotent: op.idempotent,
    security: op.security,
    ...(op.success.json && { response: op.success.json.schema }),
    ...(op.presigned && { presigned: op.presigned }),
  };
}

function inputType(op: OperationIR): string {
  const members = op.fields.map((f) => `${docComment([f.doc], "  ")}  ${f.key}${f.required ? "" : "?"}: ${f.type};`);
  return `${docComment([`Input of \`${op.methodName}\`: ${op.method} ${op.path}`])}export interface ${op.inputName} {\n${members.join("\n")}\n}\n`;
}

function method(op: OperationIR): string {
  const { success } = op;
  const result = success.json ? `operations[${JSON.stringify(op.id)}]["responses"][${success.status}]["content"]["application/json"]` : "void";
  const optionalInput = op.fields.every((f) => !f.required);
  return `${docComment([op.summary, op.description, `\`${op.method} ${op.path}\``], "  ")}  ${op.methodName}(input${optionalInput ? "?" : ""}: ${op.inputName}, options?: CallOptions): Promise<${result}>;`;
}

export function emitClient(api: ApiIR): string {
  const Name = api.typeName;
  const options = api.clientOptions.map((o) => `${docComment([o.doc], "  ")}  ${o.key}?: ${o.type};`);
  return `// ${generatedNotice(api.specPath)}
import type { CallOptions, ClientOptions, PresignClientBase } from "@presign/core";
import { type ApiDefinition, createPresignClient } from "@presign/core/internal";
import { profile } from "../profile.js";
import type { operations, paths } from "./schema.js";

/** Everything the runtime needs to know about the API, derived from the spec. */
export const definition = ${compactLiteral(runtimeDefinition(api))} as const satisfies ApiDefinition;

${api.operations.map(inputType).join("\n")}
${docComment([`Options of \`create${Name}Client\`: credentials, server and the shared transport settings.`])}export interface ${Name}ClientOptions extends ClientOptions {
${options.join("\n")}
}

${docComment([`A ${api.title} client: one method per operation in ${api.specPath}.`])}export interface ${Name}Client extends PresignClientBase<paths> {
${api.operations.map(method).join("\n")}
}

${docComment([`Creates a ${Name} client. Throws an InvalidRequestError at once if credentials or the server are missing or malformed.`])}export function create${Name}Client(options: ${Name}ClientOptions = {}): ${Name}Client {
  return createPresignClient<${Name}Client>(definition, profile, options);
}
`;
}
