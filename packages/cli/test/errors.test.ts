/**
 * How a failed call ends, as a script sees it: the exit code of each error kind, the error on stderr (or as the
 * --json document), retries before a 429 or 5xx is final, bad input refused before any request, Ctrl-C.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type JsonAnswer, type JsonApi, type JsonRequest, startJsonApi } from "../../../test-support/loopback-api.js";
import { EXIT_CODES } from "../src/exit-codes.js";
import { jsonOf, presign, start } from "./cli.js";

const API_KEY = "dl_sk_live_errors_7c1e93b2a4";
const FILE = {
  file_id: 7,
  original_filename: "a.pdf",
  content_type: "application/pdf",
  file_size: 1,
  upload_status: "completed",
  created: "x",
  reference: "r",
};

/** A Datalab API whose `GET /api/v1/files/<status>` answers that status (200 with a body missing its fields: malformed). */
let api: JsonApi;
let requests: JsonRequest[];
/** A server that takes requests and never answers. */
let silent: Server;
let silentUrl: string;
/** The paths the silent server was asked for. */
const silentPaths: string[] = [];

beforeAll(async () => {
  requests = [];
  api = await startJsonApi((request): JsonAnswer => {
    requests.push(request);
    const status = Number(request.path.split("/").at(-1));
    if (status === 200) return { status, body: { file_id: 7 } };
    if (status === 201) return { status: 200, body: FILE };
    return { status, body: { detail: `injected ${status}` }, ...(status === 429 && { headers: { "retry-after": "0" } }) };
  });
  silent = createServer((request) => {
    silentPaths.push(request.url ?? "");
  });
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
});
afterAll(async () => {
  silent.closeAllConnections();
  await Promise.all([api.close(), new Promise((resolve) => silent.close(resolve))]);
});

const getFile = (id: string | number, ...more: string[]) =>
  presign(["datalab", "get-file", "--file-id", String(id), "--base-url", api.origin, ...more], { DATALAB_API_KEY: API_KEY });
const hitsOf = (id: number) => requests.filter((r) => r.path === `/api/v1/files/${id}`).length;

describe.concurrent("exit codes", () => {
  it.concurrent.each([
    { status: 401, kind: "authentication" },
    { status: 403, kind: "permission_denied" },
    { status: 404, kind: "not_found" },
    { status: 409, kind: "conflict" },
    { status: 422, kind: "invalid_request" },
  ] as const)("$status ends with the code of $kind, at once", async ({ status, kind }) => {
    const run = await getFile(status, "--json");
    expect(run.code).toBe(EXIT_CODES[kind]);
    expect(jsonOf(run)).toEqual({
      error: expect.objectContaining({ kind, status, provider: "datalab", attempts: 1, request: `GET ${api.origin}/api/v1/files/${status}` }),
    });
    expect(run.stderr).toBe("");
  });

  it.concurrent.each([
    { status: 429, kind: "rate_limit" },
    { status: 503, kind: "server" },
  ] as const)("$status is retried twice, then ends with the code of $kind", async ({ status, kind }) => {
    const run = await getFile(status, "--json");
    expect(run.code).toBe(EXIT_CODES[kind]);
    expect(jsonOf(run)).toEqual({ error: expect.objectContaining({ kind, status, attempts: 3 }) });
    expect(hitsOf(status)).toBe(3);
  });

  it("prints the error and where the credentials come from on stderr after a 401, and nothing on stdout", async () => {
    const run = await getFile(401);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      `error: datalab 401: injected 401 (GET ${api.origin}/api/v1/files/401, 1 attempt)\nhint: datalab reads its credentials from --api-key or DATALAB_API_KEY\n`,
    );
  });

  it("a success body that is not what the spec promises is malformed_response", async () => {
    const run = await getFile(200, "--json");
    expect(run.code).toBe(EXIT_CODES.malformed_response);
    expect(jsonOf(run)).toMatchObject({ error: { kind: "malformed_response", status: 200 } });
  });

  it("a refused connection is connection, after the retries", async () => {
    const run = await presign(["datalab", "get-file", "--file-id", "1", "--base-url", "http://127.0.0.1:9", "--json"], { DATALAB_API_KEY: API_KEY });
    expect(run.code).toBe(EXIT_CODES.connection);
    expect(jsonOf(run)).toMatchObject({ error: { kind: "connection", attempts: 3 } });
  });

  it("an answer that never comes is timeout", async () => {
    const args = ["datalab", "get-file", "--file-id", "1", "--base-url", silentUrl, "--timeout", "300", "--max-retries", "0", "--json"];
    const run = await presign(args, { DATALAB_API_KEY: API_KEY });
    expect(run.code).toBe(EXIT_CODES.timeout);
    expect(jsonOf(run)).toMatchObject({ error: { kind: "timeout", attempts: 1 } });
  });

  it("input out of the spec's range is invalid_request (2), before any request", async () => {
    const run = await presign(["datalab", "get-file-download-url", "--file-id", "202", "--expires-in", "5", "--base-url", api.origin], {
      DATALAB_API_KEY: API_KEY,
    });
    expect(run.code).toBe(EXIT_CODES.invalid_request);
    expect(run.stderr).toBe("error: datalab: expiresIn: must be at least 60\n");
    expect(requests.filter((r) => r.path.includes("/202"))).toEqual([]);
  });

  it("missing credentials are invalid_request (2), naming the flag's option and its environment variable", async () => {
    const run = await presign(["datalab", "get-file", "--file-id", "201", "--base-url", api.origin]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("error: datalab: missing credentials: pass apiKey (or DATALAB_API_KEY)\n");
  });

  it("the flag wins over the environment variable", async () => {
    const run = await presign(["datalab", "get-file", "--file-id", "201", "--base-url", api.origin, "--api-key", "dl_sk_from_the_flag_0001"], {
      DATALAB_API_KEY: API_KEY,
    });
    expect(run.code).toBe(0);
    const sent = requests.filter((r) => r.path === "/api/v1/files/201").map((r) => r.headers["x-api-key"]);
    expect(sent).toEqual(["dl_sk_from_the_flag_0001"]);
  });

  it("Ctrl-C aborts the call in flight: exit code 130", async () => {
    const started = start(["datalab", "get-file", "--file-id", "130", "--base-url", silentUrl, "--json"], { DATALAB_API_KEY: API_KEY });
    await expect.poll(() => silentPaths.includes("/api/v1/files/130"), { timeout: 10_000 }).toBe(true);
    started.child.kill("SIGINT");
    const run = await started.done;
    expect(run.code).toBe(EXIT_CODES.aborted);
    expect(jsonOf(run)).toMatchObject({ error: { kind: "aborted", provider: "datalab" } });
  });
});
