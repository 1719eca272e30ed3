/**
 * One measured side of the storage-leg bench, in a fresh process (bench/storage.ts starts one per run):
 *   node --import tsx bench/storage-side.ts '<SideJob as JSON>'
 * Loads what the side needs, takes the resident set size as a baseline, then runs the transfer while a timer
 * samples the RSS every 10 ms. Prints a SideResult as JSON: wall time, bytes, baseline and peak RSS.
 *   - download, presign: `download(url, file)` from @presign/all (the built packages).
 *   - download, raw: global `fetch`, its body piped to `fs.createWriteStream` with `pipeline`.
 *   - upload, presign: `uploadTestFile(client, { file: path, partSize, concurrency })`.
 *   - upload, raw: the same Datadog protocol by hand: hash each part (node:crypto, streamed), ask for the part URLs,
 *     PUT each part read into a Buffer (`concurrency` at a time) with its Content-MD5, complete.
 */
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { type FileHandle, open, stat } from "node:fs/promises";
import { performance } from "node:perf_hooks";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { API_KEY, APP_KEY, BUCKET_KEY_PREFIX, PUBLIC_ID, type SideJob, type SideResult } from "./storage-shared.ts";

const SAMPLE_EVERY_MS = 10;

/** A transfer, ready to start: everything it imports is loaded, so the baseline includes it. */
type Transfer = () => Promise<{ bytes: number; bucketKey?: string }>;

// ---- Download

async function presignDownload(job: SideJob): Promise<Transfer> {
  const { download } = await import("@presign/all");
  return async () => ({ bytes: (await download(job.url, job.file)).bytes });
}

async function rawDownload(job: SideJob): Promise<Transfer> {
  return async () => {
    const response = await fetch(job.url);
    if (response.status !== 200 || !response.body) throw new Error(`raw download: status ${response.status}`);
    await pipeline(Readable.fromWeb(response.body as import("node:stream/web").ReadableStream), createWriteStream(job.file));
    return { bytes: (await stat(job.file)).size };
  };
}

// ---- Upload

async function presignUpload(job: SideJob): Promise<Transfer> {
  const { createDatadogClient, uploadTestFile } = await import("@presign/all");
  const client = createDatadogClient({ apiKey: API_KEY, appKey: APP_KEY, baseUrl: job.url });
  return async () => {
    const { bucketKey } = await uploadTestFile(client, {
      publicId: PUBLIC_ID,
      bucketKeyPrefix: BUCKET_KEY_PREFIX,
      file: job.file,
      partSize: job.partSize,
      concurrency: job.concurrency,
    });
    return { bytes: (await stat(job.file)).size, bucketKey };
  };
}

interface RawPart {
  partNumber: number;
  start: number;
  end: number;
  md5: string;
}

/** A part's base64 MD5, read from the file in a stream: the Content-MD5 its URL is signed with. */
async function md5OfRange(file: string, start: number, end: number): Promise<string> {
  const hash = createHash("md5");
  if (end > start) for await (const chunk of createReadStream(file, { start, end: end - 1 })) hash.update(chunk as Buffer);
  return hash.digest("base64");
}

async function postJson(url: string, body: unknown): Promise<Response> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "dd-api-key": API_KEY, "dd-application-key": APP_KEY },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`raw upload: ${url} answered ${response.status} ${await response.text()}`);
  return response;
}

/** One part's PUT: its bytes read into a Buffer, sent with the Content-MD5 the URL is signed with; returns its ETag. */
async function putPart(handle: FileHandle, part: RawPart, url: string): Promise<string> {
  const bytes = Buffer.allocUnsafe(part.end - part.start);
  await handle.read(bytes, 0, bytes.length, part.start);
  const response = await fetch(url, { method: "PUT", body: bytes, headers: { "content-md5": part.md5 } });
  if (response.status !== 200) throw new Error(`raw upload: part ${part.partNumber} answered ${response.status} ${await response.text()}`);
  await response.arrayBuffer();
  return response.headers.get("etag")!;
}

/** Runs `work` over the items, at most `limit` at a time, keeping their order. */
async function pooled<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

async function rawUpload(job: SideJob): Promise<Transfer> {
  const files = `${job.url}/api/v2/synthetics/tests/${PUBLIC_ID}/files`;
  return async () => {
    const { size } = await stat(job.file);
    const parts: RawPart[] = [];
    for (let start = 0, partNumber = 1; start < size; start += job.partSize, partNumber++) {
      const end = Math.min(start + job.partSize, size);
      parts.push({ partNumber, start, end, md5: await md5OfRange(job.file, start, end) });
    }
    const presigned = await postJson(`${files}/multipart-presigned-urls`, {
      bucketKeyPrefix: BUCKET_KEY_PREFIX,
      parts: parts.map(({ md5, partNumber }) => ({ md5, partNumber })),
    });
    const answer = (await presigned.json()) as {
      bucketKey: string;
      multipart_presigned_urls_params: { key: string; upload_id: string; urls: Record<string, string> };
    };
    const { key, upload_id: uploadId, urls } = answer.multipart_presigned_urls_params;
    const handle = await open(job.file);
    try {
      const etags = await pooled(parts, job.concurrency, (part) => putPart(handle, part, urls[String(part.partNumber)]!));
      const completed = parts.map((part, index) => ({ ETag: etags[index]!, PartNumber: part.partNumber }));
      await postJson(`${files}/multipart-upload-complete`, { key, uploadId, parts: completed });
    } finally {
      await handle.close();
    }
    return { bytes: size, bucketKey: answer.bucketKey };
  };
}

// ---- The measurement

const SIDES = {
  download: { presign: presignDownload, raw: rawDownload },
  upload: { presign: presignUpload, raw: rawUpload },
} as const;

/** Runs the transfer, sampling the RSS meanwhile; the peak includes a last sample at the end. */
async function measure(transfer: Transfer): Promise<SideResult> {
  const rssBaseline = process.memoryUsage.rss();
  let rssPeak = rssBaseline;
  let samples = 0;
  const sample = () => {
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
    samples++;
  };
  const sampler = setInterval(sample, SAMPLE_EVERY_MS);
  const started = performance.now();
  try {
    const done = await transfer();
    const ms = performance.now() - started;
    sample();
    return { ms, ...done, rssBaseline, rssPeak, samples };
  } finally {
    clearInterval(sampler);
  }
}

const job = JSON.parse(process.argv[2] ?? "") as SideJob;
const transfer = await SIDES[job.workload][job.side](job);
process.stdout.write(`${JSON.stringify(await measure(transfer))}\n`);
