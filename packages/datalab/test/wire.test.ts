import type { JsonBodyType } from "msw";
import { describe, expect, it, vi } from "vitest";
import { facts, json, mockApi, refusedBeforeSending, rejection as rejectionOf } from "../../../test-support/wire.js";
import {
  AuthenticationError,
  createDatalabClient,
  type DatalabClientOptions,
  InvalidRequestError,
  NotFoundError,
  PermissionDeniedError,
  PresignError,
  RateLimitError,
  ServerError,
} from "../src/index.js";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const API_KEY = "dl_sk_live_6b1f0e9a2c4d8e7f";
const FILES = "https://www.datalab.to/api/v1/files";
const PRESIGNED = "https://files.datalab.example/r2/report.pdf?X-Amz-Credential=AKIA%2F20240924&X-Amz-Signature=0a1b2c3d4e";
const RESULT = { download_url: PRESIGNED, expires_in: 3600, file_id: 12345, original_filename: "report.pdf" };
const USER_AGENT = expect.stringMatching(/^@presign\/datalab\/\d+\.\d+\.\d+/);
const HEADERS = { accept: "application/json", "user-agent": USER_AGENT, "x-api-key": API_KEY };

// Created before server.listen(): the runtime must look its transport up per request (node:http on Node,
// globalThis.fetch elsewhere), not capture it here as openapi-fetch does with fetch.
const earlyClient = createDatalabClient({ apiKey: API_KEY });

const serve = mockApi(["DATALAB_API_KEY"]);

const client = (options: DatalabClientOptions = {}) => createDatalabClient({ apiKey: API_KEY, ...options });

const rejection = (promise: Promise<unknown>) => rejectionOf(promise, PresignError);

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

describe("getFileDownloadUrl: success", () => {
  it("sends GET with X-API-Key and expires_in, and returns the typed result", async () => {
    const seen = serve(json(RESULT));
    await expect(client().getFileDownloadUrl({ fileId: 12345, expiresIn: 3600 })).resolves.toStrictEqual(RESULT);
    expect(seen).toStrictEqual([{ method: "GET", url: `${FILES}/12345/download?expires_in=3600`, headers: HEADERS, body: undefined }]);
  });

  it("leaves expires_in out when not given (Datalab's default applies)", async () => {
    const seen = serve(json(RESULT));
    await expect(client().getFileDownloadUrl({ fileId: 7 })).resolves.toStrictEqual(RESULT);
    expect(seen).toStrictEqual([{ method: "GET", url: `${FILES}/7/download`, headers: HEADERS, body: undefined }]);
  });

  it.each([60, 86400])("accepts expiresIn %i, the edge of the allowed range", async (expiresIn) => {
    const seen = serve(json({ ...RESULT, expires_in: expiresIn }));
    await expect(client().getFileDownloadUrl({ fileId: 1, expiresIn })).resolves.toStrictEqual({ ...RESULT, expires_in: expiresIn });
    expect(seen.map((s) => s.url)).toStrictEqual([`${FILES}/1/download?expires_in=${expiresIn}`]);
  });

  it("reads the key from DATALAB_API_KEY when none is passed", async () => {
    vi.stubEnv("DATALAB_API_KEY", "dl_env_key");
    const seen = serve(json(RESULT));
    await createDatalabClient().getFileDownloadUrl({ fileId: 1 });
    expect(seen[0]!.headers).toStrictEqual({ ...HEADERS, "x-api-key": "dl_env_key" });
  });

  it("prefers the apiKey option over DATALAB_API_KEY", async () => {
    vi.stubEnv("DATALAB_API_KEY", "dl_env_key");
    const seen = serve(json(RESULT));
    await client().getFileDownloadUrl({ fileId: 1 });
    expect(seen[0]!.headers).toStrictEqual(HEADERS);
  });

  it("intercepts a client made before server.listen(): the transport is looked up per request", async () => {
    const seen = serve(json(RESULT));
    await expect(earlyClient.getFileDownloadUrl({ fileId: 12345 })).resolves.toStrictEqual(RESULT);
    expect(seen).toHaveLength(1);
  });
});

describe("getFileDownloadUrl: documented errors", () => {
  const validation = {
    detail: [
      { loc: ["path", "file_id"], msg: "Input should be a valid integer, unable to parse string as an integer", type: "int_parsing", input: "abc" },
      { loc: ["query", "expires_in", 0], msg: "Input should be less than or equal to 86400", type: "less_than_equal" },
    ],
  };
  const cases: { name: string; status: number; body: JsonBodyType; type: typeof PresignError; code?: string; messages: string[] }[] = [
    { name: "400", status: 400, body: { detail: "Bad Request" }, type: InvalidRequestError, messages: ["Bad Request"] },
    {
      name: "401",
      status: 401,
      body: { detail: "Invalid API key provided. Set the X-API-Key header to your API key." },
      type: AuthenticationError,
      messages: ["Invalid API key provided. Set the X-API-Key header to your API key."],
    },
    { name: "403", status: 403, body: { detail: "Forbidden" }, type: PermissionDeniedError, messages: ["Forbidden"] },
    { name: "404", status: 404, body: { detail: "File not found" }, type: NotFoundError, messages: ["File not found"] },
    { name: "413", status: 413, body: { detail: "Content Too Large" }, type: InvalidRequestError, messages: ["Content Too Large"] },
    { name: "422 with a string detail", status: 422, body: { detail: "Unprocessable" }, type: InvalidRequestError, messages: ["Unprocessable"] },
    {
      name: "422 with validation items",
      status: 422,
      body: validation,
      type: InvalidRequestError,
      code: "int_parsing",
      messages: [
        "path.file_id: Input should be a valid integer, unable to parse string as an integer",
        "query.expires_in.0: Input should be less than or equal to 86400",
      ],
    },
    { name: "429", status: 429, body: { detail: "Too Many Requests" }, type: RateLimitError, messages: ["Too Many Requests"] },
    { name: "500", status: 500, body: { detail: "Internal Server Error" }, type: ServerError, messages: ["Internal Server Error"] },
    { name: "529", status: 529, body: { detail: "Service overloaded" }, type: ServerError, messages: ["Service overloaded"] },
  ];

  it.each(cases)("$name → $type.name", async ({ status, body, type, code, messages }) => {
    const seen = serve(json(body, status));
    const error = await rejection(client({ maxRetries: 0 }).getFileDownloadUrl({ fileId: 12345, expiresIn: 600 }));
    expect(facts(error)).toStrictEqual({ type, status, provider: "datalab", code, messages, requestId: undefined, attempts: 1 });
    expect(error.message).toBe(`datalab ${status}: ${messages.join("; ")} (GET ${FILES}/12345/download?expires_in=600, 1 attempt)`);
    expect(seen).toHaveLength(1);
  });
});

