/**
 * msw stays in the `/testing` entries: an app that imports a provider's main entry bundles none of it, and a
 * browser test that imports `/testing` for its handlers loads node:http only if it starts the storage server.
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Metafile } from "esbuild";
import { expect, it } from "vitest";
import { providers } from "../providers.ts";

const esbuild = createRequire(import.meta.url)("esbuild") as typeof import("esbuild");
// @presign/all depends on every provider, so each resolves from its folder as a user's app would.
const resolveDir = join(import.meta.dirname, "..", "..", "packages", "all");
const packages = ["core", ...providers.map((p) => p.name)];

async function browserBundle(contents: string, external: string[]): Promise<Metafile> {
  const result = await esbuild.build({
    stdin: { contents, resolveDir, loader: "js" },
    bundle: true,
    format: "esm",
    platform: "browser",
    splitting: true,
    outdir: "/virtual",
    write: false,
    metafile: true,
    logLevel: "silent",
    external,
  });
  return result.metafile;
}

it.each(packages)("@presign/%s: the main entry bundles no msw", async (name) => {
  // msw is bundled, not external: any import of it would show as an input from its package.
  const { inputs } = await browserBundle(`export * from "@presign/${name}";`, ["node:*", "#md5", "#send"]);
  expect(Object.keys(inputs).filter((path) => /node_modules\/(msw|@mswjs)\//.test(path))).toEqual([]);
});

/** Every import reached from an output through static imports only: what loads when the entry loads. */
function staticImports(metafile: Metafile, output: string, seen = new Set<string>()): string[] {
  if (seen.has(output)) return [];
  seen.add(output);
  const imports = metafile.outputs[output]?.imports.filter((i) => i.kind === "import-statement") ?? [];
  return imports.flatMap((i) => [i.path, ...staticImports(metafile, i.path, seen)]);
}

it.each(packages)("@presign/%s/testing: node:http is loaded only by the storage server's lazy chunk", async (name) => {
  const metafile = await browserBundle(`export * from "@presign/${name}/testing";`, ["msw", "node:*", "#md5", "#send"]);
  const [entryPath] = Object.keys(metafile.outputs).filter((path) => metafile.outputs[path]!.entryPoint !== undefined);
  const entry = metafile.outputs[entryPath!]!;
  const loaded = staticImports(metafile, entryPath!);
  expect(loaded.filter((path) => path.startsWith("node:"))).toEqual([]);
  expect(loaded).toContain("msw");
  // The storage server is there, behind a dynamic import: its chunk imports node:http.
  const lazy = entry.imports.filter((i) => i.kind === "dynamic-import").map((i) => metafile.outputs[i.path]);
  expect(lazy.some((chunk) => chunk?.imports.some((i) => i.path === "node:http"))).toBe(true);
});
