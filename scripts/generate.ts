/**
 * `pnpm generate`: regenerates packages/<provider>/src/generated/ from specs/<provider>.yaml.
 * `pnpm generate --check`: writes nothing, fails when a committed generated file differs.
 * `--spec FILE --out DIR --name NAME`: one spec into any folder (used by tests).
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { generatePackage } from "./codegen.ts";
import { renderReadme } from "./readme.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: { check: { type: "boolean" }, spec: { type: "string" }, out: { type: "string" }, name: { type: "string" } },
});

const jobs = values.spec
  ? [{ spec: resolve(values.spec), out: resolve(values.out ?? "."), name: values.name ?? basename(values.spec, ".yaml") }]
  : readdirSync(join(root, "specs"))
      .filter((f) => f.endsWith(".yaml"))
      .map((f) => {
        const name = basename(f, ".yaml");
        return { spec: join(root, "specs", f), out: join(root, "packages", name, "src", "generated"), name, readme: join(root, "packages", name, "README.md") };
      });

const stale: string[] = [];
for (const job of jobs) {
  const specPath = relative(root, job.spec).startsWith("..") ? basename(job.spec) : relative(root, job.spec);
  const specText = readFileSync(job.spec, "utf8");
  const files = (await generatePackage(specText, specPath, job.name)).map((f) => ({ target: join(job.out, f.path), content: f.content }));
  if ("readme" in job) files.push({ target: job.readme, content: renderReadme(specText, specPath, job.name) });
  for (const { target, ...file } of files) {
    let current: string | undefined;
    try {
      current = readFileSync(target, "utf8");
    } catch {}
    if (current === file.content) continue;
    if (values.check) stale.push(relative(root, target));
    else {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, file.content);
      console.log(`wrote ${relative(root, target)}`);
    }
  }
}
if (stale.length) {
  console.error(`Generated files differ from what the specs produce:\n  ${stale.join("\n  ")}\nRun \`pnpm generate\` and commit the result.`);
  process.exit(1);
}
console.log(values.check ? `generated code is up to date (${jobs.length} specs)` : `generated ${jobs.length} package(s)`);
