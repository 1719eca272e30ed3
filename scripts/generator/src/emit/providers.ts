/**
 * @presign/all's `generated/providers.ts`: every provider's factory, definition, types and own
 * exports (its hand-written workflows), the names that would clash across providers prefixed with
 * the provider's, and `factories` by provider name.
 */
import type { ApiIR } from "../ir/types.js";
import type { ExportedName } from "../package-exports.js";
import { camelCase } from "../spec/names.js";
import { generatedNotice } from "./format.js";

/** A provider's own exports (`packageOwnExports`), by provider name. */
export type OwnExports = Readonly<Record<string, readonly ExportedName[]>>;

/** Input type names and own exports declared by more than one provider: these carry their provider's name. */
function clashingNames(apis: ApiIR[], own: OwnExports): Set<string> {
  const count = new Map<string, number>();
  const names = apis.flatMap((api) => [...api.operations.map((op) => op.inputName), ...(own[api.provider] ?? []).map((e) => e.name)]);
  for (const name of names) count.set(name, (count.get(name) ?? 0) + 1);
  return new Set([...count].filter(([, n]) => n > 1).map(([name]) => name));
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function reexports(api: ApiIR, clashing: Set<string>, own: readonly ExportedName[]): string {
  const Name = api.typeName;
  const prefixed = (name: string, type: boolean) => (type ? `${Name}${name}` : camelCase(`${api.provider}_${name}`));
  const entry = (name: string, type: boolean) => `${type ? "type " : ""}${name}${clashing.has(name) ? ` as ${prefixed(name, type)}` : ""}`;
  const values = own.filter((e) => !e.type).map((e) => e.name);
  const types = [
    `${Name}Client`,
    `${Name}ClientOptions`,
    ...api.operations.map((op) => op.inputName),
    ...own.filter((e) => e.type).map((e) => e.name),
  ];
  const lines = [
    `create${Name}Client`,
    `definition as ${camelCase(api.provider)}Definition`,
    ...values.sort(byCodePoint).map((value) => entry(value, false)),
    ...types.sort(byCodePoint).map((type) => entry(type, true)),
    ...["components", "operations", "paths"].map((type) => `type ${type} as ${Name}${type[0]!.toUpperCase()}${type.slice(1)}`),
  ];
  return `export {\n${lines.map((line) => `  ${line},`).join("\n")}\n} from "@presign/${api.provider}";\n`;
}

/**
 * @param apis every provider, in the order of their spec files' names
 * @param own each provider's own exports besides its generated client (none by default)
 */
export function emitProviders(apis: ApiIR[], own: OwnExports = {}): string {
  const clashing = clashingNames(apis, own);
  const imports = apis.map((api) => `import { create${api.typeName}Client } from "@presign/${api.provider}";`);
  const factories = apis.map((api) => `  ${JSON.stringify(api.provider).replace(/^"([A-Za-z_$][\w$]*)"$/, "$1")}: create${api.typeName}Client,`);
  return [
    `// ${generatedNotice("specs/*.yaml", "add or change a spec")}`,
    ...imports,
    "",
    ...apis.map((api) => reexports(api, clashing, own[api.provider] ?? [])),
    "/** Each provider's client factory, by provider name (the file name of its spec). */",
    `export const factories = {\n${factories.join("\n")}\n} as const;\n`,
  ].join("\n");
}
