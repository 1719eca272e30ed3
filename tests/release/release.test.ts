/**
 * Release test: the whole release flow against a private registry, then what a user gets.
 *
 * 1. Starts verdaccio on 127.0.0.1 (temporary storage; `@presign/*` lives only there, everything
 *    else is proxied to registry.npmjs.org).
 * 2. Copies the repository (tracked and untracked, non-ignored files; node_modules linked) to a
 *    temporary folder, runs `changeset version`, builds, and `changeset publish`es to verdaccio.
 * 3. For `@presign/datalab` and for `@presign/all`, in a fresh empty project: `npm install <pkg>`
 *    and nothing else, then checks the exact set of installed packages, ESM and CommonJS imports,
 *    `tsc --strict` on a consumer file (and on the README examples) and its failure on a wrong
 *    call, and real calls against a node:http server on 127.0.0.1 started here.
 *
 * Everything it starts it stops; its temporary folder is removed unless KEEP_RELEASE_TMP is set.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import { type AddressInfo, createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureTool } from "../../test-support/tools.ts";
import { providers } from "../providers.ts";
import { createFreshProject, createShell, installedPackages, isolatedEnv, packageNames as names } from "./fresh-project.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** Every provider package, one per spec in specs/. */
const providerPackages = providers.map((p) => `@presign/${p.name}`);
/** Each provider's method names, as the workspace build generates them from its spec. */
const methodsByProvider = Object.fromEntries(providers.map((p) => [p.name, p.operations.map((op) => op.methodName)]));
const HOOK_TIMEOUT = 600_000;
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
const changeset = join(root, "node_modules", "@changesets", "cli", "bin.js");

const work = mkdtempSync(join(tmpdir(), "presign-release-"));
let registry = "";
let verdaccio: ChildProcess | undefined;
let env: NodeJS.ProcessEnv = {};
const { run, must, log } = createShell(() => env);
/** Name → version of every package the release published. */
const published = new Map<string, string>();

// ── helpers ─────────────────────────────────────────────────────────────────────────────────────

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createNetServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });
}

/**
 * The ```ts blocks of a README as one module that typechecks them all: imports hoisted, the first
 * block at the top of a function (it creates the client), each other block in its own scope.
 */
function readmeModule(readme: string): string {
  // The "Testing" example is a test file (msw, vitest): each package's own suite runs it as the README shows it.
  const usage = readme.replace(/^## Testing\n[\s\S]*?(?=^## )/m, "");
  const blocks = [...usage.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const imports = new Map<string, Set<string>>();
  const bodies = blocks.map((block) =>
    block.replace(/^import \{([^}]*)\} from "([^"]+)";\n/gm, (_, list: string, from: string) => {
      const set = imports.get(from) ?? new Set<string>();
      for (const name of list
        .split(",")
        .map((n) => n.trim())
        .filter(Boolean))
        set.add(name);
      imports.set(from, set);
      return "";
    }),
  );
  const head = [...imports].map(([from, set]) => `import { ${[...set].join(", ")} } from "${from}";`).join("\n");
  const [first = "", ...rest] = bodies;
  return `${head}\n\nexport async function readmeExamples() {\n${first}\n${rest.map((b) => `{\n${b}}`).join("\n")}\n}\n`;
}

// ── the local API server the consumers call ─────────────────────────────────────────────────────

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}
const seen: Seen[] = [];
const api = createServer((req, res) => {
  let body = "";
  req.on("data", (chunk: Buffer) => (body += chunk.toString()));
  req.on("end", () => {
    seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
    const reply = (status: number, payload: unknown) => {
      res.writeHead(status, { "content-type": "application/json", "x-request-id": `req-${seen.length}` });
      res.end(JSON.stringify(payload));
    };
    const url = new URL(req.url!, "http://127.0.0.1");
    const file = /^\/api\/v1\/files\/(\d+)\/download$/.exec(url.pathname);
    if (req.method === "GET" && file) {
      if (file[1] === "404") return reply(404, { detail: "Not Found" });
      return reply(200, {
        download_url: `https://storage.example.com/files/${file[1]}.pdf?X-Amz-Signature=abc`,
        expires_in: Number(url.searchParams.get("expires_in") ?? 3600),
        file_id: Number(file[1]),
        original_filename: "report.pdf",
      });
    }
    if (req.method === "POST" && /^\/v2\/team\/datasets\/[^/]+\/datasources\/[^/]+\/presign$/.test(url.pathname)) {
      return reply(200, {
        code: 0,
        data: { presigned_url: "https://bucket.example.com/source.csv?X-Amz-Signature=abc", expires_at: "2030-01-01T00:00:00Z" },
      });
    }
    reply(500, { detail: "unexpected request" });
  });
});
let apiUrl = "";

