/**
 * What `pnpm generate` makes of a workspace: for each specs/<name>.yaml its package's generated
 * sources and README (with the package's hand-written docs/workflows.md, when it has one; and,
 * for a spec without a package, the package's scaffold), then
 * @presign/all's provider list (with each package's own exports, its workflows) and dependencies,
 * and @presign/cli's commands, the command list of its README and its provider dependencies, and the
 * root README's providers table and per-provider notes.
 * Planned in full, then checked or written.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { withProviderDependencies } from "./emit/all-package.js";
import { emitCliCommands, withCliReadmeSections } from "./emit/cli.js";
import { emitProviders } from "./emit/providers.js";
import { emitReadme, type ReadmeDocs } from "./emit/readme.js";
import { emitRootReadme } from "./emit/root-readme.js";
import { emitScaffold } from "./emit/scaffold.js";
import { changesOf, type FileChange, writeChanges } from "./files.js";
import { generatedSources } from "./generate.js";
import { buildIR } from "./ir/build.js";
import type { ApiIR } from "./ir/types.js";
import { packageOwnExports } from "./package-exports.js";
import { loadErrorReader } from "./profile/load.js";
import { SpecError } from "./spec/problems.js";

export interface WorkspaceOptions {
  /** The workspace: specs/ and packages/ are under it. */
  root: string;
  /** Where @presign/core's sources are, for running profiles (packages/ of this repository). */
  corePackagesDir: string;
  /** Writes nothing; returns what differs. */
  check: boolean;
}

export interface WorkspaceResult {
  specs: number;
  /** Files that differ from what the specs produce (written, unless checking). */
  changes: FileChange[];
  /** Providers whose package was scaffolded (or, when checking, would be). */
  scaffolded: string[];
}

/** Every spec of the workspace, read; every problem of every spec reported at once. */
function readSpecs(root: string): ApiIR[] {
  const files = readdirSync(join(root, "specs"))
    .filter((f) => f.endsWith(".yaml"))
    .sort();
  const apis: ApiIR[] = [];
  const problems: string[] = [];
  for (const file of files) {
    try {
      apis.push(buildIR(readFileSync(join(root, "specs", file), "utf8"), `specs/${file}`, basename(file, ".yaml")));
    } catch (error) {
      if (!(error instanceof SpecError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length) throw new SpecError(problems);
  return apis;
}

/** The scaffold files a package without a package.json lacks; a file that exists is never replaced. */
function scaffoldFiles(root: string, api: ApiIR) {
  const dir = join(root, "packages", api.provider);
  if (existsSync(join(dir, "package.json"))) return [];
  return emitScaffold(api)
    .map((file) => ({ target: join(dir, file.path), content: file.content }))
    .filter((file) => !existsSync(file.target));
}

/**
 * The generated sources and README of a package, the README reading errors through its profile.
 * The profile runs as its package runs it, an ES module of a package.json with "type": "module";
 * before the package has one (when checking a spec with no package) the README goes without it.
 */
async function packageFiles(root: string, api: ApiIR, corePackagesDir: string) {
  const dir = join(root, "packages", api.provider);
  const hasPackage = existsSync(join(dir, "package.json"));
  const errorOf = hasPackage ? await loadErrorReader(join(dir, "src", "profile.ts"), corePackagesDir) : undefined;
  const sources = (await generatedSources(api)).map((file) => ({ target: join(dir, "src", "generated", file.path), content: file.content }));
  return [...sources, { target: join(dir, "README.md"), content: emitReadme(api, errorOf, readmeDocs(dir)) }];
}

/** The hand-written parts a package's README shows (docs/workflows.md), read as they are. */
function readmeDocs(dir: string): ReadmeDocs {
  const workflows = join(dir, "docs", "workflows.md");
  return existsSync(workflows) ? { workflows: readFileSync(workflows, "utf8") } : {};
}

function allPackageFiles(root: string, apis: ApiIR[]) {
  const dir = join(root, "packages", "all");
  const manifest = join(dir, "package.json");
  const own = Object.fromEntries(apis.map((api) => [api.provider, packageOwnExports(join(root, "packages", api.provider))]));
  return [
    { target: join(dir, "src", "generated", "providers.ts"), content: emitProviders(apis, own) },
    {
      target: manifest,
      content: withProviderDependencies(
        readFileSync(manifest, "utf8"),
        apis.map((api) => api.provider),
      ),
    },
  ];
}

/**
 * @presign/cli's generated commands, its README's command list and exit codes, and its provider dependencies
 * (as @presign/all's); none in a workspace without packages/cli.
 */
function cliPackageFiles(root: string, apis: ApiIR[]) {
  const dir = join(root, "packages", "cli");
  const manifest = join(dir, "package.json");
  if (!existsSync(manifest)) return [];
  const readme = join(dir, "README.md");
  const providers = apis.map((api) => api.provider);
  return [
    { target: join(dir, "src", "generated", "commands.ts"), content: emitCliCommands(apis) },
    { target: readme, content: withCliReadmeSections(readFileSync(readme, "utf8"), apis) },
    { target: manifest, content: withProviderDependencies(readFileSync(manifest, "utf8"), providers) },
  ];
}

/** The root README's generated regions; none in a workspace without a README. Workflows: a package's own functions. */
function rootReadmeFile(root: string, apis: ApiIR[]) {
  const readme = join(root, "README.md");
  if (!existsSync(readme)) return [];
  const providers = apis.map((api) => ({
    api,
    workflows: packageOwnExports(join(root, "packages", api.provider))
      .filter((exported) => !exported.type && /^[a-z]/.test(exported.name))
      .map((exported) => exported.name),
  }));
  return [{ target: readme, content: emitRootReadme(readFileSync(readme, "utf8"), providers) }];
}

export async function generateWorkspace({ root, corePackagesDir, check }: WorkspaceOptions): Promise<WorkspaceResult> {
  const apis = readSpecs(root);
  const scaffolds = apis.map((api) => ({ api, files: scaffoldFiles(root, api) })).filter((s) => s.files.length);
  const scaffolded = scaffolds.map((s) => s.api.provider);
  const changes = changesOf(
    root,
    scaffolds.flatMap((s) => s.files),
  );
  // The scaffold's profile is written first: the README is read through it.
  if (!check) writeChanges(changes);
  const generated: { target: string; content: string }[] = [];
  for (const api of apis) generated.push(...(await packageFiles(root, api, corePackagesDir)));
  const later = changesOf(root, [...generated, ...allPackageFiles(root, apis), ...cliPackageFiles(root, apis), ...rootReadmeFile(root, apis)]);
  if (!check) writeChanges(later);
  return { specs: apis.length, changes: [...changes, ...later], scaffolded };
}
