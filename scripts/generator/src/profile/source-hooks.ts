/**
 * Module resolve hooks (node:module `register`) under which a package's profile runs from source,
 * before anything is built: `@presign/core` and its subpaths resolve to packages/core/src, and a
 * package's own `#` imports to their `types` target, the TypeScript source the build starts from.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

interface ResolveContext {
  parentURL?: string;
  conditions: string[];
}
interface ResolveResult {
  url: string;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<ResolveResult>;

let packagesDir = "";

/** Receives the workspace's packages folder from `register`. */
export function initialize(data: { packagesDir: string }): void {
  packagesDir = data.packagesDir;
}

export async function resolve(specifier: string, context: ResolveContext, next: NextResolve): Promise<ResolveResult> {
  const source = workspaceEntry(specifier) ?? (specifier.startsWith("#") ? ownImport(specifier, context.parentURL) : undefined);
  // The next hook (tsx's) resolves the file itself, which tells its loader the file is TypeScript.
  return next(source ? pathToFileURL(source).href : specifier, context);
}

/** `@presign/core` → packages/core/src/index.ts, `@presign/core/internal` → packages/core/src/internal.ts (tsup's entry naming). */
function workspaceEntry(specifier: string): string | undefined {
  const match = /^@presign\/(core)(?:\/([\w-]+))?$/.exec(specifier);
  if (!match) return undefined;
  const file = join(packagesDir, match[1]!, "src", `${match[2] ?? "index"}.ts`);
  return existsSync(file) ? file : undefined;
}

/** A `#name` import of a workspace package's source, resolved to the `types` target of its package.json `imports`. */
function ownImport(specifier: string, parentURL: string | undefined): string | undefined {
  if (!parentURL?.startsWith("file:")) return undefined;
  const parent = fileURLToPath(parentURL);
  if (!parent.startsWith(packagesDir + sep)) return undefined;
  const packageDir = join(packagesDir, parent.slice(packagesDir.length + 1).split(sep)[0]!);
  const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { imports?: Record<string, { types?: unknown }> };
  const target = manifest.imports?.[specifier]?.types;
  return typeof target === "string" && target.endsWith(".ts") ? join(packageDir, target) : undefined;
}
