/**
 * The GitHub workflows: `pnpm lint:workflows` validates each against GitHub's schema and fails on a
 * bad one, and they do what the README's "Releases" says (CI runs .ci/run, pull requests need a
 * changeset, the release publishes with provenance through root scripts that exist).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const workflowsDir = join(root, ".github", "workflows");
const rootManifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> };
const scratch = mkdtempSync(join(tmpdir(), "presign-workflows-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
interface Job {
  if?: string;
  "runs-on": string;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  concurrency: { group: string; "cancel-in-progress": boolean | string };
  jobs: Record<string, Job>;
}

/** GitHub's `${{ … }}` expression around `inner` (a template literal, which `$\{` keeps from being a placeholder). */
const expression = (inner: string) => `$\{{ ${inner} }}`;

const workflow = (name: string) => parse(readFileSync(join(workflowsDir, name), "utf8")) as Workflow;

/** Runs the root's `lint:workflows` script as pnpm would (sh, root bins on PATH) in `cwd`. */
function lintWorkflows(cwd: string) {
  const PATH = `${join(root, "node_modules", ".bin")}${delimiter}${process.env.PATH ?? ""}`;
  return spawnSync("sh", ["-c", rootManifest.scripts["lint:workflows"]!], { cwd, env: { ...process.env, PATH, FORCE_COLOR: "0" }, encoding: "utf8" });
}

describe("pnpm lint:workflows", () => {
  it("passes on every workflow of the repository", () => {
    const result = lintWorkflows(root);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split("\n").sort()).toEqual(
      readdirSync(workflowsDir)
        .map((f) => `valid: .github/workflows/${f}`)
        .sort(),
    );
  });

  it("fails on a workflow GitHub would refuse, and names the problem", () => {
    const copy = join(scratch, "repo");
    mkdirSync(join(copy, ".github"), { recursive: true });
    cpSync(workflowsDir, join(copy, ".github", "workflows"), { recursive: true });
    const broken = readFileSync(join(workflowsDir, "ci.yml"), "utf8").replace("runs-on: ubuntu-latest", "runs_on: ubuntu-latest");
    writeFileSync(join(copy, ".github", "workflows", "ci.yml"), broken);
    const result = lintWorkflows(copy);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("Additional property 'runs_on' is not allowed");
  });
});

describe("ci.yml", () => {
  const ci = workflow("ci.yml");

  it("runs on pushes to main and on pull requests, with a read-only token, superseded PR runs cancelled", () => {
    expect(ci.on).toEqual({ push: { branches: ["main"] }, pull_request: null });
    expect(ci.permissions).toEqual({ contents: "read" });
    expect(ci.concurrency.group).toContain("github.event.pull_request.number");
    expect(ci.concurrency["cancel-in-progress"]).toBe(expression("github.event_name == 'pull_request'"));
  });

  it("job ci runs .ci/run on Node 20, which installs with the pinned pnpm and runs test:all", () => {
    const { steps } = ci.jobs.ci!;
    expect(steps.find((s) => s.uses?.startsWith("actions/setup-node@"))?.with).toEqual({ "node-version": 20 });
    expect(steps.map((s) => s.run).filter(Boolean)).toEqual([".ci/run"]);
    expect(readFileSync(join(root, ".ci", "run"), "utf8")).toContain("npx -y pnpm@10.34.9 install --frozen-lockfile && npx -y pnpm@10.34.9 test:all");
    expect(execFileSync("git", ["ls-files", "-s", ".ci/run"], { cwd: root, encoding: "utf8" })).toMatch(/^100755 /);
  });

  it("job changesets, on pull requests only, runs changeset status against the base branch with its history", () => {
    const job = ci.jobs.changesets!;
    expect(job.if).toBe("github.event_name == 'pull_request'");
    expect(job.steps.find((s) => s.uses?.startsWith("actions/checkout@"))?.with).toEqual({ "fetch-depth": 0 });
    expect(job.steps.at(-1)?.run).toBe(`npx -y pnpm@10.34.9 changeset status --since=origin/${expression("github.base_ref")}`);
    expect(rootManifest.scripts.changeset).toBe("changeset");
  });
});

describe("release.yml", () => {
  const release = workflow("release.yml");
  const steps = release.jobs.release!.steps;
  const action = steps.find((s) => s.uses?.startsWith("changesets/action@"))!;

  it("runs on pushes to main, one at a time, never cancelled, with the permissions to push, open a PR and sign provenance", () => {
    expect(release.on).toEqual({ push: { branches: ["main"] } });
    expect(release.concurrency["cancel-in-progress"]).toBe(false);
    expect(release.permissions).toEqual({ contents: "write", "pull-requests": "write", "id-token": "write" });
  });

  it("installs before the action, which versions and publishes through root scripts that build and publish", () => {
    expect(action.uses).toBe("changesets/action@v1");
    expect(steps.indexOf(action)).toBeGreaterThan(steps.findIndex((s) => s.run === "pnpm install --frozen-lockfile"));
    expect(action.with).toMatchObject({ version: "pnpm run version-packages", publish: "pnpm run release" });
    expect(rootManifest.scripts["version-packages"]).toBe("changeset version");
    expect(rootManifest.scripts.release).toMatch(/^turbo run build\b.* && changeset publish$/);
  });

  it("publishes to npm with provenance and the NPM_TOKEN secret", () => {
    expect(steps.find((s) => s.uses?.startsWith("actions/setup-node@"))?.with).toEqual({
      "node-version": 20,
      "registry-url": "https://registry.npmjs.org",
    });
    expect(action.env).toMatchObject({
      NPM_CONFIG_PROVENANCE: true,
      NPM_TOKEN: expression("secrets.NPM_TOKEN"),
      NODE_AUTH_TOKEN: expression("secrets.NPM_TOKEN"),
    });
    for (const dir of readdirSync(join(root, "packages"))) {
      const manifest = JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8"));
      if (!manifest.private) expect(manifest.publishConfig, manifest.name).toEqual({ access: "public", provenance: true });
    }
  });
});
