import { HttpResponse } from "msw";
import { describe, expect, it, vi } from "vitest";
import { facts, json, mockApi, type Reply, refusedBeforeSending, rejection as rejectionOf } from "../../../test-support/wire.js";
import {
  createDatadogClient,
  type DatadogClient,
  type DatadogClientOptions,
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

const API_KEY = "0123456789abcdef0123456789abcdef";
const APP_KEY = "fedcba9876543210fedcba9876543210fedcba98";
const TOKEN = "oauth-token-5f2b7c";
const KEYS = { apiKey: API_KEY, appKey: APP_KEY } as const;
const ENV_VARS = ["DD_API_KEY", "DD_APP_KEY", "DD_SITE"] as const;

const TESTS = "https://api.datadoghq.com/api/v2/synthetics/tests";
const PRESIGNED = "https://storage.example.com/f.json?X-Amz-Credential=AKIA%2F20240924&X-Amz-Signature=9f8e7d6c5b4a";
const USER_AGENT = expect.stringMatching(/^@presign\/datadog\/\d+\.\d+\.\d+/);

const noContent: Reply = () => new HttpResponse(null, { status: 204 });

// Created before server.listen(): the runtime must look its transport up per request (node:http on Node,
// globalThis.fetch elsewhere), not capture it here as openapi-fetch does with fetch.
const earlyClient = createDatadogClient({ ...KEYS, site: "datadoghq.com" });

const serve = mockApi(ENV_VARS);

const client = (options: DatadogClientOptions = {}) => createDatadogClient({ ...KEYS, ...options });

const rejection = (promise: Promise<unknown>) => rejectionOf(promise, PresignError);

/** The error synchronously thrown by a function. */
function thrown(fn: () => unknown): PresignError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(PresignError);
    return error as PresignError;
  }
  throw new Error("expected an error");
}

const headersWith = (auth: Record<string, string>) => ({
  accept: "application/json",
  "content-type": "application/json",
  "user-agent": USER_AGENT,
  ...auth,
});
const KEY_HEADERS = { "dd-api-key": API_KEY, "dd-application-key": APP_KEY };

// ---------------------------------------------------------------------------------------------
// The four operations: how each is called, what it must send and what it returns
// ---------------------------------------------------------------------------------------------

const ETAG = '"d41d8cd98f00b204e9800998ecf8427e"';
const PARTS = [
  { md5: "1B2M2Y8AsgTpgAmY7PhCfg==", partNumber: 1 },
  { md5: "XrY7u+Ae7tCTyyK7j1rNww==", partNumber: 2 },
];
const MULTIPART = {
  bucketKey: "browser-upload-file-step/abc-def-123/f.json",
  multipart_presigned_urls_params: {
    key: "org-1/f.json",
    upload_id: "up-1",
    urls: { "1": `${PRESIGNED}&partNumber=1`, "2": `${PRESIGNED}&partNumber=2` },
  },
};
const operations = [
  {
    name: "getTestFileDownloadUrl",
    suffix: "download",
    call: (c: DatadogClient, publicId = "abc-def-123") => c.getTestFileDownloadUrl({ publicId, bucketKey: "api-upload-file/abc-def-123/f.json" }),
    body: { bucketKey: "api-upload-file/abc-def-123/f.json" },
    reply: json({ url: PRESIGNED }),
    result: { url: PRESIGNED } as unknown,
  },
  {
    name: "getTestFileMultipartPresignedUrls",
    suffix: "multipart-presigned-urls",
    call: (c: DatadogClient, publicId = "abc-def-123") =>
      c.getTestFileMultipartPresignedUrls({ publicId, bucketKeyPrefix: "browser-upload-file-step", parts: PARTS }),
    body: { bucketKeyPrefix: "browser-upload-file-step", parts: PARTS },
    reply: json(MULTIPART),
    result: MULTIPART as unknown,
  },
  {
    name: "completeTestFileMultipartUpload",
    suffix: "multipart-upload-complete",
    call: (c: DatadogClient, publicId = "abc-def-123") =>
      c.completeTestFileMultipartUpload({ publicId, key: "org-1/f.json", uploadId: "up-1", parts: [{ ETag: ETAG, PartNumber: 1 }] }),
    body: { key: "org-1/f.json", uploadId: "up-1", parts: [{ ETag: ETAG, PartNumber: 1 }] },
    reply: noContent,
    result: undefined as unknown,
  },
  {
    name: "abortTestFileMultipartUpload",
    suffix: "multipart-upload-abort",
    call: (c: DatadogClient, publicId = "abc-def-123") => c.abortTestFileMultipartUpload({ publicId, key: "org-1/f.json", uploadId: "up-1" }),
    body: { key: "org-1/f.json", uploadId: "up-1" },
    reply: noContent,
    result: undefined as unknown,
  },
];

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

