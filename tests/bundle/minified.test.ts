/**
 * What a user's bundler makes of the packages: minified, class names are mangled, so an error's
 * `name` must not come from `constructor.name`.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { providers } from "../providers.ts";

const esbuild = createRequire(import.meta.url)("esbuild") as typeof import("esbuild");

/** Each provider's client, made with an http base URL, which every client refuses. */
const refusals = `const credentials = ${JSON.stringify(Object.fromEntries(providers.map((p) => [p.name, p.credentialsOf()])))};
const seen = {};
for (const [name, create] of Object.entries(factories)) {
  try { create({ ...credentials[name], baseUrl: "http://example.com" }); seen[name] = "accepted"; } catch (e) {
    seen[name] = { name: e.name, invalid: e instanceof InvalidRequestError, base: e instanceof PresignError, text: String(e), kind: e.kind, json: JSON.parse(JSON.stringify(e)).name };
  }
}
console.log(JSON.stringify(seen));`;

it("keeps error names and instanceof working in a minified bundle of every provider", async () => {
  const dir = mkdtempSync(join(tmpdir(), "presign-minified-"));
  try {
    const outfile = join(dir, "app.mjs");
    await esbuild.build({
      stdin: {
        contents: `import { factories, InvalidRequestError, PresignError } from "@presign/all";\n${refusals}`,
        resolveDir: import.meta.dirname,
      },
      bundle: true,
      minify: true,
      format: "esm",
      platform: "node",
      outfile,
    });
    const result = JSON.parse(execFileSync(process.execPath, [outfile], { encoding: "utf8" }));
    expect(Object.keys(result).sort()).toEqual(providers.map((p) => p.name).sort());
    for (const { name } of providers) {
      expect(result[name], name).toEqual({
        name: "InvalidRequestError",
        invalid: true,
        base: true,
        text: expect.stringMatching(new RegExp(`^InvalidRequestError: ${name}: baseUrl must use https`)),
        kind: "invalid_request",
        json: "InvalidRequestError",
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
