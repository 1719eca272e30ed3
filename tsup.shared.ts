// Build settings shared by every package: ESM + CommonJS with types, and the package version
// baked in for the User-Agent header.
import { readFileSync } from "node:fs";
import { defineConfig } from "tsup";

const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  target: "es2022",
  define: { __VERSION__: JSON.stringify(version) },
});