describe.each(operations)("$name: success", (op) => {
  it("sends the exact request with the API and application keys and returns the typed result", async () => {
    const seen = serve(op.reply);
    await expect(op.call(client())).resolves.toStrictEqual(op.result);
    expect(seen).toStrictEqual([
      { method: "POST", url: `${TESTS}/abc-def-123/files/${op.suffix}`, headers: headersWith(KEY_HEADERS), body: op.body },
    ]);
  });

  it("sends only Authorization: Bearer when given an OAuth access token", async () => {
    const seen = serve(op.reply);
    await expect(op.call(createDatadogClient({ accessToken: TOKEN }))).resolves.toStrictEqual(op.result);
    expect(seen).toStrictEqual([
      { method: "POST", url: `${TESTS}/abc-def-123/files/${op.suffix}`, headers: headersWith({ authorization: `Bearer ${TOKEN}` }), body: op.body },
    ]);
  });
});

const errorCases: { status: number; type: typeof PresignError; errors: string[]; headers?: Record<string, string>; retryAfter?: number }[] = [
  { status: 400, type: InvalidRequestError, errors: ["Bad Request", "bucketKey is not a valid key"] },
  { status: 403, type: PermissionDeniedError, errors: ["Forbidden"] },
  { status: 404, type: NotFoundError, errors: ["Not Found"] },
  {
    status: 429,
    type: RateLimitError,
    errors: ["Too many requests"],
    headers: {
      "X-RateLimit-Limit": "12",
      "X-RateLimit-Period": "60",
      "X-RateLimit-Remaining": "0",
      "X-RateLimit-Reset": "7",
      "X-RateLimit-Name": "synthetics",
    },
    // X-RateLimit-Reset: seconds until the window resets, passed on to the caller.
    retryAfter: 7,
  },
];

describe.each(operations)("$name: documented errors", (op) => {
  it.each(errorCases)("$status { errors } → $type.name", async ({ status, type, errors, headers, retryAfter }) => {
    const seen = serve(json({ errors }, status, headers));
    const error = await rejection(op.call(client({ maxRetries: 0 })));
    expect(facts(error)).toStrictEqual({ type, status, provider: "datadog", code: undefined, messages: errors, requestId: undefined, attempts: 1 });
    expect(error.retryAfter).toBe(retryAfter);
    const url = `${TESTS}/abc-def-123/files/${op.suffix}`;
    expect(error.message).toBe(`datadog ${status}: ${errors.join("; ")} (POST ${url}, 1 attempt)`);
    expect(seen).toHaveLength(1);
  });
});

describe("retries", () => {
  it("retries a 503 and returns the result of the second attempt", async () => {
    const seen = serve(json({ errors: ["Service Unavailable"] }, 503), json({ url: PRESIGNED }));
    const c = client({ retry: { baseDelay: 1, maxDelay: 1 } });
    await expect(c.getTestFileDownloadUrl({ publicId: "abc-def-123", bucketKey: "k" })).resolves.toStrictEqual({ url: PRESIGNED });
    expect(seen).toHaveLength(2);
    expect(seen[1]).toStrictEqual(seen[0]);
  });

  it.each([400, 403, 404])("does not retry a %i even with retries on", async (status) => {
    const seen = serve(json({ errors: ["no"] }, status));
    const error = await rejection(client().getTestFileDownloadUrl({ publicId: "abc-def-123", bucketKey: "k" }));
    expect(error.attempts).toBe(1);
    expect(seen).toHaveLength(1);
  });
});

