/**
 * Response bodies are bounded, for every provider over both senders: a body past `maxResponseBytes`
 * (1 MiB by default) is refused before it is read when its length is declared, and reading stops
 * with the connection closed as soon as an undeclared one passes the limit. The caller gets a
 * MalformedResponseError, never a crash outside the promise and never a retry. Error messages
 * quote only an excerpt of a body, and response checking reports every problem or can be off.
 */
import type { ServerResponse } from "node:http";
import { InvalidRequestError, MalformedResponseError } from "@presign/core";
import { describe, expect, it } from "vitest";
import { failOnEscapes, failure, json, matrix, named, overSenders, type Step, scriptedServer } from "./harness.ts";

const api = scriptedServer();
failOnEscapes();

const MiB = 1024 * 1024;
/** Sent at most, so that a client that never stops reading fails the test instead of filling the memory. */
const FLOOD_CAP = 256 * MiB;

/**
 * Answers with a body of filler written as fast as the client takes it, until the client hangs up
 * (or FLOOD_CAP). `sent` resolves with the bytes written by then.
 */
function flood(status: number, headers: Record<string, string>) {
  let report!: (bytes: number) => void;
  const sent = new Promise<number>((resolve) => (report = resolve));
  const step: Step = (_req, res: ServerResponse) => {
    res.writeHead(status, headers);
    const chunk = Buffer.alloc(64 * 1024, "x");
    let written = 0;
    const pump = () => {
      while (!res.destroyed && written < FLOOD_CAP) {
        written += chunk.length;
        if (!res.write(chunk)) return void res.once("drain", pump);
      }
      res.end();
    };
    res.on("close", () => report(written));
    pump();
  };
  return { step, sent };
}

describe.each(matrix)("$name over $sender: response bodies are bounded", (p) => {
  const create = (options: object = {}) => p.create(api.baseUrl, { ...p.senderOptions, ...options });

  it("refuses a declared 600 MB body before reading it, closes the connection and does not retry", async () => {
    const { step, sent } = flood(200, { "content-type": "application/json", "content-length": String(600 * MiB) });
    api.script = [step];
    const error = await failure(p.call(create()));
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error).toMatchObject({ status: 200, attempts: 1, provider: p.name });
    expect(error.message).toContain(`larger than ${MiB} bytes (maxResponseBytes)`);
    // Only what the socket buffers held went out before the client hung up.
    expect(await sent).toBeLessThan(32 * MiB);
    expect(api.arrivals).toHaveLength(1);
  });

  it("stops reading an endless chunked error body past the limit, closes the connection and does not retry the 500", async () => {
    const { step, sent } = flood(500, { "content-type": "text/html" });
    api.script = [step];
    const error = await failure(p.call(create()));
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error).toMatchObject({ status: 500, attempts: 1 });
    expect(await sent).toBeLessThan(32 * MiB);
    expect(api.arrivals).toHaveLength(1);
  });

  it("refuses a schema-valid success body over the limit, and reads it when maxResponseBytes allows", async () => {
    const padding = "y".repeat(2 * MiB);
    const big = { ...(p.ok as object), padding };
    api.script = [json(200, big)];
    expect(await failure(p.call(create()))).toBeInstanceOf(MalformedResponseError);
    api.script = [json(200, big)];
    expect(await p.call(create({ maxResponseBytes: 4 * MiB }))).toMatchObject(p.ok as object);
  });

  it("quotes only a short excerpt of a large error page", async () => {
    const page = `<html><body>${"Bad request. ".repeat(60_000)}</body></html>`;
    api.script = [(_req, res) => res.writeHead(400, "Bad Request", { "content-type": "text/plain" }).end(page)];
    const error = await failure(p.call(create()));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(page.length).toBeGreaterThan(700_000);
    expect(error.message.length).toBeLessThan(1_000);
    for (const message of error.messages) expect(message.length).toBeLessThanOrEqual(301);
  });
});

describe.each(overSenders([named("datalab", "getFileDownloadUrl")]))("datalab over $sender: response checking", (p) => {
  const create = (options: object = {}) => p.create(api.baseUrl, { ...p.senderOptions, ...options });
  const incomplete = { download_url: "https://bucket.example/f", expires_in: "soon", file_id: 42 };

  it("names every problem of a body that breaks the spec", async () => {
    api.script = [json(200, incomplete)];
    const error = await failure(p.call(create()));
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error.message).toContain("response.original_filename: is required");
    expect(error.message).toContain("response.expires_in: expected an integer, got string");
  });

  it("bounds the list of problems of a hostile body", async () => {
    const hostile = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`field${i}`, i]));
    api.script = [json(200, { ...incomplete, ...hostile, expires_in: [], file_id: {} })];
    const error = await failure(p.call(create()));
    expect(error.message.split("; ").length).toBeLessThanOrEqual(10);
  });

  it("returns the body as it came with validateResponses: false", async () => {
    api.script = [json(200, incomplete)];
    expect(await p.call(create({ validateResponses: false }))).toEqual(incomplete);
  });

  it("still refuses a success body that is not JSON with validateResponses: false", async () => {
    api.script = [(_req, res) => res.writeHead(200, { "content-type": "application/json" }).end("<html>")];
    expect(await failure(p.call(create({ validateResponses: false })))).toBeInstanceOf(MalformedResponseError);
  });
});
