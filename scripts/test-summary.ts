/**
 * Sums the JSON reports every vitest run wrote (`.vitest/results*.json` in each workspace package
 * that has tests: packages/*, scripts/generator, tests) into one closing line, and fails when a
 * suite ran no test at all.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

interface Report {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const hasTests = (dir: string) => {
  const manifest = join(root, dir, "package.json");
  return existsSync(manifest) && Boolean((JSON.parse(readFileSync(manifest, "utf8")) as { scripts?: Record<string, string> }).scripts?.test);
};
const suites = [...readdirSync(join(root, "packages")).map((p) => join("packages", p)), "scripts/generator", "tests"].filter(hasTests);

const total = { passed: 0, failed: 0, skipped: 0 };
for (const suite of suites) {
  const folder = join(root, suite, ".vitest");
  const reports = existsSync(folder) ? readdirSync(folder).filter((f) => /^results.*\.json$/.test(f)) : [];
  if (!reports.length) throw new Error(`${suite}: no test report; did its tests run?`);
  for (const file of reports) {
    const report = JSON.parse(readFileSync(join(folder, file), "utf8")) as Report;
    if (report.numPassedTests + report.numFailedTests === 0) throw new Error(`${suite}/${file}: ran no test`);
    console.log(`${`${suite} (${file})`.padEnd(46)} ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
    total.passed += report.numPassedTests;
    total.failed += report.numFailedTests;
    total.skipped += report.numPendingTests + report.numTodoTests;
  }
}
console.log(`\nTests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed ? 1 : 0);
