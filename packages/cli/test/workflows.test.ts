/**
 * The workflow commands over loopback providers and the loopback storage server: the bytes that arrive, the
 * one-line summary (or the --json document), progress lines on stderr off a terminal, and nothing with --quiet.
 */
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATADOG_API_KEY, DATADOG_APP_KEY, datadogStorageKey, startFakeDatadog } from "../../../test-support/loopback-api.js";
import { type StorageServer, startStorageServer } from "../../../test-support/storage-server.js";
import { patternedBytes } from "../../../test-support/uploads.js";
import { EXIT_CODES } from "../src/exit-codes.js";
import { jsonOf, presign } from "./cli.js";
import { startFakeDatalab, startFakePowerdrill, startFakeSpaaza } from "./fakes.js";

const MiB = 1024 * 1024;
let storage: StorageServer;
let dir: string;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  storage = await startStorageServer();
  dir = await mkdtemp(join(tmpdir(), "presign-cli-"));
});
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
  await storage.close();
  await rm(dir, { recursive: true, force: true });
});

/** A file of `size` patterned bytes in the test's folder. */
async function fileOf(name: string, size: number): Promise<{ path: string; bytes: Uint8Array }> {
  const bytes = patternedBytes(size);
  const path = join(dir, name);
  await writeFile(path, bytes);
  return { path, bytes };
}

/** A digest to compare bytes by: vitest's deep equality walks a megabyte array element by element, for seconds. */
const digest = (bytes: Uint8Array | undefined) => (bytes ? createHash("sha256").update(bytes).digest("hex") : "missing");

/** Progress lines as a log shows them: `downloaded 4.0 MiB of 12.0 MiB (33%) at 8.1 MiB/s`. */
const PROGRESS_LINE = /^(downloaded|uploaded) \d+(\.\d)? (B|KiB|MiB)( of \d+\.\d (KiB|MiB) \(\d+%\))? at \d+(\.\d)? (B|KiB|MiB)\/s$/;