// ── the release ─────────────────────────────────────────────────────────────────────────────────

function copyRepository(target: string) {
  const listed = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  for (const file of listed.split("\0").filter(Boolean)) {
    if (!existsSync(join(root, file)) || file.endsWith("/.npmrc") || file === ".npmrc") continue;
    mkdirSync(dirname(join(target, file)), { recursive: true });
    cpSync(join(root, file), join(target, file), { verbatimSymlinks: true });
  }
  // Dependencies: the root's node_modules as is; each package's own node_modules is a farm of
  // relative links into it (and to sibling packages), recreated so they point inside the copy.
  symlinkSync(join(root, "node_modules"), join(target, "node_modules"), "dir");
  for (const dir of readdirSync(join(root, "packages"))) {
    const from = join(root, "packages", dir, "node_modules");
    if (!existsSync(from)) continue;
    const to = join(target, "packages", dir, "node_modules");
    for (const entry of readdirSync(from)) {
      if (entry.startsWith(".")) continue;
      const items = entry.startsWith("@") ? readdirSync(join(from, entry)).map((e) => join(entry, e)) : [entry];
      for (const item of items) {
        if (!lstatSync(join(from, item)).isSymbolicLink()) continue;
        mkdirSync(dirname(join(to, item)), { recursive: true });
        symlinkSync(readlinkSync(join(from, item)), join(to, item));
      }
    }
  }
}

