/**
 * The storage leg of `pnpm bench`: presign's transfers against the same work done by hand, over loopback.
 *   - download: `download(url, path)` vs global `fetch` piped to a file;
 *   - upload: Datadog's `uploadTestFile` from a path (8 MiB parts, 4 at a time) vs the same protocol by hand.
 * The storage servers and the fake Datadog API run in one child process (bench/storage-host.ts); each measured run
 * is a fresh child (bench/storage-side.ts) that reports its wall time and its RSS growth. The sides alternate which
 * goes first from round to round; medians are reported, and ratios are taken per round. Files live in a temp dir
 * that is removed at the end.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { root, type Spread, spread } from "./shared.ts";
import {
  type HostAnswer,
  type HostQuestion,
  MiB,
  type Side,
  type SideJob,
  type SideResult,
  type UploadsReport,
  type Workload,
} from "./storage-shared.ts";

export interface StorageConfig {
  rounds: number;
  /** Bytes moved by each run. */
  size: number;
  partSize: number;
  concurrency: number;
}

/** A workload's targets, from the issue: presign's throughput over raw's, and presign's RSS growth. */
interface Target {
  minRatio: number;
  maxRssMiB: number;
  rssNote: string;
}

const TARGETS: Record<Workload, Target> = {
  download: { minRatio: 0.9, maxRssMiB: 64, rssNote: "64 MiB" },
  upload: { minRatio: 0.8, maxRssMiB: 64, rssNote: "8 MiB × 4 + 32 MiB" },
};

const LABELS: Record<Workload, { presign: string; raw: string }> = {
  download: { presign: "`download(url, path)`", raw: "`fetch` → `pipeline(Readable.fromWeb(body), createWriteStream)`" },
  upload: { presign: "`uploadTestFile` (datadog, from a path)", raw: "hash parts, `fetch` PUTs 4 at a time, complete" },
};

export interface SideFigures {
  mibPerS: Spread;
  ms: Spread;
  rssGrowthMiB: Spread;
  runs: SideResult[];
}

export interface WorkloadResult {
  workload: Workload;
  presignLabel: string;
  rawLabel: string;
  presign: SideFigures;
  raw: SideFigures;
  /** Per round: presign's MiB/s over raw's. */
  ratio: Spread;
  target: Target;
  ratioMet: boolean;
  rssMet: boolean;
}

export interface StorageResults {
  config: StorageConfig;
  workloads: WorkloadResult[];
  /** Multipart uploads left open on the storage after every upload run (none expected). */
  orphanUploads: number;
}

// ---- The host process

interface Host {
  ask<T>(request: HostQuestion): Promise<T>;
  origins: { downloadOrigin: string; apiOrigin: string };
  stop(): void;
}

async function startHost(): Promise<Host> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "bench/storage-host.ts"], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  const exited = new Promise<never>((_, reject) => child.once("exit", (code) => reject(new Error(`the storage host exited (${code})`))));
  exited.catch(() => {});
  child.on("message", (answer: HostAnswer) => {
    const waiter = pending.get(answer.id);
    pending.delete(answer.id);
    if (answer.ok) waiter?.resolve(answer.value);
    else waiter?.reject(new Error(`storage host: ${answer.error}`));
  });
  const ready = new Promise<unknown>((resolve, reject) => pending.set(0, { resolve, reject }));
  const origins = (await Promise.race([ready, exited])) as Host["origins"];
  return {
    origins,
    ask<T>(request: HostQuestion) {
      const id = nextId++;
      const answered = new Promise<T>((resolve, reject) => pending.set(id, { resolve: resolve as (value: unknown) => void, reject }));
      child.send({ ...request, id });
      return Promise.race([answered, exited]);
    },
    stop: () => child.disconnect(),
  };
}

// ---- One measured run

function runSide(job: SideJob): Promise<SideResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "bench/storage-side.ts", JSON.stringify(job)], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk;
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code === 0) resolve(JSON.parse(out) as SideResult);
      else reject(new Error(`storage ${job.workload} ${job.side} failed (${code}):\n${err.slice(-2000)}`));
    });
  });
}

// ---- The files

/** A file of random bytes, written 8 MiB at a time. */
function writeRandomFile(path: string, size: number): void {
  writeFileSync(path, "");
  for (let written = 0; written < size; written += 8 * MiB) {
    writeFileSync(path, randomBytes(Math.min(8 * MiB, size - written)), { flag: "a" });
  }
}

/** The ETag S3 gives the multipart object: the MD5 of the parts' MD5s, then `-<parts>`. */
async function multipartEtag(path: string, size: number, partSize: number): Promise<string> {
  const md5s: Buffer[] = [];
  for (let start = 0; start < size; start += partSize) {
    const hash = createHash("md5");
    for await (const chunk of createReadStream(path, { start, end: Math.min(start + partSize, size) - 1 })) hash.update(chunk as Buffer);
    md5s.push(hash.digest());
  }
  return `"${createHash("md5").update(Buffer.concat(md5s)).digest("hex")}-${md5s.length}"`;
}

