/** The README's section on one operation: what it does, its inputs, an example call, and what it throws. */
import { className, type ErrorReader, kindOfStatus, retriedStatuses } from "../core-facts.js";
import type { ApiIR, ErrorResponseIR, OperationIR, PresignedUrlIR } from "../ir/types.js";
import { expandedLiteral } from "./format.js";
import { cell, code, constraintsText, exampleValue, typeText } from "./readme-text.js";

export interface ReadmeContext {
  api: ApiIR;
  /** The variable the examples call the client by (`datadog`). */
  client: string;
  errorOf: ErrorReader | undefined;
}

/** The example call of an operation, e.g. `datalab.getFileDownloadUrl({ … })`. */
export function exampleCall(op: OperationIR, client: string): string {
  const input: Record<string, unknown> = {};
  for (const field of op.fields) {
    const example = exampleValue(field);
    if (example) input[field.key] = example.value;
  }
  return `${client}.${op.methodName}(${Object.keys(input).length ? expandedLiteral(input) : ""})`;
}

export function operationSection(op: OperationIR, context: ReadmeContext): string[] {
  const out = [`### \`${context.client}.${op.methodName}(input)\``, ""];
  if (op.summary) out.push(`${op.summary.trim()}.`.replace(/\.\.$/, "."), "");
  out.push(`\`${op.method} ${op.path}\``, "");
  if (op.description) out.push(op.description.trim(), "");
  out.push(`Credentials: ${credentialsText(op, context.api)}.`, "", retriesText(op), "");
  if (op.presigned) out.push(presignedText(op.presigned), "");
  if (op.fields.length) {
    out.push("| Input | Sent as | Type | Required | Description |", "|---|---|---|---|---|");
    for (const f of op.fields) {
      out.push(
        `| ${code(f.key)} | ${f.in} ${code(f.name)} | ${typeText(f.schema)}${constraintsText(f)} | ${f.required ? "yes" : "no"} | ${cell(f.doc)} |`,
      );
    }
    out.push("");
  }
  out.push(...resultExample(op, context.client), ...errorTable(op, context));
  if (op.fallback) {
    const { description } = op.fallback;
    out.push(
      `${op.errors.length ? "Any other error status" : "Error statuses"}: the class follows the status (see [Errors](#errors)).${description ? " The spec says:" : ""}`,
      "",
    );
    if (description) out.push(description.trim(), "");
  }
  return out;
}

function credentialsText(op: OperationIR, api: ApiIR): string {
  const optionOf = (id: string) => api.auth.find((s) => s.id === id)?.option ?? id;
  return op.security.map((set) => set.map((id) => code(optionOf(id))).join(" + ")).join(", or ");
}

function retriesText(op: OperationIR): string {
  if (!op.idempotent) {
    return "Retries: it changes state, so it is repeated only when the server cannot have acted on it: a connection refused before sending, 408, 429, or 503 with `Retry-After`. A timeout, a broken connection or another 5xx fails at once.";
  }
  // A POST or PATCH is retried only because its spec says so (x-presign-idempotent), whatever the reason.
  const why = op.method === "POST" || op.method === "PATCH" ? " (its spec says sending it twice changes no more than sending it once)" : "";
  return `Retries: safe to repeat${why}, so a timeout, a broken connection, 408, 429 and 5xx (${retriedStatuses.filter((s) => s >= 500).join(", ")}) are retried.`;
}

/** `/data/part_items` → `data.part_items`: where a reader finds a pointer's value in the result. */
function resultPath(pointer: string): string {
  return pointer
    .slice(1)
    .split("/")
    .map((key) => key.replaceAll("~1", "/").replaceAll("~0", "~"))
    .join(".");
}

