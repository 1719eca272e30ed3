/**
 * `pnpm size`: what a user's bundler pulls in for one provider, per provider. Bundles the built packages
 * (run `pnpm build` first) with esbuild, minified, and reports minified and min+gzip bytes of:
 *   - a one-call app, `import { createXClient } from "@presign/x"` (openapi-fetch left external): held
 *     under a ceiling, and checked to hold none of the storage leg (downloads, uploads, exports);
 *   - the same with openapi-fetch bundled in, for information;
 *   - an app that also uses every workflow of the package (`uploadTestFile`, `download`, …), for information.
 * Exits 1 when a provider is over budget or its one-call app bundles storage code. Writes nothing.
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

/**
 * The ceiling CI enforces for a one-call app (provider + shared runtime, openapi-fetch external), min+gzip,
 * so that size never grows by accident. Before the storage leg the one-call apps weighed 7.64–7.92 kB.
 * The storage leg itself adds about 0.1 kB to them: remembering which results hold a presigned URL, so that
 * `presigned(result)` can read them later. The operations the workflows need grow each generated
 * definition instead: 0.06 kB (Datadog) to 0.63 kB (Powerdrill, six new operations), because a client
 * carries the definition of every operation of its spec. The ceiling sits just above that.
 */
const CEILING = 8.5 * 1024;

/**
 * Strings that only the storage leg holds (download's resume, the part uploader, expiry from URLs, file
 * sources): a one-call app whose bundle contains one of them pulls in code it never runs.
 */
const STORAGE_MARKERS = ["If-Match", "etag_not_exposed", "x-goog-expires", "openAsBlob"];

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
// @presign/all depends on every provider, so each resolves from its folder as a user's app would.
const resolveDir = join(root, "packages", "all");

const camel = (name: string) => name.replace(/[^A-Za-z0-9]+(.)/g, (_, c: string) => c.toUpperCase());
const pascal = (name: string) => camel(name)[0]!.toUpperCase() + camel(name).slice(1);

/** The workflow functions a provider package exports from its `src/lib`, read from its index. */
function workflowsOf(provider: string): string[] {
  const index = readFileSync(join(root, "packages", provider, "src", "index.ts"), "utf8");
  const names = new Set<string>(["download", "presigned"]);
  for (const [, list] of index.matchAll(/export \{([^}]*)\} from "\.\/lib\//g)) {
    for (const item of list!.split(",").map((s) => s.trim())) if (item && !item.startsWith("type ") && /^[a-z]/.test(item)) names.add(item);
  }
  if (/export \* from "\.\/lib\/export\.js"/.test(index)) names.add("exportTask");
  return [...names];
}

async function measure(provider: string, imports: string[], external: string[]) {
  const result = await build({
    stdin: { contents: `export { ${imports.join(", ")} } from "@presign/${provider}";`, resolveDir, loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    external,
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]!.contents;
  return { min: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength, text: new TextDecoder().decode(code) };
}

const providers = readdirSync(join(root, "specs"))
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => basename(f, ".yaml"))
  .sort();

const kB = (bytes: number) => `${(bytes / 1024).toFixed(2)} kB`;
const rows: string[][] = [
  ["provider", "one call min", "one call gz", "+ openapi-fetch gz", "+ every workflow gz", "storage code in one call", "ceiling (CI)"],
];
let over = 0;
for (const provider of providers) {
  const create = `create${pascal(provider)}Client`;
  const own = await measure(provider, [create], ["openapi-fetch"]);
  const full = await measure(provider, [create], []);
  const workflows = await measure(provider, [create, ...workflowsOf(provider)], ["openapi-fetch"]);
  const leaked = STORAGE_MARKERS.filter((marker) => own.text.includes(marker));
  const ok = own.gzip <= CEILING && leaked.length === 0;
  if (!ok) over++;
  rows.push([
    `@presign/${provider}`,
    kB(own.min),
    kB(own.gzip),
    kB(full.gzip),
    kB(workflows.gzip),
    leaked.length ? `YES: ${leaked.join(", ")}` : "none",
    own.gzip <= CEILING ? `ok (≤ ${kB(CEILING)})` : `OVER ${kB(CEILING)}`,
  ]);
}

const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
const line = (r: string[]) => `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
console.log(line(rows[0]!));
console.log(`|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`);
for (const r of rows.slice(1)) console.log(line(r));
if (over) {
  console.error(`\n${over} provider(s) over the ceiling of ${CEILING} bytes min+gzip, or bundling storage code in a one-call app.`);
  process.exit(1);
}
