/**
 * `pnpm generate` on a workspace (a temp dir) where specs have no package yet: the CLI runs in a
 * child process, as `pnpm generate` runs it, so profiles load through the real resolve hooks.
 */
import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fixtures } from "./helpers.js";

const generator = join(import.meta.dirname, "..");
const tsx = join(generator, "node_modules/.bin/tsx");
let root: string;

/** Runs the CLI on the temp workspace, never installing. */
function generate(...args: string[]): SpawnSyncReturns<string> {
  return spawnSync(tsx, [join(generator, "src/cli.ts"), "--root", root, "--no-install", ...args], { encoding: "utf8" });
}

const read = (path: string) => readFileSync(join(root, path), "utf8");
const write = (path: string, content: string) => {
  mkdirSync(join(root, path, ".."), { recursive: true });
  writeFileSync(join(root, path), content);
};

/** A hand-written acme profile: it reads a body `code` of "burst" as the server's fault. */
const ACME_PROFILE = `import { type Profile, field } from "@presign/core/internal";

export const profile: Profile = {
  provider: "acme",
  userAgent: \`acme/\${__VERSION__}\`,
  errorOf: (status, body) => (field(body, "code") === "burst" ? { kind: "server", code: "burst", messages: [] } : undefined),
};
`;

const ALL_MANIFEST = `${JSON.stringify({ name: "@presign/all", version: "0.0.0", dependencies: { "@presign/core": "workspace:^" }, engines: { node: ">=20" } }, null, 2)}\n`;

/** A workspace with two specs and no provider package; acme's profile was written by hand first. */
function freshWorkspace(): void {
  root = mkdtempSync(join(tmpdir(), "presign-generator-"));
  mkdirSync(join(root, "specs"));
  copyFileSync(join(fixtures, "acme.yaml"), join(root, "specs/acme.yaml"));
  copyFileSync(join(fixtures, "beta.yaml"), join(root, "specs/beta.yaml"));
  write("packages/all/package.json", ALL_MANIFEST);
  write("packages/acme/src/profile.ts", ACME_PROFILE);
}
const removeWorkspace = () => rmSync(root, { recursive: true, force: true });

describe("before any package exists", () => {
  beforeEach(freshWorkspace);
  afterEach(removeWorkspace);

  it("--check fails, naming the spec and every missing file, and writes nothing", () => {
    const run = generate("--check");
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("specs/beta.yaml has no package yet: `pnpm generate` scaffolds packages/beta.");
    for (const file of [
      "packages/beta/package.json",
      "packages/beta/src/profile.ts",
      "packages/beta/src/generated/client.ts",
      "packages/acme/README.md",
    ]) {
      expect(run.stderr).toContain(`  ${file} (missing)\n`);
    }
    expect(run.stderr).toContain("  packages/all/src/generated/providers.ts (missing)\n");
    expect(existsSync(join(root, "packages/beta"))).toBe(false);
  });

  it("a spec's problems are reported by file and pointer, and nothing is written", () => {
    write("specs/beta.yaml", read("specs/beta.yaml").replace("type: string\n      responses", "anyOf: [{ type: string }]\n      responses"));
    const run = generate();
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('specs/beta.yaml#/paths/~1objects~1{key}~1url/get/parameters/0/schema: unsupported keyword "anyOf"\n');
    expect(existsSync(join(root, "packages/beta"))).toBe(false);
  });
});

// These tests share one workspace, generated once, and run in order.
describe("after `pnpm generate`", () => {
  let run: SpawnSyncReturns<string>;
  beforeAll(() => {
    freshWorkspace();
    run = generate();
  });
  afterAll(removeWorkspace);

  it("each spec has a package: scaffold, generated sources, README, and a place in @presign/all", () => {
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const scaffold = ["package.json", "tsconfig.json", "tsup.config.ts", "vitest.config.ts", "src/index.ts", "src/profile.ts", "test/client.test.ts"];
    for (const file of [...scaffold, "README.md", "src/generated/client.ts", "src/generated/schema.ts"]) {
      expect(existsSync(join(root, "packages/beta", file)), file).toBe(true);
    }
    expect(JSON.parse(read("packages/beta/package.json")).name).toBe("@presign/beta");
    expect(read("packages/all/src/generated/providers.ts")).toContain(
      "export const factories = {\n  acme: createAcmeClient,\n  beta: createBetaClient,\n} as const;",
    );
    expect(JSON.parse(read("packages/all/package.json"))).toEqual({
      name: "@presign/all",
      version: "0.0.0",
      dependencies: { "@presign/acme": "workspace:^", "@presign/beta": "workspace:^", "@presign/core": "workspace:^" },
      engines: { node: ">=20" },
    });
    expect(run.stdout).toContain("scaffolded packages/beta");
  });

  it("a hand-written profile is kept, and the README reads error bodies through it", () => {
    expect(read("packages/acme/src/profile.ts")).toBe(ACME_PROFILE);
    expect(read("packages/acme/README.md")).toContain("| 429 | `RateLimitError`, `ServerError` (`code` burst) (retried) | Slow down. |");
    // beta got the default profile.
    expect(read("packages/beta/src/profile.ts")).toContain('provider: "beta",');
  });

  it("--check finds it up to date", () => {
    const check = generate("--check");
    expect(check.stdout).toBe("generated code is up to date (2 specs)\n");
    expect(check.status).toBe(0);
  });

  it("a package's own files are never rewritten or brought back", () => {
    write("packages/beta/tsconfig.json", "{}\n");
    rmSync(join(root, "packages/beta/vitest.config.ts"));
    const again = generate();
    expect(again.status).toBe(0);
    expect(again.stdout).not.toContain("scaffolded");
    expect(read("packages/beta/tsconfig.json")).toBe("{}\n");
    expect(existsSync(join(root, "packages/beta/vitest.config.ts"))).toBe(false);
  });

  it("a package's docs/workflows.md is shown in its README: --check fails until it is regenerated", () => {
    write("packages/acme/docs/workflows.md", "Upload a file with `uploadFile(client, input)`.\n");
    const stale = generate("--check");
    expect(stale.status).toBe(1);
    expect(stale.stderr).toContain("Generated files differ from what the specs produce:\n  packages/acme/README.md\n");
    expect(generate().status).toBe(0);
    expect(read("packages/acme/README.md")).toContain("\n## Workflows\n\nUpload a file with `uploadFile(client, input)`.\n\n## Operations\n");
    expect(generate("--check").status).toBe(0);
  });

  it("--check fails on a generated file edited by hand, naming it", () => {
    write("packages/beta/src/generated/client.ts", "// edited\n");
    const check = generate("--check");
    expect(check.status).toBe(1);
    expect(check.stderr).toContain("Generated files differ from what the specs produce:\n  packages/beta/src/generated/client.ts\n");
  });
});
