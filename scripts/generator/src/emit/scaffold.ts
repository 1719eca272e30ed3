/**
 * The hand-written part of a new provider package, written once when `pnpm generate` meets a spec
 * without a package: package.json, configs, src/index.ts, src/testing.ts (the msw testing kit), a default
 * profile, a starter test and the test that runs the README's testing example.
 * From then on the files are the package's own; the generator never rewrites them.
 */
import type { ApiIR } from "../ir/types.js";
import { defaultProfile } from "./scaffold-profile.js";
import { starterTest } from "./scaffold-test.js";

export interface PackageFile {
  /** Relative to the package's folder. */
  path: string;
  content: string;
}

function packageJson(api: ApiIR): string {
  const dir = `packages/${api.provider}`;
  const repository = "https://github.com/presign/presign";
  const manifest = {
    name: `@presign/${api.provider}`,
    version: "0.0.0",
    description: api.summary ?? `Typed client for the ${api.title} API.`,
    keywords: ["presign", "presigned-url", api.provider, "openapi", "typescript", "api-client"],
    license: "MIT",
    repository: { type: "git", url: `git+${repository}.git`, directory: dir },
    homepage: `${repository}/tree/main/${dir}#readme`,
    bugs: { url: `${repository}/issues` },
    type: "module",
    sideEffects: false,
    main: "./dist/index.cjs",
    module: "./dist/index.js",
    types: "./dist/index.d.ts",
    exports: {
      ".": {
        import: { types: "./dist/index.d.ts", default: "./dist/index.js" },
        require: { types: "./dist/index.d.cts", default: "./dist/index.cjs" },
      },
      "./testing": {
        import: { types: "./dist/testing.d.ts", default: "./dist/testing.js" },
        require: { types: "./dist/testing.d.cts", default: "./dist/testing.cjs" },
      },
      "./package.json": "./package.json",
    },
    files: ["dist", "testing"],
    scripts: { build: "tsup", typecheck: "tsc -p tsconfig.json", test: "vitest run" },
    dependencies: { "@presign/core": "workspace:^", "openapi-fetch": "catalog:" },
    // Only the `/testing` entry imports msw: an app that never imports it needs no msw.
    peerDependencies: { msw: "^2.0.0" },
    peerDependenciesMeta: { msw: { optional: true } },
    engines: { node: ">=20" },
    publishConfig: { access: "public", provenance: true },
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

const INDEX = `// Error classes and shared types, so \`instanceof RateLimitError\` works with this package alone.
export * from "@presign/core";
export * from "./generated/client.js";
export type { components, operations, paths } from "./generated/schema.js";
`;

const TESTING = `// The testing kit, \`/testing\`: msw handlers generated from the spec (every operation answers its example; a test
// overrides one with a typed body, a resolver or a fault), the shared fault presets, and the loopback storage server.
export * from "@presign/core/testing";
export * from "./generated/testing.js";
`;

/** For resolvers that read no `exports` (node10, older TypeScript): `/testing` as a folder with a package.json. */
const TESTING_MANIFEST = `${JSON.stringify({ private: true, main: "../dist/testing.cjs", module: "../dist/testing.js", types: "../dist/testing.d.cts" }, null, 2)}\n`;

const TSUP_CONFIG = `import shared from "../../tsup.shared.ts";

// Two entries: the client, and the testing kit (\`/testing\`: msw handlers), the only one that imports msw.
export default { ...shared, entry: ["src/index.ts", "src/testing.ts"] };
`;

const README_TESTING_TEST = `// The README's "## Testing" example, run as the README shows it (its tests join this file's).
import { join } from "node:path";
import { runReadmeBlock } from "../../../test-support/readme-examples.js";

await runReadmeBlock(join(import.meta.dirname, ".."), "Testing");
`;

/** Every scaffold file; the caller writes those that do not exist yet. */
export function emitScaffold(api: ApiIR): PackageFile[] {
  return [
    { path: "package.json", content: packageJson(api) },
    { path: "tsconfig.json", content: `{ "extends": "../../tsconfig.base.json", "include": ["src", "test", "../../globals.d.ts"] }\n` },
    { path: "tsup.config.ts", content: TSUP_CONFIG },
    { path: "vitest.config.ts", content: `export { default } from "../../vitest.shared.ts";\n` },
    { path: "src/index.ts", content: INDEX },
    { path: "src/profile.ts", content: defaultProfile(api) },
    { path: "src/testing.ts", content: TESTING },
    { path: "testing/package.json", content: TESTING_MANIFEST },
    { path: "test/client.test.ts", content: starterTest(api) },
    { path: "test/readme-testing.test.ts", content: README_TESTING_TEST },
  ];
}