describe("bad input is rejected before any request", () => {
  const id = "abc-def-123";
  const md5 = "1B2M2Y8AsgTpgAmY7PhCfg==";
  const cases: { name: string; call: (c: DatadogClient) => Promise<unknown>; message: string }[] = [
    { name: "no input", call: (c) => c.getTestFileDownloadUrl(undefined as never), message: "publicId: is required; bucketKey: is required" },
    { name: "null input", call: (c) => c.getTestFileDownloadUrl(null as never), message: "input: expected an object" },
    { name: "missing publicId", call: (c) => c.getTestFileDownloadUrl({ bucketKey: "k" } as never), message: "publicId: is required" },
    {
      name: "empty publicId",
      call: (c) => c.getTestFileDownloadUrl({ publicId: "", bucketKey: "k" }),
      message: "publicId: must be at least 1 character",
    },
    {
      name: "numeric publicId",
      call: (c) => c.getTestFileDownloadUrl({ publicId: 42 as never, bucketKey: "k" }),
      message: "publicId: expected a string, got integer",
    },
    { name: "missing bucketKey", call: (c) => c.getTestFileDownloadUrl({ publicId: id } as never), message: "bucketKey: is required" },
    {
      name: "empty bucketKey",
      call: (c) => c.getTestFileDownloadUrl({ publicId: id, bucketKey: "" }),
      message: "bucketKey: must be at least 1 character",
    },
    {
      name: "unknown field",
      call: (c) => c.getTestFileDownloadUrl({ publicId: id, bucketKey: "k", bucket_key: "k" } as never),
      message: "bucket_key: is not a known field",
    },
    {
      name: "unknown bucketKeyPrefix",
      call: (c) => c.getTestFileMultipartPresignedUrls({ publicId: id, bucketKeyPrefix: "upload" as never, parts: [{ md5, partNumber: 1 }] }),
      message: "bucketKeyPrefix: must be one of api-upload-file, browser-upload-file-step",
    },
    {
      name: "no parts",
      call: (c) => c.getTestFileMultipartPresignedUrls({ publicId: id, bucketKeyPrefix: "api-upload-file", parts: [] }),
      message: "parts: must have at least 1 item",
    },
    {
      name: "md5 too short",
      call: (c) => c.getTestFileMultipartPresignedUrls({ publicId: id, bucketKeyPrefix: "api-upload-file", parts: [{ md5: "abc", partNumber: 1 }] }),
      message: "parts[0].md5: must be at least 22 characters",
    },
    {
      name: "partNumber 0",
      call: (c) => c.getTestFileMultipartPresignedUrls({ publicId: id, bucketKeyPrefix: "api-upload-file", parts: [{ md5, partNumber: 0 }] }),
      message: "parts[0].partNumber: must be at least 1",
    },
    {
      name: "presign part in the complete casing",
      call: (c) =>
        c.getTestFileMultipartPresignedUrls({ publicId: id, bucketKeyPrefix: "api-upload-file", parts: [{ md5, PartNumber: 1 } as never] }),
      message: "parts[0].partNumber: is required; parts[0].PartNumber: is not a known field",
    },
    {
      name: "complete part in the presign casing",
      call: (c) => c.completeTestFileMultipartUpload({ publicId: id, key: "k", uploadId: "u", parts: [{ ETag: ETAG, partNumber: 1 } as never] }),
      message: "parts[0].PartNumber: is required; parts[0].partNumber: is not a known field",
    },
    {
      name: "unknown field in a complete part",
      call: (c) =>
        c.completeTestFileMultipartUpload({ publicId: id, key: "k", uploadId: "u", parts: [{ ETag: ETAG, PartNumber: 1, Size: 5 } as never] }),
      message: "parts[0].Size: is not a known field",
    },
    {
      name: "snake-case upload_id",
      call: (c) => c.abortTestFileMultipartUpload({ publicId: id, key: "k", upload_id: "u" } as never),
      message: "uploadId: is required; upload_id: is not a known field",
    },
  ];

  it.each(cases)("$name", async ({ call, message }) => {
    const seen = serve(noContent);
    const error = await rejection(call(client()));
    expect(facts(error)).toStrictEqual(refusedBeforeSending("datadog", InvalidRequestError));
    expect(error.message).toBe(`datadog: ${message}`);
    expect(seen).toHaveLength(0);
  });
});