describe("presign download", () => {
  const object = patternedBytes(3 * MiB + 5);

  beforeAll(() => {
    storage.putObject("reports/big.bin", object);
  });

  it("writes the object's bytes to the file, with progress lines on stderr ending at 100%", async () => {
    const target = join(dir, "big.bin");
    const run = await presign(["download", storage.presign({ method: "GET", key: "reports/big.bin" }), target]);
    expect(run.code).toBe(0);
    expect(digest(await readFile(target))).toBe(digest(object));
    expect(run.stdout).toBe(`downloaded 3.0 MiB (${object.length} bytes) to ${target}\n`);
    const lines = run.stderr.trimEnd().split("\n");
    for (const line of lines) expect(line).toMatch(PROGRESS_LINE);
    expect(lines.at(-1)).toMatch(/^downloaded 3\.0 MiB of 3\.0 MiB \(100%\) at /);
    // Throttled to one line per 10 %, or per 2 s: a log stays short.
    expect(lines.length).toBeLessThanOrEqual(12);
  });

  it("resumes after a broken connection, and says so", async () => {
    storage.fault.resetMidBody({ key: "reports/big.bin", afterBytes: MiB });
    const target = join(dir, "resumed.bin");
    const run = await presign(["download", storage.presign({ method: "GET", key: "reports/big.bin" }), target, "--json", "--quiet"]);
    expect(run.code).toBe(0);
    expect(jsonOf(run)).toMatchObject({ target, bytes: object.length, resumes: 1 });
    expect(run.stderr).toBe("");
    expect(digest(await readFile(target))).toBe(digest(object));
  });

  it("an expired URL is a storage error (exit code 12) whose message shows no signature", async () => {
    const url = storage.presign({ method: "GET", key: "reports/big.bin", expiresIn: 60, date: new Date(Date.now() - 3_600_000) });
    const run = await presign(["download", url, join(dir, "expired.bin")]);
    expect(run.code).toBe(EXIT_CODES.storage);
    const signature = new URL(url).searchParams.get("X-Amz-Signature")!;
    expect(run.stderr).toMatch(
      /^error: s3 403: the presigned URL has expired; get a fresh one \[AccessDenied\] \(GET http:\/\/127\.0\.0\.1:\d+\/reports\/big\.bin\?/,
    );
    expect(run.stderr).not.toContain(signature);
  });
});

describe("presign datadog upload-test-file", () => {
  it("uploads the file in parts and prints its bucketKey", async () => {
    const datadog = await startFakeDatadog(storage);
    closers.push(() => datadog.close());
    const file = await fileOf("payload.bin", 6 * MiB);
    const args = [
      "datadog",
      "upload-test-file",
      "--public-id",
      "abc-def-123",
      "--file",
      file.path,
      "--part-size",
      String(5 * MiB),
      "--base-url",
      datadog.origin,
    ];
    const run = await presign(args, { DD_API_KEY: DATADOG_API_KEY, DD_APP_KEY: DATADOG_APP_KEY });
    expect(run.code).toBe(0);
    const bucketKey = "api-upload-file/abc-def-123/upload-1.bin";
    expect(run.stdout).toBe(`uploaded ${file.path} (6.0 MiB) as bucketKey ${bucketKey}\n`);
    expect(digest(storage.getObject(datadogStorageKey(bucketKey))!)).toBe(digest(file.bytes));
    expect(run.stderr.trimEnd().split("\n").at(-1)).toMatch(/^uploaded 6\.0 MiB of 6\.0 MiB \(100%\) at /);
  });
});

describe("presign datalab upload-file", () => {
  it("uploads with the Content-Type of its extension and prints the reference", async () => {
    const datalab = await startFakeDatalab(storage);
    closers.push(() => datalab.close());
    const file = await fileOf("invoice.pdf", 200 * 1024);
    const run = await presign(["datalab", "upload-file", "--file", file.path, "--base-url", datalab.origin, "--quiet"], {
      DATALAB_API_KEY: "dl_sk_cli_upload_0001",
    });
    expect(run).toEqual({ code: 0, stdout: `uploaded ${file.path} as datalab://file-41 (file_id 41)\n`, stderr: "" });
    expect(datalab.requests[0]?.body).toEqual({ filename: "invoice.pdf", content_type: "application/pdf" });
    expect(digest(storage.getObject("datalab/41/invoice.pdf")!)).toBe(digest(file.bytes));
  });
});

describe("presign powerdrill upload-data-source", () => {
  it("uploads the parts Powerdrill chose and prints the data source as JSON with --json", async () => {
    const powerdrill = await startFakePowerdrill(storage);
    closers.push(() => powerdrill.close());
    const file = await fileOf("sales.csv", 150 * 1024);
    const args = ["powerdrill", "upload-data-source", "--dataset-id", "dset-1", "--user-id", "user-1", "--file", file.path, "--json"];
    const run = await presign([...args, "--base-url", `${powerdrill.origin}/api`], { POWERDRILL_API_KEY: "pd-key-cli-upload-0001" });
    expect(run.code).toBe(0);
    expect(jsonOf(run)).toMatchObject({ id: "src-1", dataset_id: "dset-1", name: "sales.csv", status: "synching" });
    expect(digest(storage.getObject("uploads/user-1/sales.csv")!)).toBe(digest(file.bytes));
  });
});

describe("presign spaaza export", () => {
  it("runs the export and downloads the file to --out", async () => {
    const csv = new TextEncoder().encode("id,email\n1,a@example.com\n");
    storage.putObject("chains/1743/users.csv", csv);
    const spaaza = await startFakeSpaaza(storage, "chains/1743/users.csv");
    closers.push(() => spaaza.close());
    const out = join(dir, "users.csv");
    const args = ["spaaza", "export", "--chain", "1743", "--index", "users", "--format", "csv", "--out", out, "--poll-interval", "10"];
    const run = await presign([...args, "--base-url", spaaza.origin, "--access-token", "spaaza-token-cli-0001"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`exported task 4242 to ${out} (${csv.length} B)\n`);
    expect(digest(await readFile(out))).toBe(digest(csv));
    expect(spaaza.requests[0]?.body).toMatchObject({ chain: 1743, target: { action: "export", export_index: "users", export_format: "csv" } });
  });

  it("refuses an index Spaaza doesn't export with exit code 2, before any request", async () => {
    const run = await presign(["spaaza", "export", "--chain", "1743", "--index", "orders", "--format", "csv", "--base-url", "http://127.0.0.1:9"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("error: option '--index <index>' argument 'orders' is invalid. Allowed choices are transactions, users");
  });
});
