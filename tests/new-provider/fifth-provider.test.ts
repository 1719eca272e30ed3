/**
 * A new provider from its spec alone. In a copy of the repository, a fifth spec is added
 * (fixtures/filebox.yaml: a GET with path and query parameters, a POST with a JSON body, an API-key
 * header read from an environment variable) and nothing else; then the README's regenerate command
 * runs. The package it scaffolds must build, be re-exported by @presign/all, pass its own starter
 * test, and pass the contract and fault suites, which find it in specs/ like every other provider.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { envWithPnpm } from "../release/pnpm.ts";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const copy = mkdtempSync(join(tmpdir(), "presign-fifth-provider-"));
const env = { ...envWithPnpm(repo), CI: "true", FORCE_COLOR: "0" };

/** Runs a command in the copy; its output goes into the error when it fails. */
function run(command: string, args: string[], cwd = copy): string {
  try {
    return execFileSync(command, args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(" ")} failed:\n${stdout ?? ""}\n${stderr ?? ""}`.slice(-6000));
  }
}

/** The files a fresh clone of the working tree would have (tracked, and new ones not ignored). */
function copyRepository() {
  const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: repo, encoding: "utf8" })
    .split("\0")
    .filter((file) => file && existsSync(join(repo, file)));
  for (const file of files) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(repo, file), join(copy, file));
  }
}

/** The regenerate command the README gives, read from it so the test follows the README. */
function regenerateCommand(): string[] {
  const readme = readFileSync(join(repo, "README.md"), "utf8");
  const command = /<!-- regenerate -->\s*```sh\n(.+)\n```/.exec(readme)?.[1];
  if (!command) throw new Error("README.md has no regenerate command under <!-- regenerate -->");
  return command.trim().split(/\s+/);
}

interface VitestReport {
  numFailedTests: number;
  testResults: { assertionResults: { fullName: string; status: string; failureMessages?: string[] }[] }[];
}

beforeAll(() => {
  copyRepository();
  cpSync(join(repo, "tests", "new-provider", "fixtures", "filebox.yaml"), join(copy, "specs", "filebox.yaml"));
  // The store already holds every dependency: nothing is downloaded.
  run("pnpm", ["install", "--frozen-lockfile", "--offline"]);
  const [command, ...args] = regenerateCommand();
  run(command!, args);
  run("pnpm", ["exec", "turbo", "run", "build", "--output-logs=errors-only"]);
}, 900_000);

afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe("a fifth provider from its spec alone", () => {
  it("scaffolds a package that builds, and registers it in @presign/all", async () => {
    const manifest = JSON.parse(readFileSync(join(copy, "packages", "filebox", "package.json"), "utf8")) as { name: string };
    expect(manifest.name).toBe("@presign/filebox");
    expect(existsSync(join(copy, "packages", "filebox", "dist", "index.js"))).toBe(true);
    const all = await import(pathToFileURL(join(copy, "packages", "all", "dist", "index.js")).href);
    expect(Object.keys(all.factories)).toContain("filebox");
    expect(all.createFileboxClient).toBe(all.factories.filebox);
    expect(Object.keys(all.fileboxDefinition.operations).sort()).toEqual(["createUpload", "getDownloadUrl"]);
  });

  it("refuses bad input before the network and reads its key from FILEBOX_API_KEY", async () => {
    const { createFileboxClient } = await import(pathToFileURL(join(copy, "packages", "filebox", "dist", "index.js")).href);
    expect(() => createFileboxClient()).toThrow(/missing credentials: pass apiKey \(or FILEBOX_API_KEY\)/);
    const client = createFileboxClient({ apiKey: "filebox-key-0001", baseUrl: "http://127.0.0.1:9" });
    await expect(client.getDownloadUrl({ fileId: "not an id" })).rejects.toThrow(/fileId: must match/);
    await expect(client.createUpload({ fileName: "", sizeBytes: 0 })).rejects.toThrow(
      /fileName: must be at least 1 character; sizeBytes: must be at least 1/,
    );
  });

  it("gets a command group in the presign CLI, from pnpm generate alone", () => {
    const help = run("node", ["packages/cli/dist/main.js", "filebox", "--help"]);
    expect(help).toContain("get-download-url");
    expect(help).toContain("create-upload");
  });

  it("passes its own starter test", () => {
    run("pnpm", ["--filter", "@presign/filebox", "test"]);
  });

  it("passes the contract and fault suites, which test it like every other provider", () => {
    const report = join(copy, "tests", ".vitest", "fifth-provider.json");
    const args = [
      "--filter",
      "@presign/tests",
      "exec",
      "vitest",
      "run",
      "--project",
      "fast",
      "contract",
      "faults",
      "--reporter=json",
      `--outputFile=${report}`,
    ];
    // A failure is reported through the JSON report below, test by test, with its message.
    spawnSync("pnpm", args, { cwd: copy, env, stdio: "ignore" });
    const results = JSON.parse(readFileSync(report, "utf8")) as VitestReport;
    const tests = results.testResults.flatMap((file) => file.assertionResults);
    const failed = tests.filter((test) => test.status === "failed").map((test) => `${test.fullName}: ${test.failureMessages?.[0]?.slice(0, 600)}`);
    expect(failed).toEqual([]);
    // Both suites must have found it: faults per provider, contract per operation.
    const filebox = tests.filter((test) => /filebox/.test(test.fullName));
    expect(filebox.filter((test) => /under faults/.test(test.fullName)).length).toBeGreaterThan(5);
    expect(filebox.filter((test) => /filebox\.(getDownloadUrl|createUpload)/.test(test.fullName)).length).toBeGreaterThan(1);
    expect(filebox.every((test) => test.status === "passed")).toBe(true);
  });
});
