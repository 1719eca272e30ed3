import { describe, expect, it } from "vitest";
import { emitRootReadme } from "../src/emit/root-readme.js";
import { acme, problemsOf } from "./helpers.js";

const readme = [
  "# presign",
  "",
  "<!-- generated:providers-table (pnpm generate, from specs/) -->",
  "| stale | table |",
  "<!-- /generated:providers-table -->",
  "",
  "Hand-written text stays.",
  "",
  "<!-- generated:provider-notes (pnpm generate, from specs/) -->",
  "<!-- /generated:provider-notes -->",
  "",
].join("\n");

const withCredentialsHelp = () =>
  acme((spec) => {
    spec.info["x-presign-credentials"] = "Ask Acme support for a key.";
  });

describe("the root README's generated regions", () => {
  it("lists each provider's package, operations and workflows, replacing what was there", () => {
    const out = emitRootReadme(readme, [{ api: acme(), workflows: ["uploadThing"] }]);
    expect(out).not.toContain("| stale | table |");
    expect(out).toContain("| [`@presign/acme`](packages/acme) |");
    expect(out).toMatch(/`getFileUrl`.*\| `uploadThing` \|/);
    expect(out).toContain("Hand-written text stays.");
  });

  it("says where to get the credentials, which variables are read, and how long each URL lives", () => {
    const out = emitRootReadme(readme, [{ api: withCredentialsHelp(), workflows: [] }]);
    expect(out).toContain("- **Credentials:** Ask Acme support for a key.");
    expect(out).toContain("`ACME_REGION` for `region`");
    expect(out).toContain("`ACME_API_KEY` for `apiKey`");
    expect(out).toContain("- `getFileUrl`: the response says until when (`expires_at`).");
  });

  it("is stable: a second run changes nothing (so `generate --check` passes only on an up-to-date README)", () => {
    const providers = [{ api: withCredentialsHelp(), workflows: ["uploadThing"] }];
    const once = emitRootReadme(readme, providers);
    expect(emitRootReadme(once, providers)).toBe(once);
    expect(emitRootReadme(once.replace("uploadThing", "uploadOther"), providers)).toBe(once);
  });

  it("names the markers when a region is missing", () => {
    expect(() => emitRootReadme("# presign\n", [{ api: acme(), workflows: [] }])).toThrow(/generated:providers-table/);
  });

  it("rejects an x-presign-credentials that is not a sentence", () => {
    expect(
      problemsOf((spec) => {
        spec.info["x-presign-credentials"] = 42;
      }),
    ).toEqual([expect.stringContaining("x-presign-credentials must be a non-empty string")]);
  });
});
