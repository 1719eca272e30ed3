/**
 * The hand-written part of a new provider package, written once when `pnpm generate` meets a spec
 * without a package: package.json, configs, src/index.ts, a default profile and a starter test.
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
      "./package.json": "./package.json",
    },
    files: ["dist"],
    scripts: { build: "tsup", typecheck: "tsc -p tsconfig.json", test: "vitest run" },
    dependencies: { "@presign/core": "workspace:^", "openapi-fetch": "catalog:" },
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

/** Every scaffold file; the caller writes those that do not exist yet. */
export function emitScaffold(api: ApiIR): PackageFile[] {
  return [
    { path: "package.json", content: packageJson(api) },
    { path: "tsconfig.json", content: `{ "extends": "../../tsconfig.base.json", "include": ["src", "test", "../../globals.d.ts"] }\n` },
    { path: "tsup.config.ts", content: `export { default } from "../../tsup.shared.ts";\n` },
    { path: "vitest.config.ts", content: `export { default } from "../../vitest.shared.ts";\n` },
    { path: "src/index.ts", content: INDEX },
    { path: "src/profile.ts", content: defaultProfile(api) },
    { path: "test/client.test.ts", content: starterTest(api) },
  ];
}
