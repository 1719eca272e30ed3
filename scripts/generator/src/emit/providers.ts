/**
 * @presign/all's `generated/providers.ts`: every provider's factory, definition and types, the names
 * that would clash across providers prefixed with the provider's, and `factories` by provider name.
 */
import type { ApiIR } from "../ir/types.js";
import { camelCase } from "../spec/names.js";
import { generatedNotice } from "./format.js";

/** Input type names declared by more than one provider: these carry their provider's name. */
function clashingInputs(apis: ApiIR[]): Set<string> {
  const count = new Map<string, number>();
  for (const name of apis.flatMap((api) => api.operations.map((op) => op.inputName))) count.set(name, (count.get(name) ?? 0) + 1);
  return new Set([...count].filter(([, n]) => n > 1).map(([name]) => name));
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function reexports(api: ApiIR, clashing: Set<string>): string {
  const Name = api.typeName;
  const types = [`${Name}Client`, `${Name}ClientOptions`, ...api.operations.map((op) => op.inputName)].sort(byCodePoint);
  const lines = [
    `create${Name}Client`,
    `definition as ${camelCase(api.provider)}Definition`,
    ...types.map((type) => (clashing.has(type) ? `type ${type} as ${Name}${type}` : `type ${type}`)),
    ...["components", "operations", "paths"].map((type) => `type ${type} as ${Name}${type[0]!.toUpperCase()}${type.slice(1)}`),
  ];
  return `export {\n${lines.map((line) => `  ${line},`).join("\n")}\n} from "@presign/${api.provider}";\n`;
}

/** @param apis every provider, in the order of their spec files' names */
export function emitProviders(apis: ApiIR[]): string {
  const clashing = clashingInputs(apis);
  const imports = apis.map((api) => `import { create${api.typeName}Client } from "@presign/${api.provider}";`);
  const factories = apis.map((api) => `  ${JSON.stringify(api.provider).replace(/^"([A-Za-z_$][\w$]*)"$/, "$1")}: create${api.typeName}Client,`);
  return [
    `// ${generatedNotice("specs/*.yaml", "add or change a spec")}`,
    ...imports,
    "",
    ...apis.map((api) => reexports(api, clashing)),
    "/** Each provider's client factory, by provider name (the file name of its spec). */",
    `export const factories = {\n${factories.join("\n")}\n} as const;\n`,
  ].join("\n");
}
