/**
 * Sums the JSON reports every vitest run wrote (packages/<p>/.vitest, tests/.vitest) into one
 * closing line, and fails when a suite ran no test at all.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const suites = [...readdirSync(join(root, "packages")).map((p) => join("packages", p)), "tests"];
let passed = 0;
let failed = 0;
let skipped = 0;
for (const suite of suites) {
  const file = join(root, suite, ".vitest/results.json");
  if (!existsSync(file)) throw new Error(`${suite}: no test report; did its tests run?`);
  const report = JSON.parse(readFileSync(file, "utf8")) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
  if (report.numPassedTests + report.numFailedTests === 0) throw new Error(`${suite}: ran no test`);
  console.log(`${suite.padEnd(20)} ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
}
console.log(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed ? 1 : 0);
