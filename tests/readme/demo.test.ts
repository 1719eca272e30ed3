import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { providers } from "../providers.ts";

const root = join(import.meta.dirname, "..", "..");

it("the README's demo prints a presigned URL from every provider's mock, built from the sources", async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [join(root, "demo", "run.mjs")], { cwd: join(root, "demo") });
  expect(stdout).toMatch(/^Mock providers listening on http:\/\/127\.0\.0\.1:\d+/);
  for (const provider of providers)
    expect(stdout, provider.name).toMatch(new RegExp(`^${provider.name} +\\w+\\n  http://127\\.0\\.0\\.1:\\d+/\\S+`, "m"));
});
