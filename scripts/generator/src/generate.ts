/** One spec into the generated sources of its package: `schema.ts`, `client.ts` and `testing.ts`. */
import { emitClient } from "./emit/client.js";
import { emitSchemaTypes } from "./emit/schema-types.js";
import { emitTesting } from "./emit/testing.js";
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
    { path: "testing.ts", content: emitTesting(api) },
  ];
}

/** Reads a spec and returns its package's generated sources (what the codegen bench measures). */
export async function generatePackage(specText: string, specPath: string, provider: string): Promise<GeneratedFile[]> {
  return generatedSources(buildIR(specText, specPath, provider));
}
