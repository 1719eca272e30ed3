/**
 * The README's "try it from a clone", as a user runs it: `pnpm pack:packages` packs every publishable
 * package into .packs/, then a fresh npm project outside the workspace runs
 * `npm install <clone>/.packs/presign-core-*.tgz <clone>/.packs/presign-datalab-*.tgz`, imports the
 * client and calls an API on 127.0.0.1. Its temporary folder is removed unless KEEP_RELEASE_TMP is set.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type JsonApi, type JsonRequest, startJsonApi } from "../../test-support/loopback-api.ts";
import { createFreshProject, createShell, installedPackages, isolatedEnv, packageNames } from "./fresh-project.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const packs = join(root, ".packs");
const work = mkdtempSync(join(tmpdir(), "presign-tarballs-"));
const project = join(work, "project");
const env = isolatedEnv(root, work);
const { must, log } = createShell(() => env);
const HOOK_TIMEOUT = 600_000;

/** The publishable packages of packages/, and the tarball name `pnpm pack` gives each. */
const publishable = readdirSync(join(root, "packages"))
  .filter((dir) => existsSync(join(root, "packages", dir, "package.json")))
  .map((dir) => JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8")) as { name: string; version: string; private?: boolean })
  .filter((manifest) => !manifest.private)
  .map((manifest) => ({ ...manifest, tarball: `${manifest.name.slice(1).replace("/", "-")}-${manifest.version}.tgz` }));
const tarballOf = (name: string) => join(packs, publishable.find((p) => p.name === name)!.tarball);

const seen: JsonRequest[] = [];
let api: JsonApi;

beforeAll(async () => {
  // Exactly the README's command (pnpm is on PATH here as it is under `npx -y pnpm@… …`).
  await must("pnpm", ["run", "pack:packages"], root);
  api = await startJsonApi((request) => {
    seen.push(request);
    const file = /^\/api\/v1\/files\/(\d+)\/download$/.exec(request.path);
    if (request.method !== "GET" || !file) return { status: 500, body: { detail: "unexpected request" } };
    if (file[1] === "404") return { status: 404, body: { detail: "Not Found" } };
    return {
      status: 200,
      body: {
        download_url: `https://storage.example.com/files/${file[1]}.pdf?X-Amz-Signature=abc`,
        expires_in: 900,
        file_id: Number(file[1]),
        original_filename: "report.pdf",
      },
    };
  });
  // A project of its own, outside the workspace: nothing resolves from the repository's node_modules.
  createFreshProject(project);
  await must("npm", ["install", tarballOf("@presign/core"), tarballOf("@presign/datalab")], project);
}, HOOK_TIMEOUT);

afterAll(async () => {
  await api?.close();
  if (process.env.KEEP_RELEASE_TMP) console.log(`tarball test files kept in ${work}\n${log.join("\n")}`);
  else rmSync(work, { recursive: true, force: true });
}, HOOK_TIMEOUT);

describe("pnpm pack:packages, then npm install of two tarballs in a fresh project", () => {
  it("packs exactly one tarball per publishable package, with real dependency ranges", async () => {
    expect(readdirSync(packs).sort()).toEqual(publishable.map((p) => p.tarball).sort());
    for (const { tarball } of publishable) {
      const manifest = await must("tar", ["-xzOf", join(packs, tarball), "package/package.json"], work);
      expect(manifest, tarball).not.toMatch(/workspace:|catalog:/);
    }
  });

  it("installs the provider, the shared runtime and their declared registry dependencies, nothing else", () => {
    const installed = installedPackages(join(project, "node_modules"));
    expect(packageNames(installed)).toEqual(["@presign/core", "@presign/datalab", "openapi-fetch", "openapi-typescript-helpers"]);
    for (const name of ["@presign/core", "@presign/datalab"])
      expect(installed).toContain(`${name}@${publishable.find((p) => p.name === name)!.version}`);
  });

  it("imports the client and calls an API on 127.0.0.1, with the README's call", async () => {
    writeFileSync(
      join(project, "call.mjs"),
      `import { createDatalabClient, NotFoundError } from "@presign/datalab";
const datalab = createDatalabClient({ apiKey: "tarball-test-key", baseUrl: process.argv[2], maxRetries: 0 });
const { download_url, expires_in } = await datalab.getFileDownloadUrl({ fileId: 42, expiresIn: 900 });
const missing = await datalab.getFileDownloadUrl({ fileId: 404 }).catch((error) => error);
console.log(JSON.stringify({ download_url, expires_in, notFound: missing instanceof NotFoundError, resolved: import.meta.resolve("@presign/datalab") }));
`,
    );
    const before = seen.length;
    const output = JSON.parse(await must(process.execPath, ["call.mjs", api.origin], project));
    expect(output).toEqual({
      download_url: "https://storage.example.com/files/42.pdf?X-Amz-Signature=abc",
      expires_in: 900,
      notFound: true,
      resolved: expect.stringMatching(/\/project\/node_modules\/@presign\/datalab\/dist\/index\.js$/),
    });
    const [call] = seen.slice(before);
    expect(call).toMatchObject({ method: "GET", path: "/api/v1/files/42/download" });
    expect(call!.headers["x-api-key"]).toBe("tarball-test-key");
  });
});
