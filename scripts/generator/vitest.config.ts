import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The scaffold tests run the CLI in a child process (tsx, openapi-typescript, the core's sources), up to three
    // times a test: about 3 s each on an idle machine, 20 s each on 2 cores while turbo runs every other suite.
    testTimeout: 180_000,
    // Their setup runs the CLI too: on a busy machine that takes more than the 10 s default.
    hookTimeout: 120_000,
    // The JSON report feeds the closing "N passed, N failed" line of `pnpm test:all`.
    reporters: ["default", ["json", { outputFile: ".vitest/results.json" }]],
  },
});
