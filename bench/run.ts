/**
 * `pnpm bench`: builds (turbo), then measures on this machine and prints a markdown table:
 *   1. per-call overhead against a loopback server (a child process per provider, interleaved rounds);
 *   2. cold import time and resident memory (a fresh process per sample);
 *   3. bundle size of a one-provider app, esbuild minified + gzip;
 *   4. codegen time for all specs, and a turbo build with nothing changed;
 *   5. the storage leg: 256 MiB downloaded and uploaded (Datadog, multipart) by presign and by hand (bench/storage.ts).
 * Writes bench/results/latest.{json,md}, chart.svg (+ chart.png when a chromium is at hand) and the
 * table into bench/README.md (and into the root README.md between `<!-- bench:start -->` and
 * `<!-- bench:end -->` markers, when it has them). Measures the built packages (packages/* /dist).
 * BENCH_QUICK=1 makes a short smoke run (into bench/results/tmp/, READMEs untouched); BENCH_ROUNDS, BENCH_CALLS, BENCH_WARMUP,
 * BENCH_PROCESSES, BENCH_STORAGE_ROUNDS and BENCH_STORAGE_MIB override the sample counts and sizes.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";
import { ensureTool } from "../test-support/tools.ts";
import { renderMarkdown, renderSvg, svgToPng, updateReadme } from "./report.ts";
import { allPackageDir, benchDir, providers, root, type Spread, spread } from "./shared.ts";
import { storageLeg } from "./storage.ts";
import { MiB } from "./storage-shared.ts";

const quick = process.env.BENCH_QUICK === "1";
const count = (name: string, full: number, short: number) => Number(process.env[name] ?? (quick ? short : full));
const config = {
  rounds: count("BENCH_ROUNDS", 21, 3),
  calls: count("BENCH_CALLS", 300, 50),
  warmup: count("BENCH_WARMUP", 1000, 100),
  processes: count("BENCH_PROCESSES", 11, 2),
  codegenCliRuns: quick ? 1 : 3,
  turboRuns: quick ? 2 : 5,
  storageRounds: count("BENCH_STORAGE_ROUNDS", 3, 1),
  // The issue's workload in a smoke run too: a smaller file would measure process start-up, not the transfer.
  storageMiB: count("BENCH_STORAGE_MIB", 256, 256),
};
// A smoke run's figures are not results: they go to the ignored results/tmp/ and no README changes.
const resultsDir = join(root, "bench", "results", quick ? "tmp" : "");
const node = process.execPath;
const benchStarted = performance.now();
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const ms = (from: number) => performance.now() - from;
// The official client is the baseline; not a workspace dependency (49 MB), it is installed on first use.
const officialClientDir = (await ensureTool("datadog-api-client")).dir;

function git(...args: string[]) {
  try {
    return execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
}

/** The build being measured: commit, uncommitted changes to what is measured, and a hash of every package's dist. */
function provenance() {
  const hash = createHash("sha256");
  for (const pkg of readdirSync(join(root, "packages")).sort()) {
    const dist = join(root, "packages", pkg, "dist");
    if (!existsSync(dist)) continue;
    for (const file of readdirSync(dist).sort()) if (/\.(c?js)$/.test(file)) hash.update(readFileSync(join(dist, file)));
  }
  return {
    commit: git("rev-parse", "--short", "HEAD"),
    dirty: git("status", "--porcelain", "--", "packages", "scripts", "specs") !== "",
    distHash: hash.digest("hex").slice(0, 12),
  };
}

function machine() {
  const cpus = os.cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    memoryGB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

// ---- 1. Per-call overhead ---------------------------------------------------------------------

interface PerCallSubject {
  id: string;
  label: string;
  wallUs: Spread;
  cpuUs: Spread;
  /** Per round: this subject's µs per call over raw fetch's in the same round. */
  vsFetch: Spread;
  /** The same over the official client's, where there is one (Datadog). */
  vsOfficial?: Spread;
  newConnections: number;
}

async function startServer(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(node, ["--import", "tsx", "bench/server.ts"], { cwd: root, stdio: ["pipe", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk;
      if (out.includes("\n")) resolve(out.trim());
    });
    child.on("exit", (code) => reject(new Error(`the bench server exited (${code})`)));
  });
  return { url, child };
}