beforeAll(async () => {
  const started = Date.now();
  env = isolatedEnv(root, work);

  // 1. verdaccio.
  const port = await freePort();
  registry = `http://127.0.0.1:${port}/`;
  const npmrc = `registry=${registry}\n//127.0.0.1:${port}/:_authToken=dummy-token-for-verdaccio\n`;
  writeFileSync(join(work, "npmrc-user"), npmrc);
  mkdirSync(join(work, "verdaccio", "storage"), { recursive: true });
  writeFileSync(
    join(work, "verdaccio", "config.yaml"),
    `storage: ${join(work, "verdaccio", "storage")}
auth:
  htpasswd:
    file: ${join(work, "verdaccio", "htpasswd")}
    max_users: -1
uplinks:
  npmjs:
    url: https://registry.npmjs.org/
    timeout: 60s
packages:
  "@presign/*":
    access: $all
    publish: $all
    unpublish: $all
  "**":
    access: $all
    publish: $authenticated
    proxy: npmjs
web:
  enable: false
max_body_size: 50mb
log: { type: stdout, format: pretty, level: warn }
`,
  );
  const verdaccioBin = join((await ensureTool("verdaccio")).packageDir("verdaccio"), "bin", "verdaccio");
  verdaccio = spawn(process.execPath, [verdaccioBin, "--config", join(work, "verdaccio", "config.yaml"), "--listen", `127.0.0.1:${port}`], {
    cwd: join(work, "verdaccio"),
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let verdaccioOutput = "";
  verdaccio.stdout!.on("data", (d: Buffer) => (verdaccioOutput += d.toString()));
  verdaccio.stderr!.on("data", (d: Buffer) => (verdaccioOutput += d.toString()));
  for (let i = 0; ; i++) {
    if (verdaccio.exitCode !== null) throw new Error(`verdaccio exited with ${verdaccio.exitCode}:\n${verdaccioOutput}`);
    try {
      if ((await fetch(`${registry}-/ping`)).ok) break;
    } catch {}
    if (i > 300) throw new Error(`verdaccio did not answer within 30 s:\n${verdaccioOutput}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  log.push(`verdaccio up on ${registry} after ${Date.now() - started} ms`);

  // 2. The release, from a copy of the repository.
  const repo = join(work, "repo");
  copyRepository(repo);
  writeFileSync(join(repo, ".npmrc"), npmrc);
  const git = (...args: string[]) => must("git", ["-c", "user.name=release-test", "-c", "user.email=release-test@localhost", ...args], repo);
  await git("init", "-q", "-b", "main");
  await git("add", "-A");
  await git("commit", "-q", "-m", "snapshot for the release test");

  await must(process.execPath, [changeset, "version"], repo);
  // The version is baked into each build (User-Agent), so build after versioning, as CI does.
  await must("pnpm", ["--filter", "./packages/*", "-r", "run", "build"], repo);
  // publishConfig.provenance is for the real npm (CI with OIDC). npm lets publishConfig win over
  // NPM_CONFIG_PROVENANCE (it fails with "Automatic provenance generation not supported for
  // provider: null"), so the copy drops it before publishing to the local registry.
  for (const dir of readdirSync(join(repo, "packages"))) {
    const file = join(repo, "packages", dir, "package.json");
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, "utf8")) as {
      name: string;
      version: string;
      private?: boolean;
      publishConfig?: Record<string, unknown>;
    };
    if (manifest.private) continue;
    published.set(manifest.name, manifest.version);
    if (manifest.publishConfig) delete manifest.publishConfig.provenance;
    writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
  }
  await git("commit", "-qam", "version packages");
  // changesets steers `npm info` and `pnpm publish` with npm_config_registry.
  await must(process.execPath, [changeset, "publish"], repo, { npm_config_registry: registry });

  await new Promise<void>((done) => api.listen(0, "127.0.0.1", done));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  log.push(`release ready after ${Date.now() - started} ms`);
}, HOOK_TIMEOUT);

afterAll(async () => {
  api.close();
  if (verdaccio && verdaccio.exitCode === null) {
    const exited = new Promise((r) => verdaccio!.once("exit", r));
    verdaccio.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (verdaccio.exitCode === null) verdaccio.kill("SIGKILL");
  }
  if (process.env.KEEP_RELEASE_TMP) console.log(`release test files kept in ${work}\n${log.join("\n")}`);
  else rmSync(work, { recursive: true, force: true });
}, HOOK_TIMEOUT);

// ── what got published ──────────────────────────────────────────────────────────────────────────

describe("changeset version + changeset publish", () => {
  it("published every public package at its new version, with real dependency ranges", async () => {
    expect([...published.keys()].sort()).toEqual(["@presign/all", "@presign/cli", "@presign/core", ...providerPackages].sort());
    for (const [name, version] of published) {
      expect(version, name).toBe("0.1.0");
      const info = JSON.parse(await must("npm", ["view", `${name}@${version}`, "--json"], work)) as {
        version: string;
        license: string;
        dependencies?: Record<string, string>;
        repository: unknown;
      };
      expect(info.version).toBe(version);
      expect(JSON.stringify(info.dependencies ?? {}), name).not.toMatch(/workspace:|catalog:/);
      expect(info.license).toBe("MIT");
      expect(info.repository).toMatchObject({ url: "git+https://github.com/presign/presign.git", directory: expect.stringMatching(/^packages\//) });
    }
    const datalab = JSON.parse(await must("npm", ["view", "@presign/datalab@0.1.0", "dependencies", "--json"], work));
    expect(datalab).toEqual({ "@presign/core": "^0.1.0", "openapi-fetch": "0.17.0" });
  });
});

// ── consumers ───────────────────────────────────────────────────────────────────────────────────

const TSCONFIG = {
  compilerOptions: {
    strict: true,
    noEmit: true,
    module: "nodenext",
    moduleResolution: "nodenext",
    target: "es2022",
    lib: ["es2022", "dom"],
    types: [],
    skipLibCheck: false,
  },
};

interface Consumer {
  pkg: string;
  expected: string[];
  esm: string;
  cjs: string;
  ok: string;
  wrong: string;
  /** READMEs whose examples must typecheck, relative to node_modules. */
  readmes: string[];
}

const consumers: Consumer[] = [
  {
    pkg: "@presign/datalab",
    expected: ["@presign/core", "@presign/datalab", "openapi-fetch", "openapi-typescript-helpers"],
    esm: `import { createDatalabClient, NotFoundError, PresignError } from "@presign/datalab";
const client = createDatalabClient({ apiKey: "release-test-key", baseUrl: process.argv[2], maxRetries: 0 });
const result = await client.getFileDownloadUrl({ fileId: 12345, expiresIn: 600 });
const error = await client.getFileDownloadUrl({ fileId: 404 }).catch((e) => e);
console.log(JSON.stringify({ result, resolved: import.meta.resolve("@presign/datalab"), error: { name: error.name, notFound: error instanceof NotFoundError, presign: error instanceof PresignError, status: error.status, messages: error.messages } }));
`,
    cjs: `const { createDatalabClient, NotFoundError, PresignError } = require("@presign/datalab");
(async () => {
  const client = createDatalabClient({ apiKey: "release-test-key", baseUrl: process.argv[2], maxRetries: 0 });
  const result = await client.getFileDownloadUrl({ fileId: 12345, expiresIn: 600 });
  const error = await client.getFileDownloadUrl({ fileId: 404 }).catch((e) => e);
  console.log(JSON.stringify({ result, resolved: require.resolve("@presign/datalab"), error: { name: error.name, notFound: error instanceof NotFoundError, presign: error instanceof PresignError, status: error.status, messages: error.messages } }));
})();
`,
    ok: `import { createDatalabClient, type DatalabClient, type GetFileDownloadUrlInput, NotFoundError, PresignError } from "@presign/datalab";

export async function use(): Promise<string> {
  const client: DatalabClient = createDatalabClient({ apiKey: "key", timeout: 5_000 });
  const input: GetFileDownloadUrlInput = { fileId: 1, expiresIn: 600 };
  const result = await client.getFileDownloadUrl(input, { maxRetries: 1 });
  const url: string = result.download_url;
  const seconds: number = result.expires_in;
  // @ts-expect-error fileId is a number
  await client.getFileDownloadUrl({ fileId: "1" });
  // @ts-expect-error fileId is required
  await client.getFileDownloadUrl({});
  // @ts-expect-error not a field of the response
  result.url;
  const raw = await client.raw.GET("/api/v1/files/{file_id}/download", { params: { path: { file_id: 1 } } });
  const error: unknown = new NotFoundError("x", { provider: "datalab" });
  if (error instanceof PresignError) console.log(error.kind, error.status, raw.data?.file_id);
  return url + seconds;
}
`,
    wrong: `import { createDatalabClient } from "@presign/datalab";

const client = createDatalabClient({ apiKey: "key" });
await client.getFileDownloadUrl({ fileId: "12345" });
`,
    readmes: ["@presign/datalab/README.md"],
  },
  {
    pkg: "@presign/all",
    // @noble/hashes comes with @presign/datadog: its browsers' MD5 for multipart uploads.
    expected: ["@noble/hashes", "@presign/all", "@presign/core", ...providerPackages, "openapi-fetch", "openapi-typescript-helpers"].sort(),
    esm: `import * as all from "@presign/all";
import { createDatalabClient, createPowerdrillClient, NotFoundError, PresignError } from "@presign/all";
const methods = Object.fromEntries(Object.keys(all.factories).map((name) => [name, Object.keys(all[name + "Definition"].operations)]));
const client = createDatalabClient({ apiKey: "release-test-key", baseUrl: process.argv[2], maxRetries: 0 });
const result = await client.getFileDownloadUrl({ fileId: 12345, expiresIn: 600 });
const error = await client.getFileDownloadUrl({ fileId: 404 }).catch((e) => e);
const powerdrill = createPowerdrillClient({ apiKey: "pd-key", baseUrl: process.argv[2], maxRetries: 0 });
const presigned = await powerdrill.presignDataSource({ datasetId: "ds-1", datasourceId: "src-7", userId: "user-1" });
console.log(JSON.stringify({ result, presigned, methods, resolved: import.meta.resolve("@presign/all"), error: { name: error.name, notFound: error instanceof NotFoundError, presign: error instanceof PresignError, status: error.status, messages: error.messages } }));
`,
    cjs: `const all = require("@presign/all");
const { createDatalabClient, createPowerdrillClient, NotFoundError, PresignError } = all;
const methods = Object.fromEntries(Object.keys(all.factories).map((name) => [name, Object.keys(all[name + "Definition"].operations)]));
(async () => {
  const client = createDatalabClient({ apiKey: "release-test-key", baseUrl: process.argv[2], maxRetries: 0 });
  const result = await client.getFileDownloadUrl({ fileId: 12345, expiresIn: 600 });
  const error = await client.getFileDownloadUrl({ fileId: 404 }).catch((e) => e);
  const powerdrill = createPowerdrillClient({ apiKey: "pd-key", baseUrl: process.argv[2], maxRetries: 0 });
  const presigned = await powerdrill.presignDataSource({ datasetId: "ds-1", datasourceId: "src-7", userId: "user-1" });
  console.log(JSON.stringify({ result, presigned, methods, resolved: require.resolve("@presign/all"), error: { name: error.name, notFound: error instanceof NotFoundError, presign: error instanceof PresignError, status: error.status, messages: error.messages } }));
})();
`,
    ok: `import {
  createDatadogClient,
  createDatalabClient,
  createPowerdrillClient,
  createSpaazaClient,
  type DatadogClientOptions,
  type DatalabPaths,
  type PowerdrillClient,
  PresignError,
  RateLimitError,
  type SpaazaClient,
} from "@presign/all";

export async function use(): Promise<string> {
  const options: DatadogClientOptions = { apiKey: "a", appKey: "b", site: "datadoghq.eu" };
  const datadog = createDatadogClient(options);
  await datadog.completeTestFileMultipartUpload({ publicId: "abc", key: "k", uploadId: "u", parts: [{ ETag: '"e"', PartNumber: 1 }] });
  const spaaza: SpaazaClient = createSpaazaClient({ host: "services.example.com", accessToken: "id:secret" });
  const { url } = await spaaza.getTaskDownloadUrl({ id: 1 });
  const powerdrill: PowerdrillClient = createPowerdrillClient({ apiKey: "k" });
  const { data } = await powerdrill.presignDataSource({ datasetId: "d", datasourceId: "s", userId: "u" });
  const datalab = createDatalabClient({ apiKey: "k" });
  const file = await datalab.getFileDownloadUrl({ fileId: 1 });
  type Path = keyof DatalabPaths;
  const path: Path = "/api/v1/files/{file_id}/download";
  // @ts-expect-error site is one of Datadog's sites
  createDatadogClient({ site: "example.com" });
  // @ts-expect-error userId is required
  await powerdrill.presignDataSource({ datasetId: "d", datasourceId: "s" });
  const error: unknown = new RateLimitError("x", { provider: "datalab" });
  if (error instanceof PresignError) console.log(error.retryAfter);
  return url + data.presigned_url + file.download_url + path;
}
`,
    wrong: `import { createPowerdrillClient } from "@presign/all";

const client = createPowerdrillClient({ apiKey: "key" });
await client.presignDataSource({ datasetId: "d", datasourceId: "s", userId: 42 });
`,
    readmes: [...providerPackages.map((name) => `${name}/README.md`), "@presign/all/README.md"],
  },
];

for (const consumer of consumers) {
  describe(`a fresh project: npm install ${consumer.pkg}`, () => {
    const dir = join(work, `consumer-${consumer.pkg.split("/")[1]}`);

    beforeAll(async () => {
      createFreshProject(dir, `registry=${registry}\n`);
      await must("npm", ["install", consumer.pkg], dir);
    }, HOOK_TIMEOUT);

    it("installs exactly the package, the shared runtime and their declared dependencies", () => {
      const installed = installedPackages(join(dir, "node_modules"));
      log.push(`${consumer.pkg} consumer installed: ${installed.join(", ")}`);
      expect(names(installed)).toEqual(consumer.expected);
      for (const [name, version] of published) if (consumer.expected.includes(name)) expect(installed).toContain(`${name}@${version}`);
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      expect(Object.keys(manifest.dependencies)).toEqual([consumer.pkg]);
      // Only what `files` allows arrived, plus the README and package.json npm always packs and
      // the root LICENSE that pnpm publish adds to a package without one.
      for (const name of consumer.expected.filter((n) => n.startsWith("@presign/"))) {
        // internal/package.json and testing/package.json make "@presign/core/internal" and "@presign/<p>/testing"
        // resolve for tools without `exports`; @presign/all has no testing entry.
        const shipped = [
          "LICENSE",
          "README.md",
          "dist",
          "package.json",
          ...(name === "@presign/core" ? ["internal"] : []),
          ...(name === "@presign/all" ? [] : ["testing"]),
        ].sort();
        expect(readdirSync(join(dir, "node_modules", name)).sort(), name).toEqual(shipped);
        expect(readFileSync(join(dir, "node_modules", name, "LICENSE"), "utf8"), name).toMatch(
          /^MIT License\n\nCopyright \(c\) \d{4} presign contributors/,
        );
      }
    });

    for (const format of ["esm", "cjs"] as const) {
      it(`imports as ${format === "esm" ? "ESM" : "CommonJS"} and calls a local server`, async () => {
        const file = join(dir, format === "esm" ? "call.mjs" : "call.cjs");
        writeFileSync(file, consumer[format]);
        const before = seen.length;
        const output = JSON.parse(await must(process.execPath, [file, apiUrl], dir));
        expect(output.resolved).toMatch(format === "esm" ? /dist\/index\.js$/ : /dist\/index\.cjs$/);
        expect(output.result).toEqual({
          download_url: "https://storage.example.com/files/12345.pdf?X-Amz-Signature=abc",
          expires_in: 600,
          file_id: 12345,
          original_filename: "report.pdf",
        });
        expect(output.error).toEqual({ name: "NotFoundError", notFound: true, presign: true, status: 404, messages: ["Not Found"] });
        const requests = seen.slice(before);
        expect(requests[0]).toMatchObject({ method: "GET", url: "/api/v1/files/12345/download?expires_in=600" });
        expect(requests[0]!.headers["x-api-key"]).toBe("release-test-key");
        expect(requests[0]!.headers["user-agent"]).toBe(`@presign/datalab/${published.get("@presign/datalab")}`);
        if (consumer.pkg === "@presign/all") {
          // Every provider of specs/ with every method, as published.
          expect(output.methods).toEqual(methodsByProvider);
          expect(output.presigned.data.presigned_url).toMatch(/^https:\/\/bucket\.example\.com\//);
          const presign = requests.find((r) => r.method === "POST")!;
          expect(presign.url).toBe("/v2/team/datasets/ds-1/datasources/src-7/presign");
          expect(presign.headers["x-pd-api-key"]).toBe("pd-key");
          expect(JSON.parse(presign.body)).toEqual({ user_id: "user-1" });
        }
      });
    }

    it("typechecks a consumer file and the README examples under tsc --strict", async () => {
      writeFileSync(join(dir, "ok.mts"), consumer.ok);
      const files = ["ok.mts"];
      for (const [i, readme] of consumer.readmes.entries()) {
        const text = readFileSync(join(dir, "node_modules", readme), "utf8");
        if (!text.includes("```ts")) continue;
        writeFileSync(join(dir, `readme-${i}.mts`), readmeModule(text));
        files.push(`readme-${i}.mts`);
      }
      writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ ...TSCONFIG, files }, null, 2));
      const result = await run(process.execPath, [tsc, "-p", "tsconfig.json"], dir);
      expect(result.stdout + result.stderr).toBe("");
      expect(result.code).toBe(0);
    });

    it("rejects a wrong call under tsc --strict", async () => {
      writeFileSync(join(dir, "wrong.mts"), consumer.wrong);
      writeFileSync(join(dir, "tsconfig.wrong.json"), JSON.stringify({ ...TSCONFIG, files: ["wrong.mts"] }, null, 2));
      const result = await run(process.execPath, [tsc, "-p", "tsconfig.wrong.json"], dir);
      expect(result.code).not.toBe(0);
      expect(result.stdout).toMatch(/wrong\.mts\(4,\d+\): error TS2322: Type '(string|number)' is not assignable to type '(number|string)'/);
    });
  });
}
