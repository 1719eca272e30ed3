import { defineConfig } from "vitest/config";

// Cross-package suites (contract, release, runtime, …): every *.test.ts under tests/.
export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/.tmp/**"],
    testTimeout: 600_000,
    // Hooks start and stop servers and child processes (Prism, verdaccio, …): more than the 10 s default.
    hookTimeout: 120_000,
    // The JSON report feeds the closing "N passed, N failed" line of `pnpm test:all`.
    reporters: ["default", ["json", { outputFile: ".vitest/results.json" }]],
  },
});