// ---- The workloads

interface Checks {
  /** Throws when a run did not move the bytes it was meant to. */
  check(side: Side, result: SideResult, file: string): Promise<void>;
}

async function downloadChecks(config: StorageConfig): Promise<Checks> {
  return {
    async check(side, result, file) {
      const written = statSync(file).size;
      rmSync(file, { force: true });
      if (written !== config.size || result.bytes !== config.size)
        throw new Error(`download ${side}: wrote ${written} bytes, reported ${result.bytes}`);
    },
  };
}

async function uploadChecks(host: Host, config: StorageConfig, source: string): Promise<Checks> {
  const expectedEtag = await multipartEtag(source, config.size, config.partSize);
  return {
    async check(side, result) {
      const { completed } = await host.ask<UploadsReport>({ type: "uploads" });
      const last = completed.at(-1);
      if (!last || !result.bucketKey || !last.key.endsWith(result.bucketKey))
        throw new Error(`upload ${side}: no completed upload for ${result.bucketKey}`);
      if (last.etag !== expectedEtag || last.bytes !== config.size) {
        throw new Error(
          `upload ${side}: the storage holds ${last.bytes} bytes with ETag ${last.etag}, expected ${config.size} bytes, ${expectedEtag}`,
        );
      }
    },
  };
}

function figuresOf(runs: SideResult[]): SideFigures {
  return {
    mibPerS: spread(runs.map((run) => run.bytes / MiB / (run.ms / 1000))),
    ms: spread(runs.map((run) => run.ms)),
    rssGrowthMiB: spread(runs.map((run) => (run.rssPeak - run.rssBaseline) / MiB)),
    runs,
  };
}

/** Rounds of one workload, the two sides alternating which goes first. */
async function measureWorkload(
  workload: Workload,
  config: StorageConfig,
  jobOf: (side: Side) => Promise<SideJob>,
  checks: Checks,
  log: (line: string) => void,
): Promise<WorkloadResult> {
  const runs: Record<Side, SideResult[]> = { presign: [], raw: [] };
  for (let round = 0; round < config.rounds; round++) {
    const order: Side[] = round % 2 === 0 ? ["presign", "raw"] : ["raw", "presign"];
    for (const side of order) {
      const job = await jobOf(side);
      const result = await runSide(job);
      await checks.check(side, result, job.file);
      runs[side].push(result);
    }
    const [presign, raw] = [runs.presign.at(-1)!, runs.raw.at(-1)!];
    const rate = (run: SideResult) => (run.bytes / MiB / (run.ms / 1000)).toFixed(0);
    log(
      `storage ${workload} round ${round + 1}: presign ${rate(presign)} MiB/s (RSS +${((presign.rssPeak - presign.rssBaseline) / MiB).toFixed(1)} MiB), raw ${rate(raw)} MiB/s`,
    );
  }
  const presign = figuresOf(runs.presign);
  const raw = figuresOf(runs.raw);
  const ratio = spread(runs.presign.map((run, round) => runs.raw[round]!.ms / run.ms));
  const target = TARGETS[workload];
  return {
    workload,
    presignLabel: LABELS[workload].presign,
    rawLabel: LABELS[workload].raw,
    presign,
    raw,
    ratio,
    target,
    ratioMet: ratio.median >= target.minRatio,
    rssMet: presign.rssGrowthMiB.median <= target.maxRssMiB,
  };
}

/** The storage leg: both workloads, then a check that no upload was left open. */
export async function storageLeg(config: StorageConfig, log: (line: string) => void): Promise<StorageResults> {
  const temp = mkdtempSync(join(os.tmpdir(), "presign-bench-storage-"));
  const host = await startHost();
  try {
    const key = "bench/object.bin";
    await host.ask({ type: "seed", key, size: config.size });
    const target = join(temp, "downloaded.bin");
    const download = await measureWorkload(
      "download",
      config,
      async (side) => ({ workload: "download", side, url: await host.ask<string>({ type: "presignGet", key }), file: target, ...parts(config) }),
      await downloadChecks(config),
      log,
    );

    const source = join(temp, "upload.bin");
    writeRandomFile(source, config.size);
    const upload = await measureWorkload(
      "upload",
      config,
      async (side) => ({ workload: "upload", side, url: host.origins.apiOrigin, file: source, ...parts(config) }),
      await uploadChecks(host, config, source),
      log,
    );
    const { open } = await host.ask<UploadsReport>({ type: "uploads" });
    return { config, workloads: [download, upload], orphanUploads: open };
  } finally {
    host.stop();
    rmSync(temp, { recursive: true, force: true });
  }
}

const parts = (config: StorageConfig) => ({ partSize: config.partSize, concurrency: config.concurrency });