/** What the result's presigned URL(s) are: where, signed for what, sent with which headers, until when. */
function presignedText(p: PresignedUrlIR): string {
  const where = p.url
    ? `Presigned URL: \`result.${resultPath(p.url)}\`, signed for \`${p.method}\``
    : `Presigned URLs: one per part, signed for \`${p.method}\`, ${partsWhere(p.parts!)}`;
  const headers = [
    ...Object.entries(p.headers ?? {}).map(([name, at]) => `\`${name}\` set to the request's \`${resultPath(at)}\``),
    ...Object.entries(p.partHeaders?.headers ?? {}).map(
      ([name, field]) => `\`${name}\` set to that part's \`${field}\` in the request's \`${resultPath(p.partHeaders!.at)}\``,
    ),
  ];
  const send = headers.length
    ? ` Send ${p.url ? "it" : "each part"} with ${headers.join(" and ")}: the signature binds ${headers.length > 1 ? "them" : "it"}.`
    : "";
  const normalized = p.url
    ? "`presigned(result)` returns it as `{ url, method, headers, expiresAt, expiresAtSource }`."
    : `\`presignedParts(result)\` returns them as \`{ partNumber, ${p.parts?.size ? "size, " : ""}url, method, headers, expiresAt, expiresAtSource }\`, sorted by part number.`;
  return `${where}; ${expiryText(p)}.${send} ${normalized}`;
}

function partsWhere(parts: NonNullable<PresignedUrlIR["parts"]>): string {
  const at = `\`result.${resultPath(parts.at)}\``;
  if (!parts.url) return `in ${at}, keyed by part number`;
  const size = parts.size ? ` and its size in \`${parts.size}\`` : "";
  return `in the list ${at} (each item's URL in \`${parts.url}\`, its part number in \`${parts.number}\`${size})`;
}

/** Where the expiry comes from, in the order the runtime reads it: the response, the URL, the documented lifetime. */
function expiryText(p: PresignedUrlIR): string {
  if (p.expiresAt) return `${p.url ? "it expires" : "they expire"} at \`result.${resultPath(p.expiresAt)}\``;
  if (p.expiresIn) return `${p.url ? "it expires" : "they expire"} \`result.${resultPath(p.expiresIn)}\` seconds after the response's \`Date\``;
  const fromUrl = `${p.url ? "it expires" : "each expires"} when the URL itself says (\`X-Amz-Date\` + \`X-Amz-Expires\`, \`X-Goog-Date\` + \`X-Goog-Expires\`, or Azure \`se\`)`;
  return p.lifetime
    ? `${fromUrl}, else ${p.lifetime} s after the response, the provider's documented lifetime`
    : `${fromUrl}; the provider documents no lifetime`;
}

function resultExample(op: OperationIR, client: string): string[] {
  const call = exampleCall(op, client);
  const { success } = op;
  if (!success.json)
    return ["```ts", `await ${call}; // ${success.status} ${cell(success.description).replace(/\.$/, "")}: resolves to undefined`, "```", ""];
  const out = ["```ts", `const result = await ${call};`];
  if (success.json.example)
    out.push(...`// result: ${JSON.stringify(success.json.example.value, null, 2)}`.split("\n").map((l, i) => (i ? `// ${l}` : l)));
  return [...out, "```", ""];
}

function errorTable(op: OperationIR, context: ReadmeContext): string[] {
  if (!op.errors.length) return [];
  const out = ["| Status | Throws | Description |", "|---|---|---|"];
  for (const response of op.errors) {
    const s = response.status;
    const retried = retriedStatuses.includes(s) && (op.idempotent || s === 408 || s === 429 || s === 503);
    const when = !op.idempotent && s === 503 ? " (retried with `Retry-After`)" : " (retried)";
    out.push(`| ${s} | ${thrownBy(response, context.errorOf)}${retried ? when : ""} | ${cell(response.description)} |`);
  }
  return [...out, ""];
}

/** The classes an error response turns into: by the profile's reading of each example body, else by its status. */
function thrownBy({ status, examples }: ErrorResponseIR, errorOf: ErrorReader | undefined): string {
  const byClass = new Map<string, (string | number)[]>();
  for (const body of examples.length && errorOf ? examples : [undefined]) {
    const info = body === undefined ? undefined : errorOf?.(status, body);
    const name = className(info?.kind ?? kindOfStatus(status));
    const codes = byClass.get(name) ?? [];
    if (info?.kind && info.code !== undefined) codes.push(info.code);
    byClass.set(name, codes);
  }
  return [...byClass].map(([name, codes]) => `\`${name}\`${byClass.size > 1 && codes.length ? ` (\`code\` ${codes.join(", ")})` : ""}`).join(", ");
}
