/**
 * A provider package's own exports (its workflows), read from its src/index.ts for @presign/all to
 * re-export: named re-exports and `export *` followed into src/lib, never the shared runtime or the
 * generated client; a name two providers share carries its provider's name in @presign/all.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { emitProviders } from "../src/emit/providers.js";
import { buildIR } from "../src/ir/build.js";
import { packageOwnExports } from "../src/package-exports.js";
import { acme, fixtureText } from "./helpers.js";

let dir: string;
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "presign-exports-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("a package's own exports", () => {
  it("are its named re-exports and what `export *` finds in its lib, types told apart from values", () => {
    write(
      "src/index.ts",
      `export * from "@presign/core";
export * from "./generated/client.js";
export type { components, operations, paths } from "./generated/schema.js";
export { MAX_BYTES, type UploadInput, upload } from "./lib/upload.js";
export * from "./lib/export.js";
`,
    );
    write(
      "src/lib/export.ts",
      `import type { Client } from "../generated/client.js";
type Hidden = string;
export interface ExportOptions { index: Hidden }
export type ExportFormat = "csv" | "json";
export const FORMATS = ["csv", "json"] as const;
export async function exportTask(client: Client, options: ExportOptions) {}
export class ExportError extends Error {}
interface Local { a: 1 }
const helper = 1;
export { helper as exportHelper, type Local as LocalShape };
export * from "./deadline.js";
`,
    );
    write("src/lib/deadline.ts", "export interface Deadline { at: number }\n");
    expect(packageOwnExports(dir)).toEqual([
      { name: "Deadline", type: true },
      { name: "ExportError", type: false },
      { name: "ExportFormat", type: true },
      { name: "ExportOptions", type: true },
      { name: "FORMATS", type: false },
      { name: "LocalShape", type: true },
      { name: "MAX_BYTES", type: false },
      { name: "UploadInput", type: true },
      { name: "exportHelper", type: false },
      { name: "exportTask", type: false },
      { name: "upload", type: false },
    ]);
  });

  it("are none for a package without src/index.ts, or one that only re-exports the runtime and its client", () => {
    expect(packageOwnExports(dir)).toEqual([]);
    write("src/index.ts", `export * from "@presign/core";\nexport * from "./generated/client.js";\n`);
    expect(packageOwnExports(dir)).toEqual([]);
  });
});

describe("@presign/all's providers.ts with own exports", () => {
  const beta = () => buildIR(fixtureText("beta"), "specs/beta.yaml", "beta");

  it("re-exports each provider's, values before types, a name two providers share carrying its provider's", () => {
    const providers = emitProviders([acme(), beta()], {
      acme: [
        { name: "uploadFile", type: false },
        { name: "UploadFileInput", type: true },
      ],
      beta: [
        { name: "uploadFile", type: false },
        { name: "UploadFileInput", type: true },
        { name: "syncBucket", type: false },
      ],
    });
    expect(providers).toContain("  definition as acmeDefinition,\n  uploadFile as acmeUploadFile,\n  type AcmeClient,\n  type AcmeClientOptions,\n");
    expect(providers).toContain("  type UploadFileInput as AcmeUploadFileInput,\n");
    expect(providers).toContain("  definition as betaDefinition,\n  syncBucket,\n  uploadFile as betaUploadFile,\n");
    expect(providers).toContain("  type UploadFileInput as BetaUploadFileInput,\n");
  });
});
