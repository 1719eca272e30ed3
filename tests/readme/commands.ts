/**
 * Whether each command in a README's shell blocks runs on a fresh machine that has Node 20 and npm
 * and nothing else, or the README says first what makes it run. One rule per command head:
 *
 * - `npx -y pnpm@<packageManager's version> …`: the pinned pnpm, fetched by npx; what follows is
 *   `install` or the name of a script of the root (or of the `--filter`ed workspace package).
 * - `pnpm …`: the same, and only after the README says how to get pnpm on PATH
 *   (`npm install -g pnpm@…` or `corepack enable`).
 * - `npm install …`: a `@presign/*` package that was never released (version 0.0.0) only after the
 *   README says the packages are not on npm yet; a packed tarball only after the README says to run
 *   `pack:packages`, and only one that `pack:packages` makes.
 * - `npx <bin>` without `-y`: only a bin of a package the README installed before (npx would ask to
 *   download anything else, or fetch an unrelated package of that name); with `-y` anything.
 * - a bin of a package the README installed before (`presign` after `npm install --global @presign/cli`).
 * - `node`, `cd`, `git clone`, `mkdir`: always. Anything else has no rule, and is a problem until one
 *   is written: an unknown command is not assumed to work.
 *
 * "Before" means earlier in the same file: a reader who opens one package's README has read nothing else.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";

export interface WorkspacePackage {
  name: string;
  version: string;
  private: boolean;
  scripts: Set<string>;
  bins: string[];
}

export interface Workspace {
  /** The pnpm version of the root's `packageManager` field. */
  pnpmVersion: string;
  rootScripts: Set<string>;
  /** Every workspace package, by name. */
  packages: Map<string, WorkspacePackage>;
}

export interface Problem {
  file: string;
  /** 1-based line of the command in the file. */
  line: number;
  command: string;
  reason: string;
}

/** pnpm's own commands a README may run without a script of that name. */
const PNPM_BUILTINS = new Set(["install", "i", "add", "exec", "dlx", "pack", "publish", "why", "list", "ls"]);
/** Commands that need nothing but Node and npm, or a shell. */
const ALWAYS_RUNNABLE = new Set(["node", "cd", "mkdir"]);

/** What the text before a command says, which decides whether the command may appear. */
const PNPM_ON_PATH = /npm install (-g|--global) pnpm@|corepack enable/;
const NOT_ON_NPM_YET = /not on npm yet/i;
const PACKS_MADE = /pack:packages/;

// ── reading the workspace ───────────────────────────────────────────────────────────────────────

interface Manifest {
  name?: string;
  version?: string;
  private?: boolean;
  packageManager?: string;
  scripts?: Record<string, string>;
  bin?: string | Record<string, string>;
}

function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;
}

function workspacePackage(manifest: Manifest): WorkspacePackage {
  const name = manifest.name ?? "";
  const bins = typeof manifest.bin === "string" ? [name.split("/").pop() ?? name] : Object.keys(manifest.bin ?? {});
  return {
    name,
    version: manifest.version ?? "0.0.0",
    private: manifest.private === true,
    scripts: new Set(Object.keys(manifest.scripts ?? {})),
    bins,
  };
}

/** The root's scripts and pnpm version, and every package of packages/, tests, bench and the generator. */
export function readWorkspace(root: string): Workspace {
  const rootManifest = readManifest(root);
  const dirs = [
    ...readdirSync(join(root, "packages")).map((dir) => join(root, "packages", dir)),
    join(root, "tests"),
    join(root, "bench"),
    join(root, "scripts", "generator"),
  ].filter((dir) => existsSync(join(dir, "package.json")));
  const packages = new Map(dirs.map((dir) => workspacePackage(readManifest(dir))).map((p) => [p.name, p]));
  return {
    pnpmVersion: (rootManifest.packageManager ?? "").replace(/^pnpm@/, "").split("+")[0] ?? "",
    rootScripts: new Set(Object.keys(rootManifest.scripts ?? {})),
    packages,
  };
}

// ── reading a README ────────────────────────────────────────────────────────────────────────────

export interface ShellCommand {
  line: number;
  /** One command: a line split at `&&`, `||`, `;` and `|`, without a `$ ` prompt or `VAR=value` prefixes. */
  words: string[];
  /** The file's text before the command's line. */
  before: string;
}

const SHELL_FENCE = /^ *```(sh|bash|shell|console)\s*$/;
const FENCE_END = /^ *```\s*$/;

