/**
 * Every command in the root README's and each package README's shell blocks runs on a fresh machine
 * with Node 20 and npm, or the README says first what to run (rules: tests/readme/commands.ts); every
 * `pnpm <script>` the prose names exists. The unit cases show each rule failing on a bad line.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkInlineMentions, checkReadme, readWorkspace, type Workspace, type WorkspacePackage } from "./commands.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const readmes = [
  join(root, "README.md"),
  ...readdirSync(join(root, "packages"))
    .map((dir) => join(root, "packages", dir, "README.md"))
    .filter(existsSync),
];

describe("the READMEs' commands run on a fresh machine", () => {
  const workspace = readWorkspace(root);
  for (const file of readmes) {
    const name = relative(root, file);
    it(`${name}: every command of its shell blocks`, () => {
      expect(checkReadme(name, readFileSync(file, "utf8"), workspace)).toEqual([]);
    });
    it(`${name}: every pnpm script its prose names exists`, () => {
      expect(checkInlineMentions(name, readFileSync(file, "utf8"), workspace)).toEqual([]);
    });
  }

  it("the root README has shell blocks to check, and tells how to try the packages from a clone", () => {
    const text = readFileSync(join(root, "README.md"), "utf8");
    expect(text).toMatch(/```sh\n[^`]*npx -y pnpm@\S+ pack:packages/);
    expect(text).toMatch(/```sh\n[^`]*npm install \S+\/\.packs\/presign-core-\S+\.tgz/);
  });
});

// ── the rules, each failing on a bad line ───────────────────────────────────────────────────────

function pkg(name: string, version: string, extra: Partial<WorkspacePackage> = {}): [string, WorkspacePackage] {
  return [name, { name, version, private: false, scripts: new Set(["build", "test"]), bins: [], ...extra }];
}

const fixture: Workspace = {
  pnpmVersion: "10.34.9",
  rootScripts: new Set(["demo", "test:all", "pack:packages", "generate"]),
  packages: new Map([
    pkg("@presign/core", "0.0.0"),
    pkg("@presign/datalab", "0.0.0"),
    pkg("@presign/datadog", "1.2.0"),
    pkg("@presign/cli", "0.0.0", { bins: ["presign"] }),
    pkg("@presign/tests", "0.0.0", { private: true }),
    pkg("@presign/bench", "0.0.0", { private: true, scripts: new Set(["bench"]) }),
  ]),
};

/** The reasons given for a README, one per failing command, as `line: command`. */
function failures(markdown: string): string[] {
  return checkReadme("README.md", markdown, fixture).map((p) => `${p.line}: ${p.command}`);
}

const sh = (...lines: string[]) => `\`\`\`sh\n${lines.join("\n")}\n\`\`\`\n`;

describe("the rules", () => {
  it("accepts the pinned pnpm through npx running a root script or install, and a script of a filtered package", () => {
    expect(failures(sh("npx -y pnpm@10.34.9 install && npx -y pnpm@10.34.9 demo", "npx -y pnpm@10.34.9 --filter @presign/bench bench"))).toEqual([]);
  });

  it("refuses a script the root does not have, another pnpm version, and npx without -y", () => {
    expect(failures(sh("npx -y pnpm@10.34.9 install && npx -y pnpm@10.34.9 demoo", "npx -y pnpm@9.0.0 demo", "npx pnpm@10.34.9 demo"))).toEqual([
      "2: npx -y pnpm@10.34.9 demoo",
      "3: npx -y pnpm@9.0.0 demo",
      "4: npx pnpm@10.34.9 demo",
    ]);
  });

  it("refuses a bare pnpm unless the README says first how to get it", () => {
    expect(failures(sh("pnpm generate"))).toEqual(["2: pnpm generate"]);
    expect(failures(`Install pnpm first: \`npm install -g pnpm@10.34.9\`.\n\n${sh("pnpm generate")}`)).toEqual([]);
    expect(failures(`${sh("pnpm generate")}\nInstall pnpm first: \`npm install -g pnpm@10.34.9\`.\n`)).toEqual(["2: pnpm generate"]);
  });

  it("refuses `npm install` of a package never released, unless the README says first it is not on npm yet", () => {
    expect(failures(sh("npm install @presign/datalab"))).toEqual(["2: npm install @presign/datalab"]);
    expect(failures(`The packages are not on npm yet; from a clone:\n\n${sh("npm install @presign/datalab")}`)).toEqual([]);
    // Released (1.2.0), and not ours: nothing to say first.
    expect(failures(sh("npm install @presign/datadog vitest@4"))).toEqual([]);
    expect(failures(sh("npm install @presign/tests"))).toEqual(["2: npm install @presign/tests"]);
  });

  it("accepts a packed tarball only after pack:packages, and only one it makes", () => {
    const install = "npm install /path/to/presign/.packs/presign-core-*.tgz /path/to/presign/.packs/presign-datalab-0.0.0.tgz";
    expect(failures(sh(install))).toEqual([`2: ${install}`]);
    expect(failures(sh("npx -y pnpm@10.34.9 pack:packages", install))).toEqual([]);
    expect(
      failures(sh("npx -y pnpm@10.34.9 pack:packages", "npm install ./.packs/presign-datalab-9.9.9.tgz ./.packs/presign-tests-0.0.0.tgz")),
    ).toEqual(["3: npm install ./.packs/presign-datalab-9.9.9.tgz ./.packs/presign-tests-0.0.0.tgz"]);
  });

  it("accepts `npx <bin>` without -y only for a bin installed earlier in the README", () => {
    expect(failures(sh("npx presign --help"))).toEqual(["2: npx presign --help"]);
    expect(failures(sh("npx -y pnpm@10.34.9 pack:packages", "npm install ./.packs/presign-cli-*.tgz", "npx presign --help"))).toEqual([]);
    expect(failures(sh("npx -y some-tool --version"))).toEqual([]);
  });

  it("refuses a command no rule knows, and reads prompts, variables and every part of a line", () => {
    expect(failures(sh("$ curl -fsSL https://example.com/install.sh | sh"))).toEqual(["2: curl -fsSL https://example.com/install.sh", "2: sh"]);
    expect(failures(sh("# a comment", "", "CI=true node demo.js && cd out && npm test"))).toEqual(["4: npm test"]);
    expect(failures("```ts\npnpm generate\n```\n")).toEqual([]);
    expect(failures(sh("npx -y pnpm@10.34.9 \\", "  demoo"))).toEqual(["3: npx -y pnpm@10.34.9 demoo"]);
  });

  it("refuses a pnpm script the prose names when it does not exist", () => {
    const prose = "Run `pnpm demo`, then `pnpm nope`; `npx -y pnpm@10.34.9 test:all && pnpm lint` checks it.";
    expect(checkInlineMentions("README.md", prose, fixture).map((p) => p.command)).toEqual(["pnpm nope", "pnpm lint"]);
  });
});
