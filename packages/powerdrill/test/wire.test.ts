import type { JsonBodyType } from "msw";
import { describe, expect, it, vi } from "vitest";
import { facts, mockApi, type Reply, refusedBeforeSending, rejection as rejectionOf, json as reply } from "../../../test-support/wire.js";
import {
  AuthenticationError,
  createPowerdrillClient,
  InvalidRequestError,
  NotFoundError,
  PermissionDeniedError,
  type PowerdrillClient,
  type PowerdrillClientOptions,
  type PresignDataSourceInput,
  PresignError,
  RateLimitError,
  ServerError,
} from "../src/index.js";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const API_KEY = "pd-key-3c9a51e07b2d4f68";
const TRACE = "pd-trace-7f3e2a";
const DATASETS = "https://ai.data.cloud/api/v2/team/datasets";
const PRESIGNED =
  "https://example-bucket.s3.amazonaws.com/datasource.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20240924%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20240924T143419Z&X-Amz-Expires=599&X-Amz-SignedHeaders=host&X-Amz-Signature=3f1e0c9b8a7d";
const SUCCESS = { code: 0, data: { presigned_url: PRESIGNED, expires_at: "2024-09-24T14:44:18Z" } };
const USER_AGENT = expect.stringMatching(/^@presign\/powerdrill\/\d+\.\d+\.\d+/);
const HEADERS = { accept: "application/json", "content-type": "application/json", "user-agent": USER_AGENT, "x-pd-api-key": API_KEY };

/** Powerdrill sends x-pd-trace-id with its responses. */
const json = (body: JsonBodyType, status = 200): Reply => reply(body, status, { "x-pd-trace-id": TRACE });

// Created before server.listen(): the runtime must look its transport up per request (node:http on Node,
// globalThis.fetch elsewhere), not capture it here as openapi-fetch does with fetch.
const earlyClient = createPowerdrillClient({ apiKey: API_KEY });

const serve = mockApi(["POWERDRILL_API_KEY"]);

const client = (options: PowerdrillClientOptions = {}) => createPowerdrillClient({ apiKey: API_KEY, ...options });
const presign = (c: PowerdrillClient, input: Partial<PresignDataSourceInput> = {}) =>
  c.presignDataSource({ datasetId: "ds-1", datasourceId: "src-1", userId: "tmm-user-0001", ...input });
const url = (datasetId = "ds-1", datasourceId = "src-1") => `${DATASETS}/${datasetId}/datasources/${datasourceId}/presign`;

const rejection = (promise: Promise<unknown>) => rejectionOf(promise, PresignError);

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

describe("presignDataSource: success", () => {
  it("sends the exact request, snake_case body and trace header included, and returns the typed result", async () => {
    const seen = serve(json(SUCCESS));
    const result = await presign(client(), { expiresIn: 900, externalTraceId: "my-trace-42" });
    expect(result).toStrictEqual(SUCCESS);
    expect(seen).toStrictEqual([
      {
        method: "POST",
        url: url(),
        headers: { ...HEADERS, "x-pd-external-trace-id": "my-trace-42" },
        body: { user_id: "tmm-user-0001", expires_in: 900 },
      },
    ]);
  });

  it("sends only user_id when the optional inputs are left out", async () => {
    const seen = serve(json(SUCCESS));
    await expect(presign(client())).resolves.toStrictEqual(SUCCESS);
    expect(seen).toStrictEqual([{ method: "POST", url: url(), headers: HEADERS, body: { user_id: "tmm-user-0001" } }]);
  });

  it.each([
    ["expiresIn 60, the minimum", { expiresIn: 60 }],
    ["a 128-character externalTraceId", { externalTraceId: "t".repeat(128) }],
  ])("accepts %s", async (_, input) => {
    const seen = serve(json(SUCCESS));
    await expect(presign(client(), input)).resolves.toStrictEqual(SUCCESS);
    expect(seen).toHaveLength(1);
  });

  it("reads the key from POWERDRILL_API_KEY when none is passed", async () => {
    vi.stubEnv("POWERDRILL_API_KEY", "pd-env-key");
    const seen = serve(json(SUCCESS));
    await presign(createPowerdrillClient());
    expect(seen[0]!.headers).toStrictEqual({ ...HEADERS, "x-pd-api-key": "pd-env-key" });
  });

  it("intercepts a client made before server.listen(): the transport is looked up per request", async () => {
    const seen = serve(json(SUCCESS));
    await expect(presign(earlyClient)).resolves.toStrictEqual(SUCCESS);
    expect(seen).toHaveLength(1);
  });
});