/** Every command of every fenced sh/bash/shell/console block, with its line number (a `\` continues a line). */
export function shellCommands(text: string): ShellCommand[] {
  const lines = text.split("\n");
  const commands: ShellCommand[] = [];
  let inBlock = false;
  let continued = "";
  for (const [index, line] of lines.entries()) {
    if (!inBlock) {
      inBlock = SHELL_FENCE.test(line);
      continue;
    }
    if (FENCE_END.test(line)) {
      inBlock = false;
      continue;
    }
    if (line.trimEnd().endsWith("\\")) {
      continued += `${line.trimEnd().slice(0, -1)} `;
      continue;
    }
    const before = lines.slice(0, index).join("\n");
    for (const command of splitCommandLine(continued + line)) commands.push({ line: index + 1, words: command, before });
    continued = "";
  }
  return commands;
}

function splitCommandLine(line: string): string[][] {
  const text = line.trim().replace(/^\$ /, "");
  if (text === "" || text.startsWith("#")) return [];
  return text
    .split(/&&|\|\||;|\|/)
    .map((part) => withoutAssignments(part.trim().split(/\s+/).filter(Boolean)))
    .filter((words) => words.length > 0);
}

/** `CI=true FOO=1 npm test` → `npm test`. */
function withoutAssignments(words: string[]): string[] {
  const first = words.findIndex((word) => !/^[A-Z_][A-Z0-9_]*=/.test(word));
  return first < 0 ? [] : words.slice(first);
}

// ── the rules ───────────────────────────────────────────────────────────────────────────────────

/** Where a command stands in its README. */
interface Context {
  workspace: Workspace;
  /** The file's text before the command's line: what the reader has been told and has run. */
  before: string;
  /** The packages the README's earlier `npm install` commands installed. */
  installed: string[];
}

/** Why a command cannot run on a fresh machine where it stands; undefined when it can. */
type Rule = (words: string[], context: Context) => string | undefined;

const rules: Record<string, Rule> = {
  npx: checkNpx,
  pnpm: (words, context) =>
    PNPM_ON_PATH.test(context.before)
      ? checkPnpmArguments(words.slice(1), context.workspace)
      : "a bare `pnpm` is not on a fresh machine: write `npx -y pnpm@<version> …`, or say first how to get it (`npm install -g pnpm@…` or `corepack enable`)",
  npm: checkNpm,
  git: (words) => (words[1] === "clone" ? undefined : `no rule for \`git ${words[1] ?? ""}\`: only \`git clone\` is known to run on a fresh machine`),
};

function checkCommand(words: string[], context: Context): string | undefined {
  const [head = ""] = words;
  if (ALWAYS_RUNNABLE.has(head) || binInstalled(head, context)) return undefined;
  const rule = rules[head];
  if (!rule) return `no rule says whether \`${head}\` runs on a fresh machine with Node 20 and npm (add one to tests/readme/commands.ts if it does)`;
  return rule(words, context);
}

function checkNpx(words: string[], context: Context): string | undefined {
  const yes = words[1] === "-y" || words[1] === "--yes";
  const [tool = "", ...rest] = words.slice(yes ? 2 : 1);
  const pnpm = /^pnpm@(.+)$/.exec(tool);
  if (pnpm) {
    const { pnpmVersion } = context.workspace;
    if (pnpm[1] !== pnpmVersion) return `pnpm@${pnpm[1]} is not the root's packageManager (pnpm@${pnpmVersion})`;
    if (!yes) return "`npx pnpm@…` without `-y` asks before downloading pnpm: write `npx -y pnpm@…`";
    return checkPnpmArguments(rest, context.workspace);
  }
  if (yes || binInstalled(tool, context)) return undefined;
  return `\`npx ${tool}\` without \`-y\` needs a package with that bin installed earlier in this README (npx would ask to download it, or fetch an unrelated package named ${tool})`;
}

/** Whether a package installed earlier in the README provides `bin`. */
function binInstalled(bin: string, context: Context): boolean {
  return context.installed.some((name) => (context.workspace.packages.get(name)?.bins ?? [name.split("/").pop()]).includes(bin));
}

function checkPnpmArguments(args: string[], workspace: Workspace): string | undefined {
  const { filter, rest } = takeFilter(args);
  const [first = "", second] = rest;
  if (filter === undefined && PNPM_BUILTINS.has(first)) return undefined;
  const script = first === "run" ? second : first;
  if (script === undefined) return "pnpm without a script or command";
  if (filter === undefined) return workspace.rootScripts.has(script) ? undefined : `\`${script}\` is not a script of the root package.json`;
  const target = workspace.packages.get(filter);
  if (!target) return `--filter ${filter} names no workspace package`;
  return target.scripts.has(script) ? undefined : `\`${script}\` is not a script of ${filter}`;
}

function takeFilter(args: string[]): { filter?: string; rest: string[] } {
  const at = args.findIndex((arg) => arg === "--filter" || arg === "-F");
  if (at < 0) return { rest: args };
  return { filter: args[at + 1], rest: [...args.slice(0, at), ...args.slice(at + 2)] };
}