describe("client options", () => {
  const missing = "missing credentials: pass apiKey (or DD_API_KEY) + appKey (or DD_APP_KEY), or accessToken";
  const creationCases: { name: string; options: DatadogClientOptions; env?: Record<string, string>; message: string }[] = [
    { name: "no credentials at all", options: {}, message: missing },
    { name: "an API key without an application key", options: { apiKey: API_KEY }, message: missing },
    { name: "an application key from DD_APP_KEY alone", options: {}, env: { DD_APP_KEY: APP_KEY }, message: missing },
    { name: "an empty API key", options: { apiKey: "", appKey: APP_KEY }, message: "apiKey must be a non-empty string" },
    { name: "a numeric API key", options: { apiKey: 1234 as never, appKey: APP_KEY }, message: "apiKey must be a non-empty string" },
    {
      name: "an API key with a line break",
      options: { apiKey: `${API_KEY}\r\nX-Evil: 1`, appKey: APP_KEY },
      message: "apiKey contains characters a header cannot carry (CR, LF or beyond Latin-1)",
    },
    {
      name: "an unknown site",
      options: { ...KEYS, site: "datadoghq.org" as never },
      message:
        'unknown site "datadoghq.org": expected one of datadoghq.com, us3.datadoghq.com, us5.datadoghq.com, ap1.datadoghq.com, ap2.datadoghq.com, uk1.datadoghq.com, datadoghq.eu, ddog-gov.com, us2.ddog-gov.com',
    },
    {
      name: "an unknown site in DD_SITE",
      options: { ...KEYS },
      env: { DD_SITE: "app.datadoghq.com" },
      message:
        'unknown site "app.datadoghq.com": expected one of datadoghq.com, us3.datadoghq.com, us5.datadoghq.com, ap1.datadoghq.com, ap2.datadoghq.com, uk1.datadoghq.com, datadoghq.eu, ddog-gov.com, us2.ddog-gov.com',
    },
    {
      name: "a plain-http baseUrl",
      options: { ...KEYS, baseUrl: "http://proxy.example.com" },
      message: "baseUrl must use https (plain http is allowed for loopback hosts, or with allowInsecureHttp)",
    },
  ];

  it.each(creationCases)("rejects $name at creation, sending nothing", ({ options, env = {}, message }) => {
    const seen = serve(noContent);
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    const error = thrown(() => createDatadogClient(options));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(facts(error)).toMatchObject({ status: undefined, provider: "datadog", attempts: 0 });
    expect(error.message).toBe(`datadog: ${message}`);
    expect(error.message).not.toContain(API_KEY);
    expect(seen).toHaveLength(0);
  });

  const download = (c: DatadogClient) => c.getTestFileDownloadUrl({ publicId: "abc-def-123", bucketKey: "k" });

  it.each([
    ["datadoghq.eu", "https://api.datadoghq.eu"],
    ["us3.datadoghq.com", "https://api.us3.datadoghq.com"],
    ["ddog-gov.com", "https://api.ddog-gov.com"],
  ] as const)("site %s sends the request to %s", async (site, origin) => {
    const seen = serve(json({ url: PRESIGNED }));
    const c = client({ site });
    expect(c.baseUrl).toBe(origin);
    await download(c);
    expect(seen.map((s) => s.url)).toStrictEqual([`${origin}/api/v2/synthetics/tests/abc-def-123/files/download`]);
  });

  it("reads DD_API_KEY, DD_APP_KEY and DD_SITE from the environment", async () => {
    vi.stubEnv("DD_API_KEY", "env-api-key");
    vi.stubEnv("DD_APP_KEY", "env-app-key");
    vi.stubEnv("DD_SITE", "datadoghq.eu");
    const seen = serve(json({ url: PRESIGNED }));
    await download(createDatadogClient());
    expect(seen).toStrictEqual([
      {
        method: "POST",
        url: "https://api.datadoghq.eu/api/v2/synthetics/tests/abc-def-123/files/download",
        headers: headersWith({ "dd-api-key": "env-api-key", "dd-application-key": "env-app-key" }),
        body: { bucketKey: "k" },
      },
    ]);
  });

  it("prefers the options over DD_API_KEY, DD_APP_KEY and DD_SITE", async () => {
    vi.stubEnv("DD_API_KEY", "env-api-key");
    vi.stubEnv("DD_APP_KEY", "env-app-key");
    vi.stubEnv("DD_SITE", "us5.datadoghq.com");
    const seen = serve(json({ url: PRESIGNED }));
    await download(client({ site: "ap1.datadoghq.com" }));
    expect(seen[0]!.url).toBe("https://api.ap1.datadoghq.com/api/v2/synthetics/tests/abc-def-123/files/download");
    expect(seen[0]!.headers).toStrictEqual(headersWith(KEY_HEADERS));
  });

  it("intercepts a client made before server.listen(): the transport is looked up per request", async () => {
    const seen = serve(json({ url: PRESIGNED }));
    await expect(download(earlyClient)).resolves.toStrictEqual({ url: PRESIGNED });
    expect(seen).toHaveLength(1);
  });
});

