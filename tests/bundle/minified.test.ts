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

const esbuild = createRequire(import.meta.url)("esbuild") as typeof import("esbuild");

it("keeps error names and instanceof working in a minified bundle", async () => {
  const dir = mkdtempSync(join(tmpdir(), "presign-minified-"));
  try {
    const outfile = join(dir, "app.mjs");
    await esbuild.build({
      stdin: {
        contents: `import { createDatalabClient, InvalidRequestError, PresignError } from "@presign/datalab";
try { createDatalabClient({ apiKey: "k", baseUrl: "http://example.com" }); } catch (e) {
  console.log(JSON.stringify({ name: e.name, invalid: e instanceof InvalidRequestError, base: e instanceof PresignError, text: String(e), kind: e.kind, json: JSON.parse(JSON.stringify(e)).name }));
}`,
        resolveDir: import.meta.dirname,
      },
      bundle: true,
      minify: true,
      format: "esm",
      platform: "node",
      outfile,
    });
    const result = JSON.parse(execFileSync(process.execPath, [outfile], { encoding: "utf8" }));
    expect(result).toEqual({
      name: "InvalidRequestError",
      invalid: true,
      base: true,
      text: expect.stringMatching(/^InvalidRequestError: datalab: baseUrl must use https/),
      kind: "invalid_request",
      json: "InvalidRequestError",
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