async function perCall() {
  const server = await startServer();
  const env = { ...process.env, BENCH_ROUNDS: String(config.rounds), BENCH_CALLS: String(config.calls), BENCH_WARMUP: String(config.warmup) };
  const results = [];
  try {
    for (const provider of providers) {
      const started = performance.now();
      const child = spawnSync(node, ["--import", "tsx", "bench/per-call.ts", provider.name, server.url], {
        cwd: root,
        env,
        encoding: "utf8",
        maxBuffer: 64 * 2 ** 20,
      });
      if (child.status !== 0) throw new Error(`per-call ${provider.name} failed:\n${child.stderr}`);
      const raw = JSON.parse(child.stdout) as {
        request: { method: string; path: string; headers: string[]; bodyBytes: number };
        subjects: { id: string; label: string; wallUs: number[]; cpuUs: number[]; newConnections: number }[];
      };
      const perRound = (id: string, wallUs: number[]) => {
        const other = raw.subjects.find((s) => s.id === id)?.wallUs;
        return other && spread(wallUs.map((us, round) => us / other[round]!));
      };
      const subjects: PerCallSubject[] = raw.subjects.map((s) => ({
        id: s.id,
        label: s.label,
        wallUs: spread(s.wallUs),
        cpuUs: spread(s.cpuUs),
        vsFetch: perRound("fetch", s.wallUs)!,
        vsOfficial: perRound("official", s.wallUs),
        newConnections: s.newConnections,
      }));
      results.push({
        provider: provider.name,
        operation: provider.method,
        request: raw.request,
        subjects,
        rounds: raw.subjects.map((s) => ({ id: s.id, wallUs: s.wallUs, cpuUs: s.cpuUs })),
      });
      log(
        `per-call ${provider.name}: ${subjects.map((s) => `${s.id} ${s.wallUs.median.toFixed(0)} µs`).join(", ")} (${(ms(started) / 1000).toFixed(1)} s)`,
      );
    }
  } finally {
    server.child.stdin!.end();
  }
  return results;
}

// ---- 2. Cold import and memory -----------------------------------------------------------------

interface StartupSubject {
  id: string;
  label: string;
  args: string[];
  /** Where the package resolves: @presign/all's folder for a provider, bench/ for the official client. */
  cwd: string;
}

/** A fresh node loads one package, from a folder where it is installed. */
const probe = (load: string) =>
  `const t=performance.now();${load};const importMs=performance.now()-t;const m=process.memoryUsage();` +
  `process.stdout.write(JSON.stringify({importMs,rss:m.rss,heapUsed:m.heapUsed}))`;

const startupSubjects: StartupSubject[] = [
  { id: "baseline", label: "`node -e 0` (empty script)", args: ["-e", probe("")], cwd: benchDir },
  ...providers.map((p) => ({
    id: p.name,
    label: `\`import\` @presign/${p.name}`,
    args: ["--input-type=module", "-e", probe(`await import("@presign/${p.name}")`)],
    cwd: allPackageDir,
  })),
  // CommonJS and the official client: the provider that has an official client to compare with.
  ...providers
    .filter((p) => p.name === "datadog")
    .flatMap((p) => [
      { id: `${p.name}-cjs`, label: `\`require\` @presign/${p.name}`, args: ["-e", probe(`require("@presign/${p.name}")`)], cwd: allPackageDir },
      {
        id: "official",
        label: "`require` @datadog/datadog-api-client",
        args: ["-e", probe(`require("@datadog/datadog-api-client")`)],
        cwd: officialClientDir,
      },
    ]),
];

