/**
 * Runs a code block of a package README as part of a test file: the block is written under the package's
 * `.vitest/` (ignored by git) and imported, so the `test(…)` calls it makes join the importing file's tests.
 * What the README shows is what runs: an example that stops working fails the suite.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The first ```ts block after the `## <heading>` line of the README, up to the next `## `. */
export function readmeCodeBlock(readme: string, heading: string): string {
  const start = readme.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`the README has no "## ${heading}" section`);
  const section = readme.slice(start + 1).split(/\n## /)[0]!;
  const block = /```ts\n([\s\S]*?)\n```/.exec(section);
  if (!block) throw new Error(`the README's "## ${heading}" section has no ts code block`);
  return block[1]!;
}

/** Writes the block of `packageDir`'s README under its `.vitest/readme/` and imports it, registering its tests. */
export async function runReadmeBlock(packageDir: string, heading: string): Promise<void> {
  const code = readmeCodeBlock(readFileSync(join(packageDir, "README.md"), "utf8"), heading);
  const dir = join(packageDir, ".vitest", "readme");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${heading.toLowerCase().replace(/[^a-z0-9]+/g, "-")}.ts`);
  writeFileSync(file, `${code}\n`);
  await import(file);
}