const INSTALL_COMMANDS = new Set(["install", "i", "add"]);

/** The package specs of an `npm install` command (flags left out); empty for any other command. */
function installSpecs(words: string[]): string[] {
  if (words[0] !== "npm" || !INSTALL_COMMANDS.has(words[1] ?? "")) return [];
  return words.slice(2).filter((word) => !word.startsWith("-"));
}

function checkNpm(words: string[], context: Context): string | undefined {
  if (!INSTALL_COMMANDS.has(words[1] ?? "")) return `no rule for \`npm ${words[1] ?? ""}\`: only \`npm install\` is known to run on a fresh machine`;
  const problems = installSpecs(words)
    .map((spec) => checkInstallSpec(spec, context))
    .filter((problem) => problem !== undefined);
  return problems.length > 0 ? problems.join("; ") : undefined;
}

function checkInstallSpec(spec: string, context: Context): string | undefined {
  if (spec.endsWith(".tgz")) return checkTarball(spec, context);
  const name = packageOfSpec(spec, context.workspace);
  const own = context.workspace.packages.get(name);
  if (!own || !name.startsWith("@presign/")) return undefined;
  if (own.private) return `${name} is private: it is never on npm`;
  if (own.version === "0.0.0" && !NOT_ON_NPM_YET.test(context.before))
    return `${name} was never released (version 0.0.0): npm answers 404 unless the README says first that the packages are not on npm yet, and how to try them`;
  return undefined;
}

/** The publishable packages, each with the tarball names `pack:packages` gives it (its version, or a `*` glob). */
function packedTarballs(workspace: Workspace): { name: string; files: string[] }[] {
  return [...workspace.packages.values()]
    .filter((p) => !p.private && p.name.startsWith("@presign/"))
    .map((p) => {
      const stem = p.name.slice(1).replace("/", "-");
      return { name: p.name, files: [`${stem}-${p.version}.tgz`, `${stem}-*.tgz`] };
    });
}

/** A tarball must be one `pack:packages` makes, and the README must say first to run it. */
function checkTarball(spec: string, context: Context): string | undefined {
  if (!PACKS_MADE.test(context.before)) return `${spec}: say first how to make it (\`pack:packages\`)`;
  if (packageOfSpec(spec, context.workspace) !== "") return undefined;
  const made = packedTarballs(context.workspace).map((p) => p.files[0]);
  return `${basename(spec)} is not a tarball \`pack:packages\` makes (${made.join(", ")})`;
}

/** The package a spec installs: `@presign/datalab@^1` → `@presign/datalab`, `vitest@4` → `vitest`, a packed tarball → its package ("" for another tarball). */
function packageOfSpec(spec: string, workspace: Workspace): string {
  if (spec.endsWith(".tgz")) return packedTarballs(workspace).find((p) => p.files.includes(basename(spec)))?.name ?? "";
  const at = spec.indexOf("@", spec.startsWith("@") ? 1 : 0);
  return at < 0 ? spec : spec.slice(0, at);
}

// ── a README ────────────────────────────────────────────────────────────────────────────────────

/** Every command of `text`'s shell blocks that cannot run on a fresh machine where it stands, and why. */
export function checkReadme(file: string, text: string, workspace: Workspace): Problem[] {
  const problems: Problem[] = [];
  const installed: string[] = [];
  for (const { line, words, before } of shellCommands(text)) {
    const reason = checkCommand(words, { workspace, before, installed });
    if (reason !== undefined) problems.push({ file, line, command: words.join(" "), reason });
    installed.push(...installSpecs(words).map((spec) => packageOfSpec(spec, workspace)));
  }
  return problems;
}

/**
 * Prose names commands too (`pnpm size`, `npx -y pnpm@… release:test`): each must name a script that
 * exists. Whether a bare `pnpm` runs is the business of a sentence in the prose, not of this check.
 */
export function checkInlineMentions(file: string, text: string, workspace: Workspace): Problem[] {
  const problems: Problem[] = [];
  for (const [index, line] of text.split("\n").entries()) {
    for (const [, span = ""] of line.matchAll(/`([^`]+)`/g)) {
      for (const part of span.split(/&&|\|\||;/)) {
        const words = part.trim().split(/\s+/);
        const args = words[0] === "pnpm" ? words.slice(1) : words[0] === "npx" && /^pnpm@/.test(words[2] ?? "") ? words.slice(3) : undefined;
        if (!args || args.length === 0 || args[0]?.startsWith("<")) continue;
        const reason = checkPnpmArguments(args, workspace);
        if (reason !== undefined) problems.push({ file, line: index + 1, command: part.trim(), reason });
      }
    }
  }
  return problems;
}
