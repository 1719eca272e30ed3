/**
 * Runs demo.ts without a build step: esbuild (what tsup builds the packages with) bundles it together with the
 * packages' sources, and Node runs the bundle. So the demo needs only esbuild, yaml and the packages' own
 * dependencies — not the workspace's build, lint and test tools.
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const demoDir = dirname(fileURLToPath(import.meta.url));
const packagesDir = join(demoDir, "..", "packages");
// Beside demo.ts: the bundled test-support code finds specs/ relative to its own file, one folder below the root.
const outfile = join(demoDir, "demo.bundle.mjs");

/** `@presign/<name>[/<subpath>]` and a package's own `#imports` resolve to the sources of the files they export. */
const packageSources = {
  name: "presign-package-sources",
  setup(bundler) {
    bundler.onResolve({ filter: /^@presign\/[a-z]+(\/|$)/ }, ({ path }) => {
      const [, name, subpath] = path.match(/^@presign\/([a-z]+)(\/.*)?$/);
      const packageDir = join(packagesDir, name);
      return { path: sourceOf(packageDir, manifestOf(packageDir).exports?.[`.${subpath ?? ""}`]?.import?.default, path) };
    });
    bundler.onResolve({ filter: /^#/ }, ({ path, importer }) => {
      const packageDir = join(packagesDir, importer.slice(packagesDir.length + 1).split(/[\\/]/)[0]);
      return { path: sourceOf(packageDir, manifestOf(packageDir).imports?.[path]?.node?.import, path) };
    });
  },
};

const manifestOf = (packageDir) => JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8"));

/** The source of a built file (`./dist/md5-node.js` → `src/lib/md5-node.ts`): tsup flattens its entries into dist/. */
function sourceOf(packageDir, builtFile, specifier) {
  if (!builtFile) throw new Error(`${specifier}: ${packageDir}/package.json maps it to no ES module file`);
  const sourceName = basename(builtFile).replace(/\.js$/, ".ts");
  // The shallowest file of that name: src/index.ts, not src/storage/index.ts.
  const depth = (file) => file.split(/[\\/]/).length;
  const [source] = readdirSync(join(packageDir, "src"), { recursive: true })
    .filter((file) => basename(file) === sourceName)
    .sort((a, b) => depth(a) - depth(b));
  if (!source) throw new Error(`${specifier}: no ${sourceName} under ${packageDir}/src for ${builtFile}`);
  return join(packageDir, "src", source);
}

await build({
  entryPoints: [join(demoDir, "demo.ts")],
  outfile,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // yaml is the demo's own dependency; the packages' dependencies resolve from their own node_modules.
  nodePaths: [join(demoDir, "node_modules")],
  define: { __VERSION__: JSON.stringify("demo") },
  // yaml is CommonJS and requires Node's builtins: give the ES module bundle a require.
  banner: { js: 'import { createRequire } from "node:module"; const require = createRequire(import.meta.url);' },
  plugins: [packageSources],
  logLevel: "warning",
});
await import(pathToFileURL(outfile).href);
