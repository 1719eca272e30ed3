/**
 * The generated parts of the root README, between marker comments in an otherwise hand-written file:
 * `providers-table` (every package, its API, operations and workflows) and `provider-notes` (per provider:
 * where to get the credentials, the environment variables read, how long each presigned URL lives).
 */
import type { ApiIR, ClientOptionIR, FieldIR, OperationIR } from "../ir/types.js";

/** A provider's API, with the workflows its package exports (its own exported functions). */
export interface ReadmeProvider {
  api: ApiIR;
  workflows: string[];
}

/** The README with both regions rewritten; throws when a region's markers are missing. */
export function emitRootReadme(readme: string, providers: ReadmeProvider[]): string {
  const withTable = replaceRegion(readme, "providers-table", providersTable(providers));
  return replaceRegion(withTable, "provider-notes", providers.map(providerNotes).join("\n"));
}

function replaceRegion(text: string, name: string, content: string): string {
  const start = `<!-- generated:${name} (pnpm generate, from specs/) -->`;
  const end = `<!-- /generated:${name} -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md: the markers ${start} … ${end} are missing; put them where the ${name} belongs`);
  return `${text.slice(0, from + start.length)}\n${content.trimEnd()}\n${text.slice(to)}`;
}

const code = (text: string) => `\`${text}\``;
const list = (items: string[]) => (items.length ? items.map(code).join(", ") : "—");

function providersTable(providers: ReadmeProvider[]): string {
  const rows = providers.map(({ api, workflows }) => {
    const pkg = `@presign/${api.provider}`;
    return `| [${code(pkg)}](packages/${api.provider}) | ${apiName(api)} | ${list(api.operations.map((op) => op.methodName))} | ${list(workflows)} |`;
  });
  return [
    "| package | API | operations | workflows |",
    "|---|---|---|---|",
    ...rows,
    "| [`@presign/core`](packages/core) | the shared runtime every provider depends on | — | `download`, `presigned`, `presignedParts` |",
    "| [`@presign/all`](packages/all) | re-exports all of the above | — | all of the above |",
    "| [`@presign/cli`](packages/cli) | the `presign` command: every operation and workflow above | — | — |",
  ].join("\n");
}

/** The spec's title without the "(presign subset)" note every spec carries. */
const apiName = (api: ApiIR) => api.title.replace(/\s*\(presign subset\)\s*$/, "");

function providerNotes({ api }: ReadmeProvider): string {
  const urlOperations = api.operations.filter((op) => op.presigned);
  return [
    `### ${apiName(api)} (${code(`@presign/${api.provider}`)})`,
    "",
    `- **Credentials:** ${api.credentialsHelp ?? "see the package README."}`,
    `- **Environment variables:** ${environmentVariables(api)}`,
    "- **How long a URL lives:**",
    ...urlOperations.map((op) => `  - ${code(op.methodName)}: ${lifetimeOf(op)}`),
    "",
  ].join("\n");
}

function environmentVariables(api: ApiIR): string {
  const read = [
    ...api.server.variables.filter((v) => v.env).map((v) => ({ env: v.env!, option: v.name })),
    ...api.auth.filter((s) => s.env).map((s) => ({ env: s.env!, option: s.option })),
  ];
  if (!read.length) return `none; pass ${list(credentialOptions(api).map((o) => o.key))} to the factory.`;
  const variables = read.map(({ env, option }) => `${code(env)} for ${code(option)}`).join(", ");
  return `${variables}. Credentials come from the environment only when no credential option is passed.`;
}

const credentialOptions = (api: ApiIR): ClientOptionIR[] =>
  api.clientOptions.filter(
    (option) => api.server.variables.some((v) => v.name === option.key && v.required) || api.auth.some((s) => s.option === option.key),
  );

/** What the spec knows of the lifetime: the caller's choice, the response, the provider's documentation, or nothing. */
function lifetimeOf(op: OperationIR): string {
  const presigned = op.presigned!;
  const chosen = op.fields.find((field) => /^expires/.test(field.name));
  const facts = [
    chosen ? `you choose it with ${code(chosen.key)}${boundsOf(chosen)}` : undefined,
    presigned.expiresIn ? `the response says how long (${code(lastSegment(presigned.expiresIn))}, seconds)` : undefined,
    presigned.expiresAt ? `the response says until when (${code(lastSegment(presigned.expiresAt))})` : undefined,
    presigned.lifetime ? `about ${humanSeconds(presigned.lifetime)}, as documented; the response doesn't say` : undefined,
  ].filter(Boolean);
  if (!facts.length) return "not documented; `presigned(result).expiresAt` reads it from the URL's signature (`X-Amz-Expires`) when it can.";
  return `${facts.join("; ")}.`;
}

function boundsOf(field: FieldIR): string {
  const { minimum, maximum } = field.schema as { minimum?: number; maximum?: number };
  const range = minimum !== undefined && maximum !== undefined ? `${minimum}–${maximum} s` : minimum !== undefined ? `at least ${minimum} s` : "";
  const byDefault = field.default?.value !== undefined ? `default ${field.default.value} s` : "";
  const parts = [range, byDefault].filter(Boolean);
  return parts.length ? ` (${parts.join(", ")})` : "";
}

const lastSegment = (pointer: string) => pointer.split("/").pop()!;

function humanSeconds(seconds: number): string {
  if (seconds % 3600 === 0) return seconds === 3600 ? "an hour" : `${seconds / 3600} hours`;
  if (seconds % 60 === 0) return `${seconds / 60} minutes`;
  return `${seconds} s`;
}
