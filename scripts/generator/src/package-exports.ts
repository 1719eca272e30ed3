/**
 * What a provider package exports besides its generated client and the shared runtime: its
 * hand-written workflows (src/lib), listed in src/index.ts. @presign/all re-exports them by name, so
 * they are read here from the sources, syntax only: `export { a, type B } from "./lib/x.js"`, and
 * `export * from "./lib/x.js"` followed into that file's own exports.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import ts from "typescript";

/** One exported name, and whether it is a type only (re-exported with `type`). */
export interface ExportedName {
  name: string;
  type: boolean;
}

/** Sources the package's own exports never come from: the shared runtime and the generated client. */
const notOwn = (specifier: string) => specifier.startsWith("@presign/") || /^\.\/generated\//.test(specifier);

/** More `export *` hops than any package needs: the files re-export each other in a loop. */
const MAX_DEPTH = 8;

/** The package's own exports, sorted by name; none when it has no src/index.ts. */
export function packageOwnExports(packageDir: string): ExportedName[] {
  const index = join(packageDir, "src", "index.ts");
  if (!existsSync(index)) return [];
  const found = new Map<string, ExportedName>();
  for (const exported of exportsOf(index, 0)) found.set(exported.name, exported);
  return [...found.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function exportsOf(file: string, depth: number): ExportedName[] {
  if (depth > MAX_DEPTH) throw new Error(`${file}: export * goes ${MAX_DEPTH} files deep, a loop?`);
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const localTypes = typeDeclarations(source);
  return source.statements.flatMap((statement): ExportedName[] => {
    if (ts.isExportDeclaration(statement)) return reexports(statement, file, localTypes, depth);
    return exportedDeclaration(statement) ?? [];
  });
}

/** `export { a, type B } from "…"`, `export { a }` and `export * from "./x.js"` (followed). */
function reexports(statement: ts.ExportDeclaration, file: string, localTypes: Set<string>, depth: number): ExportedName[] {
  const specifier = statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : undefined;
  if (specifier !== undefined && notOwn(specifier)) return [];
  const clause = statement.exportClause;
  if (!clause) return specifier?.startsWith(".") ? exportsOf(join(dirname(file), specifier.replace(/\.js$/, ".ts")), depth + 1) : [];
  if (!ts.isNamedExports(clause)) return [];
  return clause.elements.map((element) => ({
    name: element.name.text,
    type: statement.isTypeOnly || element.isTypeOnly || (specifier === undefined && localTypes.has((element.propertyName ?? element.name).text)),
  }));
}

/** `export function f`, `export const x`, `export interface I`, `export type T`… */
function exportedDeclaration(statement: ts.Statement): ExportedName[] | undefined {
  const modifiers = ts.canHaveModifiers(statement) ? ts.getModifiers(statement) : undefined;
  if (!modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return undefined;
  if (modifiers.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) return undefined;
  if (ts.isVariableStatement(statement)) {
    return statement.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [{ name: d.name.text, type: false }] : []));
  }
  const type = ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement);
  const named = ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement) || type;
  return named && statement.name ? [{ name: statement.name.text, type }] : undefined;
}

/** The interfaces and type aliases a file declares, for `export { T }` without `type`. */
function typeDeclarations(source: ts.SourceFile): Set<string> {
  return new Set(
    source.statements.flatMap((statement) =>
      ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement) ? [statement.name.text] : [],
    ),
  );
}
