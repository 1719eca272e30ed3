/**
 * Codegen time in a fresh process (node --import tsx bench/codegen.ts): generates every spec in
 * memory with the generator (scripts/generator), writing nothing. The first pass is cold (modules and
 * openapi-typescript warming up); PASSES more passes show the steady cost. Prints JSON.
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { performance } from "node:perf_hooks";
import { root } from "./shared.ts";

const PASSES = Number(process.env.BENCH_CODEGEN_PASSES ?? 5);
const loadStarted = performance.now();
const { generatePackage } = await import("../scripts/generator/src/index.ts");
const loadMs = performance.now() - loadStarted;

const specs = readdirSync(join(root, "specs"))
  .filter((f) => f.endsWith(".yaml"))
  .sort()
  .map((f) => ({ name: basename(f, ".yaml"), path: `specs/${f}`, text: readFileSync(join(root, "specs", f), "utf8") }));

async function pass() {
  const perSpec: Record<string, number> = {};
  let files = 0;
  const started = performance.now();
  for (const spec of specs) {
    const t = performance.now();
    files += (await generatePackage(spec.text, spec.path, spec.name)).length;
    perSpec[spec.name] = performance.now() - t;
  }
  return { ms: performance.now() - started, perSpec, files };
}

const first = await pass();
const warm = [];
for (let i = 0; i < PASSES; i++) warm.push(await pass());
process.stdout.write(JSON.stringify({ specs: specs.length, files: first.files, loadMs, firstPass: first, warmPassMs: warm.map((p) => p.ms) }));
