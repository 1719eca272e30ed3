import { defineConfig } from "vitest/config";

/**
 * Cross-package suites, in two projects:
 * - `fast`: offline, seconds to a minute (faults, contract via Prism, codegen, validation, bundle): `pnpm test`;
 * - `slow`: a registry and runtimes (release via verdaccio, the runtime matrix, a new provider end to end): `pnpm test:slow`.
 */
export default defineConfig({
  test: {
    exclude: ["**/node_modules/**", "**/.tmp/**"],
    testTimeout: 600_000,
    // Hooks start and stop servers and child processes (Prism, verdaccio, …): more than the 10 s default.
    hookTimeout: 120_000,
    // The package scripts add a JSON report per run (fast: .vitest/results.json, slow:
    // .vitest/results-slow.json), which feeds the closing "N passed, N failed" line of `pnpm test:all`.
    projects: [
      { extends: true, test: { name: "fast", include: ["{faults,contract,codegen,validation,bundle,storage,tools,readme,workflows}/**/*.test.ts"] } },
      { extends: true, test: { name: "slow", include: ["{release,runtime,new-provider}/**/*.test.ts"] } },
    ],
  },
});