function startup() {
  const samples: Record<string, { wallMs: number; importMs: number; rss: number; heapUsed: number }[]> = {};
  for (let round = 0; round < config.processes; round++) {
    for (let k = 0; k < startupSubjects.length; k++) {
      const subject = startupSubjects[(round + k) % startupSubjects.length]!;
      const started = performance.now();
      const child = spawnSync(node, subject.args, { cwd: subject.cwd, encoding: "utf8" });
      const wallMs = ms(started);
      if (child.status !== 0) throw new Error(`startup ${subject.id} failed:\n${child.stderr}`);
      samples[subject.id] = [...(samples[subject.id] ?? []), { wallMs, ...JSON.parse(child.stdout) }];
    }
  }
  const baseline = spread(samples.baseline!.map((s) => s.wallMs)).median;
  const baselineRss = spread(samples.baseline!.map((s) => s.rss)).median;
  const MB = 2 ** 20;
  return startupSubjects.map(({ id, label }) => {
    const runs = samples[id]!;
    const wallMs = spread(runs.map((s) => s.wallMs));
    const rssMB = spread(runs.map((s) => s.rss / MB));
    return {
      id,
      label,
      wallMs,
      overBaselineMs: wallMs.median - baseline,
      importMs: spread(runs.map((s) => s.importMs)),
      rssMB,
      overBaselineMB: rssMB.median - baselineRss / MB,
      heapUsedMB: spread(runs.map((s) => s.heapUsed / MB)),
    };
  });
}

// ---- 3. Bundle size ------------------------------------------------------------------------------

/** The same small app each time: make a client from credentials, ask for one presigned URL. */
function appSource(subject: string) {
  if (subject === "official") {
    return `import { client, v2 } from "@datadog/datadog-api-client";
export async function presignedUrl(credentials, input) {
  const configuration = client.createConfiguration({ authMethods: { apiKeyAuth: credentials.apiKey, appKeyAuth: credentials.appKey } });
  const api = new v2.SyntheticsApi(configuration);
  return api.getTestFileDownloadUrl({ publicId: input.publicId, body: { bucketKey: input.bucketKey } });
}`;
  }
  const provider = providers.find((p) => p.name === subject)!;
  return `import { ${provider.factory} } from "@presign/${subject}";
export async function presignedUrl(credentials, input) {
  return ${provider.factory}(credentials).${provider.method}(input);
}`;
}

async function bundle() {
  const rows = [];
  const subjects = [...providers.map((p) => p.name), ...(providers.some((p) => p.name === "datadog") ? ["official"] : [])];
  for (const subject of subjects) {
    for (const platform of ["node", "browser"] as const) {
      try {
        const result = await esbuild.build({
          stdin: { contents: appSource(subject), resolveDir: subject === "official" ? officialClientDir : allPackageDir, loader: "js" },
          bundle: true,
          minify: true,
          format: "esm",
          platform,
          target: platform === "node" ? "node20" : "es2022",
          write: false,
          logLevel: "silent",
          metafile: true,
        });
        const code = result.outputFiles[0]!.contents;
        rows.push({
          subject,
          platform,
          minBytes: code.byteLength,
          gzipBytes: gzipSync(code, { level: 9 }).byteLength,
          inputs: Object.keys(result.metafile.inputs).length,
        });
      } catch (error) {
        const first = (error as { errors?: { text: string }[] }).errors?.[0]?.text ?? String(error);
        rows.push({ subject, platform, error: first });
      }
    }
  }
  return rows;
}

// ---- 4. Codegen and turbo ------------------------------------------------------------------------

function codegen() {
  const child = spawnSync(node, ["--import", "tsx", "bench/codegen.ts"], { cwd: root, encoding: "utf8" });
  if (child.status !== 0) throw new Error(`codegen bench failed:\n${child.stderr}`);
  const inProcess = JSON.parse(child.stdout) as {
    specs: number;
    files: number;
    loadMs: number;
    firstPass: { ms: number; perSpec: Record<string, number> };
    warmPassMs: number[];
  };
  // The command a developer runs: a fresh tsx process that generates everything and compares (writes nothing).
  const cli: number[] = [];
  let cliStatus = 0;
  for (let i = 0; i < config.codegenCliRuns; i++) {
    const started = performance.now();
    const run = spawnSync(node, ["--import", "tsx", "scripts/generator/src/cli.ts", "--check"], { cwd: root, encoding: "utf8" });
    cli.push(ms(started));
    cliStatus ||= run.status ?? 1;
  }
  return { ...inProcess, warmPassMs: spread(inProcess.warmPassMs), cliMs: spread(cli), cliStatus };
}

