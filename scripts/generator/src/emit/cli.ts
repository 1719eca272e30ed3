/**
 * @presign/cli's generated parts, from every spec's model: `src/generated/commands.ts` (per provider, its client
 * factory, its client options as flags and one command per operation with its input fields as flags: data that the
 * CLI's hand-written runtime turns into commander commands), and the README's command list and exit-code table.
 */
import { EXIT_CODE_TABLE } from "../../../../packages/cli/src/exit-codes.ts";
import { type ClientFlag, type InputFlag, type OperationCommand, RESERVED_FLAGS, type ValueType } from "../../../../packages/cli/src/model.ts";
import type { ApiIR, FieldIR, OperationIR } from "../ir/types.js";
import { camelCase } from "../spec/names.js";
import { compactLiteral, generatedNotice } from "./format.js";
import { cell, code } from "./readme-text.js";

/** `getFileDownloadURL` → `get-file-download-url`; `GetTestFile` → `get-test-file`. */
export function kebabCase(name: string): string {
  return camelCase(name)
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2")
    .toLowerCase();
}

/** `spaaza` + `accessToken` → `SPAAZA_ACCESS_TOKEN`. */
const constantCase = (...names: string[]) => names.map((name) => kebabCase(name).replaceAll("-", "_").toUpperCase()).join("_");

/** Server variables, then credentials; each read from its environment variable when its flag is not given. */
export function clientFlags(api: ApiIR): ClientFlag[] {
  const fallbackEnv = (option: string) => constantCase(api.provider, option);
  const variables = api.server.variables.map(
    (v): ClientFlag => ({
      flag: kebabCase(v.name),
      key: v.name,
      kind: "server",
      env: v.env ?? fallbackEnv(v.name),
      secret: false,
      ...(v.description && { description: oneLine(v.description) }),
      ...(v.enum && { enum: v.enum }),
      // A default the spec marks unsafe is not offered: the user must choose.
      ...(!v.required && { default: v.default }),
    }),
  );
  const seen = new Set<string>();
  const credentials = api.auth
    .filter((scheme) => !seen.has(scheme.option) && seen.add(scheme.option))
    .map(
      (scheme): ClientFlag => ({
        flag: kebabCase(scheme.option),
        key: scheme.option,
        kind: "credential",
        env: scheme.env ?? fallbackEnv(scheme.option),
        secret: scheme.secret,
        ...(scheme.description && { description: oneLine(scheme.description) }),
      }),
    );
  return [...variables, ...credentials];
}

/** How the CLI reads a field's flag: scalars by their type, anything else as JSON. */
function valueType(field: FieldIR): ValueType {
  const { type } = field.schema;
  return type === "string" || type === "integer" || type === "number" || type === "boolean" ? type : "json";
}

function inputFlag(field: FieldIR, taken: ReadonlySet<string>): InputFlag {
  const natural = kebabCase(field.key);
  const { schema } = field;
  return {
    flag: taken.has(natural) ? `${field.in}-${natural}` : natural,
    key: field.key,
    type: valueType(field),
    required: field.required,
    ...(field.doc && { description: oneLine(field.doc) }),
    ...(schema.enum && { enum: schema.enum as (string | number | boolean)[] }),
    ...(schema.minimum !== undefined && { minimum: schema.minimum }),
    ...(schema.maximum !== undefined && { maximum: schema.maximum }),
    ...(field.default && field.default.value !== undefined && { serverDefault: field.default.value }),
  };
}

export function operationCommand(op: OperationIR, clientFlagNames: readonly string[]): OperationCommand {
  const taken = new Set([...RESERVED_FLAGS, ...clientFlagNames]);
  return {
    name: kebabCase(op.id),
    method: op.methodName,
    route: `${op.method} ${op.path}`,
    ...(op.summary && { summary: oneLine(op.summary) }),
    ...(op.description && { description: op.description.trim() }),
    flags: op.fields.map((field) => inputFlag(field, taken)),
  };
}

/** A description's paragraphs on one line each (commander wraps them to the terminal). */
function oneLine(text: string): string {
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.replace(/\s*\n\s*/g, " "))
    .join("\n");
}