describe("presignDataSource: documented errors", () => {
  const cases: { name: string; status: number; code: number; msg: string; type: typeof PresignError }[] = [
    { name: "400 code 300001", status: 400, code: 300001, msg: "invalid parameters", type: InvalidRequestError },
    { name: "403 code 1002 (expired)", status: 403, code: 1002, msg: "credentials expired", type: AuthenticationError },
    { name: "403 code 1003 (insufficient)", status: 403, code: 1003, msg: "insufficient credentials", type: PermissionDeniedError },
    { name: "403 code 1004 (bad credentials)", status: 403, code: 1004, msg: "bad credentials", type: AuthenticationError },
    { name: "429 code 201", status: 429, code: 201, msg: "rate limit exceeded", type: RateLimitError },
    { name: "500 code 9999", status: 500, code: 9999, msg: "internal error", type: ServerError },
    { name: "HTTP 200 code 300008", status: 200, code: 300008, msg: "error generating the presigned URL", type: ServerError },
    { name: "HTTP 200 code 300002", status: 200, code: 300002, msg: "no permissions", type: PermissionDeniedError },
    { name: "HTTP 200 code 300003", status: 200, code: 300003, msg: "data source not found", type: NotFoundError },
  ];

  it.each(cases)("$name → $type.name", async ({ status, code, msg, type }) => {
    const seen = serve(json({ code, msg }, status));
    const error = await rejection(presign(client({ maxRetries: 0 })));
    expect(facts(error)).toStrictEqual({ type, status, provider: "powerdrill", code, messages: [msg], requestId: TRACE, attempts: 1 });
    expect(error.message).toBe(`powerdrill ${status}: ${msg} (POST ${url()}, 1 attempt)`);
    expect(seen).toHaveLength(1);
  });

  it("treats any non-zero code in an HTTP 200 as an error, even an undocumented one", async () => {
    serve(json({ code: 777, msg: "something else" }));
    const error = await rejection(presign(client()));
    expect(facts(error)).toStrictEqual({
      type: ServerError,
      status: 200,
      provider: "powerdrill",
      code: 777,
      messages: ["something else"],
      requestId: TRACE,
      attempts: 1,
    });
  });
});

describe("retries", () => {
  it("retries a 500 and returns the result of the second attempt", async () => {
    const seen = serve(json({ code: 9999, msg: "internal error" }, 500), json(SUCCESS));
    const c = client({ retry: { baseDelay: 1, maxDelay: 1 } });
    await expect(presign(c)).resolves.toStrictEqual(SUCCESS);
    expect(seen).toHaveLength(2);
    expect(seen[1]).toStrictEqual(seen[0]);
  });

  it.each([
    [400, 300001],
    [403, 1004],
    [200, 300008],
    [200, 300003],
  ])("does not retry HTTP %i with code %i even with retries on", async (status, code) => {
    const seen = serve(json({ code, msg: "no" }, status));
    const error = await rejection(presign(client()));
    expect(error.attempts).toBe(1);
    expect(seen).toHaveLength(1);
  });
});

