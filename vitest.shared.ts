import { readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";

const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };

export default defineConfig({
  define: { __VERSION__: JSON.stringify(version) },
  test: {
    include: ["test/**/*.test.ts"],
    // Storage tests move megabytes through real loopback servers while turbo runs every suite at once
    // on a 2-core CI machine: a generous bound, not a timing check (timing tests use fake timers).
    testTimeout: 30_000,
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"] },
    // The JSON report feeds the closing "N passed, N failed" line of `pnpm test:all`.
    reporters: ["default", ["json", { outputFile: ".vitest/results.json" }]],
  },
});