function providerEntry(api: ApiIR): string {
  const flags = clientFlags(api);
  const operations = api.operations.map((op) =>
    operationCommand(
      op,
      flags.map((f) => f.flag),
    ),
  );
  const lines = [
    `name: ${JSON.stringify(api.provider)}`,
    `title: ${JSON.stringify(api.title)}`,
    ...(api.summary ? [`summary: ${JSON.stringify(oneLine(api.summary))}`] : []),
    `createClient: create${api.typeName}Client`,
    `clientFlags: ${compactLiteral(flags, "    ")}`,
    `operations: ${compactLiteral(operations, "    ")}`,
  ];
  return `  {\n${lines.map((line) => `    ${line},`).join("\n")}\n  },`;
}

/** `packages/cli/src/generated/commands.ts`. */
export function emitCliCommands(apis: ApiIR[]): string {
  return [
    `// ${generatedNotice("specs/*.yaml", "add or change a spec")}`,
    ...apis.map((api) => `import { create${api.typeName}Client } from "@presign/${api.provider}";`),
    'import type { ProviderCommands } from "../model.js";',
    "",
    "/** Every provider in specs/, in the order of their file names: its client factory, client flags and operation commands. */",
    `export const providers: readonly ProviderCommands[] = [\n${apis.map(providerEntry).join("\n")}\n];`,
    "",
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------
// The README's generated sections
// ---------------------------------------------------------------------------------------------

/** What a flag takes in a synopsis: its values when the spec lists them, else its type; a boolean takes none. */
const flagValue = (f: InputFlag) => (f.type === "boolean" ? "" : f.enum ? ` <${f.enum.join("|")}>` : ` <${f.type}>`);

/** `presign datalab get-file --file-id <integer> [--expires-in <integer>]`: required flags first, then optional ones. */
function synopsis(provider: string, command: OperationCommand): string {
  const flag = (f: InputFlag) => `--${f.flag}${flagValue(f)}`;
  const required = command.flags.filter((f) => f.required).map(flag);
  const optional = command.flags.filter((f) => !f.required).map((f) => `[${flag(f)}]`);
  return ["presign", provider, command.name, ...required, ...optional].join(" ");
}

function commandList(apis: ApiIR[]): string[] {
  const out: string[] = [];
  for (const api of apis) {
    const flags = clientFlags(api);
    out.push(`### ${api.provider}`, "", `${api.title}, from [\`${api.specPath}\`](../../${api.specPath}).`, "");
    out.push("| Flag | Environment variable | |", "|---|---|---|");
    for (const f of flags) {
      const what = f.kind === "credential" ? (f.secret ? "credential (secret: never shown)" : "identifier") : "server";
      const values = f.enum ? `: ${f.enum.map(code).join(", ")}` : "";
      const fallback = f.kind === "server" ? (f.default ? `, default ${code(f.default)}` : ", required unless `--base-url`") : "";
      out.push(`| ${code(`--${f.flag}`)} | ${code(f.env)} | ${what}${fallback}${values} |`);
    }
    out.push("", "| Command | What it does |", "|---|---|");
    for (const op of api.operations) {
      const command = operationCommand(
        op,
        flags.map((f) => f.flag),
      );
      out.push(`| ${cell(code(synopsis(api.provider, command)))} | ${cell(command.summary ?? command.route)} |`);
    }
    out.push("");
  }
  return out;
}

function exitCodeTable(): string[] {
  return [
    "| Exit code | Kind | Meaning |",
    "|---|---|---|",
    ...EXIT_CODE_TABLE.map((e) => `| ${e.code} | ${code(e.outcome)} | ${cell(e.meaning)} |`),
    "",
  ];
}

/** Replaces what sits between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`, both kept. */
function replaceSection(text: string, name: string, lines: string[]): string {
  const start = `<!-- generated:${name} -->`;
  const end = `<!-- /generated:${name} -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`packages/cli/README.md needs a ${start} … ${end} section for pnpm generate to fill`);
  const notice = `<!-- ${generatedNotice("specs/*.yaml and packages/cli/src/exit-codes.ts", "change those")} -->`;
  return `${text.slice(0, from + start.length)}\n${notice}\n\n${lines.join("\n")}\n${text.slice(to)}`;
}

/** The CLI's README with its command list and exit-code table regenerated; the hand-written rest as it was. */
export function withCliReadmeSections(readme: string, apis: ApiIR[]): string {
  return replaceSection(replaceSection(readme, "commands", commandList(apis)), "exit-codes", exitCodeTable());
}