describe.each(operations)("$name: path parameter", (op) => {
  it.each([
    ["../x", "..%2Fx"],
    ["a/b", "a%2Fb"],
    ["a?b#c", "a%3Fb%23c"],
    ["%2e%2e", "%252e%252e"],
    ["x y+z", "x%20y%2Bz"],
  ])("keeps %j inside its one segment", async (publicId, segment) => {
    const seen = serve(op.reply);
    await op.call(client(), publicId);
    expect(seen.map((s) => s.url)).toStrictEqual([`${TESTS}/${segment}/files/${op.suffix}`]);
  });

  it.each([".", ".."])("rejects the dot segment %j", async (publicId) => {
    const seen = serve(op.reply);
    const error = await rejection(op.call(client(), publicId));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.message).toBe(`datadog: publicId: cannot be "." or ".."`);
    expect(seen).toHaveLength(0);
  });
});

describe("credentials never leak", () => {
  it("returns presigned URLs exactly as sent, signature included", async () => {
    serve(json({ url: PRESIGNED }));
    const result = await client().getTestFileDownloadUrl({ publicId: "abc-def-123", bucketKey: "k" });
    expect(result.url).toBe(PRESIGNED);
  });

  it.each([
    ["API and application keys", KEYS, [API_KEY, APP_KEY]],
    ["an access token", { accessToken: TOKEN }, [TOKEN]],
  ] as const)("keeps %s out of an error that echoes them", async (_, options, secrets) => {
    serve(json({ errors: [`key ${secrets.join(" / ")} is not allowed here`] }, 403));
    const error = await rejection(createDatadogClient({ ...options, maxRetries: 0 }).getTestFileDownloadUrl({ publicId: "abc", bucketKey: "k" }));
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error.messages).toStrictEqual([`key ${secrets.map(() => "[REDACTED]").join(" / ")} is not allowed here`]);
    for (const text of [String(error), JSON.stringify(error), error.message, error.stack ?? ""]) {
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });

  it("redacts a signature the provider echoes in an error", async () => {
    serve(json({ errors: [`expired: ${PRESIGNED}`] }, 500));
    const error = await rejection(client({ maxRetries: 0 }).getTestFileDownloadUrl({ publicId: "abc", bucketKey: "k" }));
    expect(error).toBeInstanceOf(ServerError);
    expect(error.messages).toStrictEqual(["expired: https://storage.example.com/f.json?X-Amz-Credential=[REDACTED]&X-Amz-Signature=[REDACTED]"]);
  });
});
