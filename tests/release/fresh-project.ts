/**
 * What the release tests share: an environment that keeps npm's settings, cache and config inside a
 * temporary folder, commands run without blocking the event loop (each test serves an API from its
 * own process) and logged, and a fresh empty npm project, as a user starts one, with what it installed.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { envWithPnpm } from "./pnpm.ts";

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Shell {
  /** Runs a command; never rejects, the exit code says how it went. */
  run(file: string, args: string[], cwd: string, extraEnv?: NodeJS.ProcessEnv): Promise<Run>;
  /** Runs a command and resolves to its stdout; rejects with its output when it fails. */
  must(file: string, args: string[], cwd: string, extraEnv?: NodeJS.ProcessEnv): Promise<string>;
  /** Every command run, with its output, exit code and duration: printed when a test keeps its files. */
  log: string[];
}

/**
 * The caller's environment without its npm settings (npm_config_registry above all), with every tool
 * writing its config, cache and state into `work`, no update or funding notices, and pnpm on PATH for
 * the tools that shell out to it.
 */
export function isolatedEnv(root: string, work: string): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  return {
    ...envWithPnpm(root, clean),
    XDG_CONFIG_HOME: join(work, "xdg", "config"),
    XDG_CACHE_HOME: join(work, "xdg", "cache"),
    XDG_STATE_HOME: join(work, "xdg", "state"),
    XDG_DATA_HOME: join(work, "xdg", "data"),
    npm_config_userconfig: join(work, "npmrc-user"),
    npm_config_cache: join(work, "npm-cache"),
    npm_config_update_notifier: "false",
    npm_config_fund: "false",
    npm_config_audit: "false",
    CI: "true",
  };
}

/** Runs commands in `env` (read when each command starts, so it may be filled in later by a hook). */
export function createShell(env: () => NodeJS.ProcessEnv): Shell {
  const log: string[] = [];
  const run = (file: string, args: string[], cwd: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> => {
    const started = Date.now();
    return new Promise((done) => {
      execFile(file, args, { cwd, env: { ...env(), ...extraEnv }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        log.push(`$ ${[file, ...args].join(" ")}  (in ${cwd}, exit ${code}, ${Date.now() - started} ms)\n${stdout}${stderr}`);
        done({ code, stdout, stderr });
      });
    });
  };
  const must = async (file: string, args: string[], cwd: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<string> => {
    const result = await run(file, args, cwd, extraEnv);
    if (result.code !== 0) throw new Error(`${file} ${args.join(" ")} failed (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
    return result.stdout;
  };
  return { run, must, log };
}

/** An empty project, as `npm init` leaves it; with an `.npmrc` when given one (a local registry). */
export function createFreshProject(dir: string, npmrc?: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), `${JSON.stringify({ name: "consumer", version: "1.0.0", private: true }, null, 2)}\n`);
  if (npmrc !== undefined) writeFileSync(join(dir, ".npmrc"), npmrc);
}

/** Every package in a node_modules tree, nested ones included, as name@version, sorted. */
export function installedPackages(nodeModules: string): string[] {
  const found: string[] = [];
  if (!existsSync(nodeModules)) return found;
  const visit = (dir: string) => {
    const { name, version } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name: string; version: string };
    found.push(`${name}@${version}`);
    found.push(...installedPackages(join(dir, "node_modules")));
  };
  for (const entry of readdirSync(nodeModules)) {
    if (entry.startsWith(".")) continue;
    if (entry.startsWith("@")) for (const scoped of readdirSync(join(nodeModules, entry))) visit(join(nodeModules, entry, scoped));
    else visit(join(nodeModules, entry));
  }
  return found.sort();
}

/** `["a@1.0.0", "@b/c@2.0.0"]` → `["@b/c", "a"]`. */
export function packageNames(installed: string[]): string[] {
  return installed.map((p) => p.slice(0, p.lastIndexOf("@"))).sort();
}
