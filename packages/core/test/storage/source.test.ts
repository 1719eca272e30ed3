/**
 * openSource: every kind of upload input becomes a size-known, re-readable view, without a file in memory on Node;
 * bad input is an InvalidRequestError before anything else happens.
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, truncateSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { webStreamOf } from "../../../../test-support/uploads.js";
import { AbortedError, InvalidRequestError } from "../../src/index.js";
import { type ByteSource, openSource, type UploadSource } from "../../src/storage/source.js";

const BYTES = new Uint8Array(Array.from({ length: 1000 }, (_, i) => (i * 7) % 256));

const bytesOf = async (blob: Blob) => new Uint8Array(await blob.arrayBuffer());

/** Every byte range a caller could ask for reads back the same bytes as the input. */
async function expectSameBytes(source: ByteSource, expected: Uint8Array) {
  expect(source.size).toBe(expected.byteLength);
  expect(await bytesOf(source.slice(0, source.size))).toEqual(expected);
  expect(await bytesOf(source.slice(10, 510))).toEqual(expected.subarray(10, 510));
  expect(await bytesOf(source.slice(source.size, source.size))).toEqual(new Uint8Array(0));
}

/** Where spooled streams go: a fresh TMPDIR per test, so the test sees exactly what openSource leaves behind. */
let temp: string;
let savedTmpdir: string | undefined;
beforeEach(() => {
  savedTmpdir = process.env.TMPDIR;
  temp = mkdtempSync(join(tmpdir(), "presign-source-test-"));
  process.env.TMPDIR = temp;
});
afterEach(() => {
  if (savedTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmpdir;
  rmSync(temp, { recursive: true, force: true });
});

/** The spool directories openSource has left in TMPDIR. */
const spools = () => readdirSync(temp).filter((name) => name.startsWith("presign-upload-"));

async function refusal(source: unknown, options?: { signal?: AbortSignal }) {
  const error = await openSource(source as UploadSource, options).then(
    () => expect.fail("expected openSource to refuse"),
    (reason: unknown) => reason,
  );
  return error as InvalidRequestError;
}

describe("in-memory inputs", () => {
  it("reads a Uint8Array, and a view into a larger buffer only within its bounds", async () => {
    await expectSameBytes(await openSource(BYTES), BYTES);
    const larger = new Uint8Array(3000).fill(255);
    larger.set(BYTES, 1000);
    await expectSameBytes(await openSource(larger.subarray(1000, 2000)), BYTES);
  });

  it("reads an ArrayBuffer and a Node Buffer", async () => {
    await expectSameBytes(await openSource(BYTES.slice().buffer), BYTES);
    await expectSameBytes(await openSource(Buffer.from(BYTES)), BYTES);
  });

  it("reads a Blob, and its slices have no type, so fetch adds no Content-Type", async () => {
    const source = await openSource(new Blob([BYTES], { type: "text/csv" }));
    await expectSameBytes(source, BYTES);
    expect(source.slice(0, 10).type).toBe("");
    expect((await openSource(BYTES)).slice(0, 10).type).toBe("");
  });
});

describe("a file path", () => {
  it("reads the file from disk, slice by slice", async () => {
    const path = join(temp, "input.bin");
    writeFileSync(path, BYTES);
    const source = await openSource(path);
    await expectSameBytes(source, BYTES);
    expect(source.slice(0, 10).type).toBe("");
    await source.close();
  });

  it("reads a file of 4 GiB and more, which Node 20's openAsBlob sizes modulo 4 GiB", async () => {
    // Sparse: no disk is used but for the marker at the end.
    const path = join(temp, "large.bin");
    const size = 4 * 1024 ** 3 + 100;
    const marker = new TextEncoder().encode("the end!");
    closeSync(openSync(path, "w"));
    truncateSync(path, size);
    const fd = openSync(path, "r+");
    writeSync(fd, marker, 0, marker.byteLength, size - 50);
    closeSync(fd);
    const source = await openSource(path);
    expect(source.size).toBe(size);
    expect(await bytesOf(source.slice(size - 50, size - 42))).toEqual(marker);
    expect(await bytesOf(source.slice(0, 4))).toEqual(new Uint8Array(4));
    expect(source.slice(0, 4).type).toBe("");
    await source.close();
  });

  it("refuses a missing file, a directory and an empty path with an InvalidRequestError", async () => {
    const missing = await refusal(join(temp, "missing.bin"));
    expect(missing).toBeInstanceOf(InvalidRequestError);
    expect(missing.message).toContain("ENOENT");
    mkdirSync(join(temp, "dir"));
    expect((await refusal(join(temp, "dir"))).message).toContain("is not a file");
    expect(await refusal("")).toBeInstanceOf(InvalidRequestError);
  });
});

describe("a stream", () => {
  const chunks = () => [BYTES.subarray(0, 300), BYTES.subarray(300, 301), BYTES.subarray(301)];

  it("spools a web ReadableStream to a temporary file, removed on close", async () => {
    const source = await openSource(webStreamOf(chunks()));
    await expectSameBytes(source, BYTES);
    expect(spools()).toHaveLength(1);
    await source.close();
    await source.close();
    expect(spools()).toEqual([]);
  });

  it("spools a Node Readable, text chunks as UTF-8", async () => {
    await expectSameBytes(await openSource(Readable.from(chunks().map((chunk) => Buffer.from(chunk)))), BYTES);
    const text = Readable.from([Buffer.from("héllo, "), Buffer.from("wörld")]);
    text.setEncoding("utf8");
    expect(await bytesOf((await openSource(text)).slice(0, 14))).toEqual(new TextEncoder().encode("héllo, wörld"));
  });

  it("spools an empty stream to an empty source", async () => {
    const source = await openSource(Readable.from([]));
    expect(source.size).toBe(0);
    await source.close();
  });

  it("refuses a stream of objects, and leaves no temporary file", async () => {
    const error = await refusal(Readable.from([{ not: "bytes" }]));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.message).toContain("something other than bytes");
    expect(spools()).toEqual([]);
  });

  it("fails with an InvalidRequestError when the stream fails, and leaves no temporary file", async () => {
    const failing = new ReadableStream({
      start(controller) {
        controller.enqueue(BYTES);
        controller.error(new Error("disk on fire"));
      },
    });
    const error = await refusal(failing);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.message).toContain("reading the upload source stream failed");
    expect(spools()).toEqual([]);
  });

  it("stops spooling when the signal fires, with an AbortedError, cancels the stream and leaves no temporary file", async () => {
    const controller = new AbortController();
    let cancelled = false;
    let pulls = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(stream) {
        pulls += 1;
        if (pulls === 3) controller.abort(new Error("user left"));
        stream.enqueue(BYTES);
      },
      cancel() {
        cancelled = true;
      },
    });
    const error = await refusal(endless, { signal: controller.signal });
    expect(error).toBeInstanceOf(AbortedError);
    expect(cancelled).toBe(true);
    expect(spools()).toEqual([]);
  });
});

it("refuses anything else with an InvalidRequestError", async () => {
  for (const input of [42, null, undefined, {}, { pipe: () => {} }]) {
    expect(await refusal(input)).toBeInstanceOf(InvalidRequestError);
  }
});