describe("retries", () => {
  it("retries a 529 and returns the result of the second attempt", async () => {
    const seen = serve(json({ detail: "Service overloaded" }, 529), json(RESULT));
    const c = client({ retry: { baseDelay: 1, maxDelay: 1 } });
    await expect(c.getFileDownloadUrl({ fileId: 12345 })).resolves.toStrictEqual(RESULT);
    expect(seen).toHaveLength(2);
    expect(seen[1]).toStrictEqual(seen[0]);
  });

  it.each([400, 401, 403, 404, 413, 422])("does not retry a %i even with retries on", async (status) => {
    const seen = serve(json({ detail: "no" }, status));
    const error = await rejection(client().getFileDownloadUrl({ fileId: 1 }));
    expect(error.attempts).toBe(1);
    expect(seen).toHaveLength(1);
  });
});

describe("bad input is rejected before any request", () => {
  const cases: { name: string; input: unknown; message: string }[] = [
    { name: "no input", input: undefined, message: "fileId: is required" },
    { name: "null input", input: null, message: "input: expected an object" },
    { name: "a string fileId", input: { fileId: "12345" }, message: "fileId: expected an integer, got string" },
    { name: "a fractional fileId", input: { fileId: 1.5 }, message: "fileId: expected an integer, got number" },
    { name: "a NaN fileId", input: { fileId: Number.NaN }, message: "fileId: expected an integer, got number" },
    { name: 'fileId "../x"', input: { fileId: "../x" }, message: "fileId: expected an integer, got string" },
    { name: 'fileId "a/b"', input: { fileId: "a/b" }, message: "fileId: expected an integer, got string" },
    { name: 'fileId ".."', input: { fileId: ".." }, message: "fileId: expected an integer, got string" },
    { name: "expiresIn 59", input: { fileId: 1, expiresIn: 59 }, message: "expiresIn: must be at least 60" },
    { name: "expiresIn 86401", input: { fileId: 1, expiresIn: 86401 }, message: "expiresIn: must be at most 86400" },
    { name: "a string expiresIn", input: { fileId: 1, expiresIn: "3600" }, message: "expiresIn: expected an integer, got string" },
    { name: "the wire name file_id", input: { file_id: 1 }, message: "fileId: is required; file_id: is not a known field" },
    { name: "an unknown field", input: { fileId: 1, expires_in: 600 }, message: "expires_in: is not a known field" },
  ];

  it.each(cases)("$name", async ({ input, message }) => {
    const seen = serve(json(RESULT));
    const error = await rejection(client().getFileDownloadUrl(input as never));
    expect(facts(error)).toStrictEqual(refusedBeforeSending("datalab", InvalidRequestError));
    expect(error.message).toBe(`datalab: ${message}`);
    expect(seen).toHaveLength(0);
  });

  it.each<[string, DatalabClientOptions, string]>([
    ["no API key", {}, "missing credentials: pass apiKey (or DATALAB_API_KEY)"],
    ["an empty API key", { apiKey: "" }, "apiKey must be a non-empty string"],
    ["a numeric API key", { apiKey: 42 as never }, "apiKey must be a non-empty string"],
    [
      "an API key with a line break",
      { apiKey: `${API_KEY}\nX-Evil: 1` },
      "apiKey contains characters a header cannot carry (CR, LF or beyond Latin-1)",
    ],
    [
      "a plain-http baseUrl",
      { apiKey: API_KEY, baseUrl: "http://datalab.example" },
      "baseUrl must use https (plain http is allowed for loopback hosts, or with allowInsecureHttp)",
    ],
  ])("rejects %s when the client is created", (_, options, message) => {
    const seen = serve(json(RESULT));
    expect(() => createDatalabClient(options)).toThrow(InvalidRequestError);
    expect(() => createDatalabClient(options)).toThrow(`datalab: ${message}`);
    expect(seen).toHaveLength(0);
  });
});

describe("credentials never leak", () => {
  it("returns the presigned URL exactly as sent, signature included", async () => {
    serve(json(RESULT));
    const result = await client().getFileDownloadUrl({ fileId: 12345 });
    expect(result.download_url).toBe(PRESIGNED);
  });

  it("keeps the API key out of an error that echoes it", async () => {
    serve(json({ detail: `Invalid API key provided: ${API_KEY}` }, 401));
    const error = await rejection(client({ maxRetries: 0 }).getFileDownloadUrl({ fileId: 1 }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.messages).toStrictEqual(["Invalid API key provided: [REDACTED]"]);
    for (const text of [String(error), JSON.stringify(error), error.message, error.stack ?? ""]) expect(text).not.toContain(API_KEY);
  });
});