function turbo() {
  const bin = join(root, "node_modules", ".bin", "turbo");
  const runOnce = () => {
    const started = performance.now();
    const run = spawnSync(bin, ["run", "build"], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", NO_COLOR: "1" },
    });
    const wallMs = ms(started);
    const out = `${run.stdout}\n${run.stderr}`;
    const cached = out.match(/Cached:\s+(\d+) cached, (\d+) total/);
    return {
      wallMs,
      status: run.status,
      fullTurbo: out.includes("FULL TURBO"),
      cached: cached ? Number(cached[1]) : undefined,
      total: cached ? Number(cached[2]) : undefined,
      turboTime: out.match(/Time:\s+(\S+)/)?.[1],
      error: run.status === 0 ? undefined : out.trim().split("\n").slice(-3).join(" ").slice(0, 300),
    };
  };
  const first = runOnce();
  const repeats = first.status === 0 ? Array.from({ length: config.turboRuns }, runOnce) : [];
  return { first, repeats, wallMs: repeats.length ? spread(repeats.map((r) => r.wallMs)) : undefined };
}

// ---- Run -----------------------------------------------------------------------------------------

const startedAt = new Date().toISOString();
const build = provenance();
const machineInfo = machine();
log(
  `node ${machineInfo.node} on ${machineInfo.cpu} × ${machineInfo.cores}, load ${machineInfo.loadAverage.join(" ")}; build ${build.commit}${build.dirty ? "+dirty" : ""} dist ${build.distHash}`,
);

const durationS: Record<string, number> = {};
/** Runs one part of the bench, logging its name, and records how long it took. */
async function section<T>(name: string, label: string | undefined, run: () => T | Promise<T>): Promise<T> {
  if (label) log(label);
  const started = performance.now();
  const result = await run();
  durationS[name] = ms(started) / 1000;
  return result;
}

const perCallResults = await section("perCall", undefined, perCall);
const startupResults = await section("startup", "cold import and memory", startup);
const bundleResults = await section("bundle", "bundles", bundle);
const codegenResults = await section("codegen", "codegen", codegen);
const storageResults = await section("storage", `storage leg: ${config.storageMiB} MiB, ${config.storageRounds} rounds`, () =>
  storageLeg({ rounds: config.storageRounds, size: config.storageMiB * MiB, partSize: 8 * MiB, concurrency: 4 }, log),
);
// Last: if sources changed since the build, this rebuilds, and nothing measured above sees it.
const turboResults = await section("turbo", "turbo build with nothing changed", turbo);

const results = {
  schema: 1,
  startedAt,
  machine: { ...machineInfo, loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100) },
  build,
  config,
  perCall: perCallResults,
  startup: startupResults,
  bundle: bundleResults,
  codegen: codegenResults,
  storage: storageResults,
  turbo: turboResults,
  durationS: { ...durationS, total: ms(benchStarted) / 1000 },
};
export type Results = typeof results;

mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, "latest.json"), `${JSON.stringify(results, null, 2)}\n`);
const svg = renderSvg(results);
writeFileSync(join(resultsDir, "chart.svg"), svg);
const png = await svgToPng(svg, join(resultsDir, "chart.png"));
log(png.ok ? "chart.png written" : `chart.png skipped: ${png.reason}`);
const markdown = renderMarkdown(results, png.ok ? "chart.png" : "chart.svg");
writeFileSync(join(resultsDir, "latest.md"), `# presign benchmarks: latest run\n\n${markdown}`);
if (quick) log(`BENCH_QUICK: results in ${resultsDir}, READMEs left as they are`);
else for (const readme of updateReadme(results, png.ok)) log(`updated ${readme}`);
process.stdout.write(markdown);
log(`done in ${results.durationS.total.toFixed(1)} s`);
