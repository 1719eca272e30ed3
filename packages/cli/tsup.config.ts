// The CLI is one ESM executable (dist/main.js, the `presign` bin); its dependencies stay external.
import { readFileSync } from "node:fs";
import { defineConfig } from "tsup";

const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };

export default defineConfig({
  entry: ["src/main.ts"],
  format: ["esm"],
  clean: true,
  target: "node20",
  define: { __VERSION__: JSON.stringify(version) },
});
