/**
 * `pnpm generate`: regenerates every package from specs/<provider>.yaml (generated sources, README,
 * @presign/all's provider list), scaffolding a package for a spec that has none.
 * `pnpm generate --check`: writes nothing, fails naming every file that differs.
 * `--spec FILE --out DIR --name NAME`: one spec's generated sources into any folder (used by tests).
 * `--root DIR` works on another workspace; `--no-install` skips `pnpm install` after a scaffold.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { generatePackage } from "./generate.js";
import { installWorkspace } from "./install.js";
import { SpecError } from "./spec/problems.js";
import { generateWorkspace } from "./workspace.js";

/** This repository: the generator lives in scripts/generator/src. */
const repoRoot = resolve(import.meta.dirname, "../../..");

const { values } = parseArgs({
  options: {
    check: { type: "boolean" },
    spec: { type: "string" },
    out: { type: "string" },
    name: { type: "string" },
    root: { type: "string" },
    "no-install": { type: "boolean" },
  },
});

/** `--spec` mode: the spec is named by its path in this repository, else by its file name. */
async function generateOne(spec: string, out: string, name: string): Promise<void> {
  const inRepo = relative(repoRoot, spec);
  const specPath = inRepo.startsWith("..") ? basename(spec) : inRepo;
  for (const file of await generatePackage(readFileSync(spec, "utf8"), specPath, name)) {
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, file.path), file.content);
    console.log(`wrote ${join(out, file.path)}`);
  }
}

async function generateAll(root: string, check: boolean): Promise<number> {
  const result = await generateWorkspace({ root, corePackagesDir: join(repoRoot, "packages"), check });
  if (check) {
    if (!result.changes.length) {
      console.log(`generated code is up to date (${result.specs} specs)`);
      return 0;
    }
    for (const provider of result.scaffolded)
      console.error(`specs/${provider}.yaml has no package yet: \`pnpm generate\` scaffolds packages/${provider}.`);
    const list = result.changes.map((c) => `  ${c.path}${c.created ? " (missing)" : ""}`).join("\n");
    console.error(`Generated files differ from what the specs produce:\n${list}\nRun \`pnpm generate\` and commit the result.`);
    return 1;
  }
  for (const change of result.changes) console.log(`${change.created ? "created" : "wrote"} ${change.path}`);
  for (const provider of result.scaffolded) console.log(`scaffolded packages/${provider}: its profile, test and package.json are yours to edit`);
  if (result.scaffolded.length && !values["no-install"] && !installWorkspace(root, console.log)) {
    console.error("pnpm install failed: run it yourself so the new package is linked into the workspace.");
    return 1;
  }
  console.log(`generated ${result.specs} package(s)`);
  return 0;
}

try {
  if (values.spec) await generateOne(resolve(values.spec), resolve(values.out ?? "."), values.name ?? basename(values.spec, ".yaml"));
  else process.exitCode = await generateAll(resolve(values.root ?? repoRoot), Boolean(values.check));
} catch (error) {
  if (!(error instanceof SpecError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