describe("bad input is rejected before any request", () => {
  const cases: { name: string; input: unknown; message: string }[] = [
    { name: "no input", input: undefined, message: "datasetId: is required; datasourceId: is required; userId: is required" },
    { name: "null input", input: null, message: "input: expected an object" },
    { name: "a missing datasourceId", input: { datasetId: "ds-1", userId: "u" }, message: "datasourceId: is required" },
    { name: "an empty datasetId", input: { datasetId: "", datasourceId: "s", userId: "u" }, message: "datasetId: must be at least 1 character" },
    {
      name: "a numeric datasourceId",
      input: { datasetId: "d", datasourceId: 7, userId: "u" },
      message: "datasourceId: expected a string, got integer",
    },
    { name: "a missing userId", input: { datasetId: "d", datasourceId: "s" }, message: "userId: is required" },
    { name: "an empty userId", input: { datasetId: "d", datasourceId: "s", userId: "" }, message: "userId: must be at least 1 character" },
    { name: "expiresIn 59", input: { datasetId: "d", datasourceId: "s", userId: "u", expiresIn: 59 }, message: "expiresIn: must be at least 60" },
    {
      name: "a fractional expiresIn",
      input: { datasetId: "d", datasourceId: "s", userId: "u", expiresIn: 90.5 },
      message: "expiresIn: expected an integer, got number",
    },
    {
      name: "a 129-character externalTraceId",
      input: { datasetId: "d", datasourceId: "s", userId: "u", externalTraceId: "t".repeat(129) },
      message: "externalTraceId: must be at most 128 characters",
    },
    {
      name: "an externalTraceId with a line break",
      input: { datasetId: "d", datasourceId: "s", userId: "u", externalTraceId: "a\r\nx-pd-api-key: stolen" },
      message: "externalTraceId: contains characters a header cannot carry",
    },
    {
      name: "the wire name user_id",
      input: { datasetId: "d", datasourceId: "s", userId: "u", user_id: "u" },
      message: "user_id: is not a known field",
    },
    {
      name: "an unknown field",
      input: { datasetId: "d", datasourceId: "s", userId: "u", page_size: 10 },
      message: "page_size: is not a known field",
    },
  ];

  it.each(cases)("$name", async ({ input, message }) => {
    const seen = serve(json(SUCCESS));
    const error = await rejection(client().presignDataSource(input as never));
    expect(facts(error)).toStrictEqual(refusedBeforeSending("powerdrill", InvalidRequestError));
    expect(error.message).toBe(`powerdrill: ${message}`);
    expect(seen).toHaveLength(0);
  });

  it.each<[string, PowerdrillClientOptions, string]>([
    ["no API key", {}, "missing credentials: pass apiKey (or POWERDRILL_API_KEY)"],
    ["an empty API key", { apiKey: "" }, "apiKey must be a non-empty string"],
    ["a numeric API key", { apiKey: 42 as never }, "apiKey must be a non-empty string"],
    ["an API key with a line break", { apiKey: `${API_KEY}\n` }, "apiKey contains characters a header cannot carry (CR, LF or beyond Latin-1)"],
  ])("rejects %s when the client is created", (_, options, message) => {
    const seen = serve(json(SUCCESS));
    expect(() => createPowerdrillClient(options)).toThrow(InvalidRequestError);
    expect(() => createPowerdrillClient(options)).toThrow(`powerdrill: ${message}`);
    expect(seen).toHaveLength(0);
  });
});

describe("path parameters stay inside their segment", () => {
  const ids: [string, string][] = [
    ["../x", "..%2Fx"],
    ["a/b", "a%2Fb"],
    ["a?b#c", "a%3Fb%23c"],
    ["%2e%2e", "%252e%252e"],
  ];

  it.each(ids)("datasetId %j", async (datasetId, segment) => {
    const seen = serve(json(SUCCESS));
    await presign(client(), { datasetId });
    expect(seen.map((s) => s.url)).toStrictEqual([url(segment, "src-1")]);
  });

  it.each(ids)("datasourceId %j", async (datasourceId, segment) => {
    const seen = serve(json(SUCCESS));
    await presign(client(), { datasourceId });
    expect(seen.map((s) => s.url)).toStrictEqual([url("ds-1", segment)]);
  });

  it.each([
    ["datasetId", "."],
    ["datasetId", ".."],
    ["datasourceId", "."],
    ["datasourceId", ".."],
  ])("rejects %s %j", async (key, value) => {
    const seen = serve(json(SUCCESS));
    const error = await rejection(presign(client(), { [key]: value }));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.message).toBe(`powerdrill: ${key}: cannot be "." or ".."`);
    expect(seen).toHaveLength(0);
  });
});

describe("credentials never leak", () => {
  it("returns the presigned URL exactly as sent, SigV4 signature included", async () => {
    serve(json(SUCCESS));
    const result = await presign(client());
    expect(result.data.presigned_url).toBe(PRESIGNED);
  });

  it("keeps the API key out of an error that echoes it", async () => {
    serve(json({ code: 1004, msg: `bad credentials: ${API_KEY}` }, 403));
    const error = await rejection(presign(client({ maxRetries: 0 })));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.messages).toStrictEqual(["bad credentials: [REDACTED]"]);
    for (const text of [String(error), JSON.stringify(error), error.message, error.stack ?? ""]) expect(text).not.toContain(API_KEY);
  });
});
