/** One spec into the generated sources of its package: `schema.ts` and `client.ts`. */
import { emitClient } from "./emit/client.js";
import { emitSchemaTypes } from "./emit/schema-types.js";
import { buildIR } from "./ir/build.js";
import type { ApiIR } from "./ir/types.js";

export interface GeneratedFile {
  /** Relative to the package's `src/generated/`. */
  path: string;
  content: string;
}

export async function generatedSources(api: ApiIR): Promise<GeneratedFile[]> {
  return [
    { path: "schema.ts", content: await emitSchemaTypes(api) },
    { path: "client.ts", content: emitClient(api) },
  ];
}

/** Reads a spec and returns its package's generated sources (what the codegen bench measures). */
export async function generatePackage(specText: string, specPath: string, provider: string): Promise<GeneratedFile[]> {
  return generatedSources(buildIR(specText, specPath, provider));
}
