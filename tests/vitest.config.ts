import { defineConfig } from "vitest/config";

// Cross-package suites (contract, release, runtime, …): every *.test.ts under tests/.
export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/.tmp/**"],
    testTimeout: 600_000,
  },
});
