import { HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { facts, json, mockApi, type Reply, refusedBeforeSending, rejection as rejectionOf } from "../../../test-support/wire.js";
import {
  AuthenticationError,
  createSpaazaClient,
  InvalidRequestError,
  NotFoundError,
  PermissionDeniedError,
  PresignError,
  ServerError,
  type SpaazaClient,
  type SpaazaClientOptions,
} from "../src/index.js";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const HOST = "services-test01.spaaza.com";
const TOKEN = "3f2c7a9e-1b4d-4c8e-9f6a-2d5b8c0e1a37:tok_secret_Vq8sZ1xY4w";
const SESSION = { sessionUserId: "u-88231", sessionKey: "sess_k_0d9c7b5a3e1f", sessionChainId: "chain-1744" } as const;
const TASKS = `https://${HOST}/tasks`;
const PRESIGNED = "https://storage.example.com/Transaction_Export-12345.csv?X-Amz-Credential=AKIA%2F20240924&X-Amz-Signature=7e6d5c4b";
const USER_AGENT = expect.stringMatching(/^@presign\/spaaza\/\d+\.\d+\.\d+/);
const BASE_HEADERS = { accept: "application/json", "user-agent": USER_AGENT };
const BEARER_HEADERS = { ...BASE_HEADERS, authorization: `Bearer ${TOKEN}` };

const text =
  (body: string, status: number): Reply =>
  () =>
    HttpResponse.text(body, { status });

// Created before server.listen(): the runtime must look its transport up per request (node:http on Node,
// globalThis.fetch elsewhere), not capture it here as openapi-fetch does with fetch.
const earlyClient = createSpaazaClient({ host: HOST, accessToken: TOKEN });

const serve = mockApi([]);

const client = (options: SpaazaClientOptions = {}) => createSpaazaClient({ host: HOST, accessToken: TOKEN, ...options });
const download = (c: SpaazaClient) => c.getTaskDownloadUrl({ id: 12345 });

const rejection = (promise: Promise<unknown>) => rejectionOf(promise, PresignError);

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

describe("getTaskDownloadUrl: success", () => {
  it("sends GET with the privileged bearer token id:secret and returns the typed result", async () => {
    const seen = serve(json({ url: PRESIGNED }));
    await expect(download(client())).resolves.toStrictEqual({ url: PRESIGNED });
    expect(seen).toStrictEqual([{ method: "GET", url: `${TASKS}/12345/download_url`, headers: BEARER_HEADERS, body: undefined }]);
  });

  it("sends the three admin session headers instead of a bearer token", async () => {
    const seen = serve(json({ url: PRESIGNED }));
    await expect(download(createSpaazaClient({ host: HOST, ...SESSION }))).resolves.toStrictEqual({ url: PRESIGNED });
    expect(seen).toStrictEqual([
      {
        method: "GET",
        url: `${TASKS}/12345/download_url`,
        headers: {
          ...BASE_HEADERS,
          "x-spaaza-session-user-id": SESSION.sessionUserId,
          "x-spaaza-session-key": SESSION.sessionKey,
          "x-spaaza-session-chain-id": SESSION.sessionChainId,
        },
        body: undefined,
      },
    ]);
  });

  it("sends X-Spaaza-API-Version when given", async () => {
    const seen = serve(json({ url: PRESIGNED }));
    await client().getTaskDownloadUrl({ id: 12345, apiVersion: "1.4.0" });
    expect(seen[0]!.headers).toStrictEqual({ ...BEARER_HEADERS, "x-spaaza-api-version": "1.4.0" });
  });

  it("sends the request under a baseUrl's path instead of a host", async () => {
    const seen = serve(json({ url: PRESIGNED }));
    const c = createSpaazaClient({ baseUrl: "https://spaaza.example.com/services/", accessToken: TOKEN });
    await download(c);
    expect(seen.map((s) => s.url)).toStrictEqual(["https://spaaza.example.com/services/tasks/12345/download_url"]);
  });

  it("intercepts a client made before server.listen(): the transport is looked up per request", async () => {
    const seen = serve(json({ url: PRESIGNED }));
    await expect(download(earlyClient)).resolves.toStrictEqual({ url: PRESIGNED });
    expect(seen).toHaveLength(1);
  });
});

describe("getTaskDownloadUrl: errors of undocumented shape", () => {
  const mainApiError = (code: number, name: string, description: string) => ({
    result: { code: 2, status: "error" },
    error: { code, name, description },
  });
  const cases: { name: string; reply: Reply; status: number; type: typeof PresignError; code?: number; message: string }[] = [
    {
      name: "400 main-API JSON error",
      reply: json(mainApiError(300, "invalid_task_type", "invalid task type: only export tasks actions are allowed"), 400),
      status: 400,
      type: InvalidRequestError,
      code: 300,
      message: "invalid task type: only export tasks actions are allowed",
    },
    {
      name: "400 JSON string",
      reply: json("task status is not DONE", 400),
      status: 400,
      type: InvalidRequestError,
      message: "task status is not DONE",
    },
    {
      name: "400 text/plain",
      reply: text("the task completed successfully, but contains an invalid result", 400),
      status: 400,
      type: InvalidRequestError,
      message: "the task completed successfully, but contains an invalid result",
    },
    {
      name: "401 main-API JSON error",
      reply: json(mainApiError(1, "authentication_failed", "no valid authentication"), 401),
      status: 401,
      type: AuthenticationError,
      code: 1,
      message: "no valid authentication",
    },
    {
      name: "403 text/plain",
      reply: text("insufficient permissions for this chain", 403),
      status: 403,
      type: PermissionDeniedError,
      message: "insufficient permissions for this chain",
    },
    {
      name: "404 JSON string",
      reply: json("task not found", 404),
      status: 404,
      type: NotFoundError,
      message: "task not found",
    },
    {
      name: "404 text/plain",
      reply: text("task not found", 404),
      status: 404,
      type: NotFoundError,
      message: "task not found",
    },
    {
      name: "500 JSON object with a message",
      reply: json({ message: "internal error" }, 500),
      status: 500,
      type: ServerError,
      message: "internal error",
    },
  ];

  it.each(cases)("$name → $type.name", async ({ reply, status, type, code, message }) => {
    const seen = serve(reply);
    const error = await rejection(download(client({ maxRetries: 0 })));
    expect(facts(error)).toStrictEqual({ type, status, provider: "spaaza", code, messages: [message], requestId: undefined, attempts: 1 });
    expect(error.message).toBe(`spaaza ${status}: ${message} (GET ${TASKS}/12345/download_url, 1 attempt)`);
    expect(seen).toHaveLength(1);
  });
});

describe("retries", () => {
  it("retries a 503 and returns the result of the second attempt", async () => {
    const seen = serve(text("service unavailable", 503), json({ url: PRESIGNED }));
    const c = client({ retry: { baseDelay: 1, maxDelay: 1 } });
    await expect(download(c)).resolves.toStrictEqual({ url: PRESIGNED });
    expect(seen).toHaveLength(2);
    expect(seen[1]).toStrictEqual(seen[0]);
  });

  it.each([400, 401, 403, 404])("does not retry a %i even with retries on", async (status) => {
    const seen = serve(text("no", status));
    const error = await rejection(download(client()));
    expect(error.attempts).toBe(1);
    expect(seen).toHaveLength(1);
  });
});

describe("bad input is rejected before any request", () => {
  const cases: { name: string; input: unknown; message: string }[] = [
    { name: "no input", input: undefined, message: "id: is required" },
    { name: "null input", input: null, message: "input: expected an object" },
    { name: "a string id", input: { id: "12345" }, message: "id: expected an integer, got string" },
    { name: 'id "../x"', input: { id: "../x" }, message: "id: expected an integer, got string" },
    { name: 'id "a/b"', input: { id: "a/b" }, message: "id: expected an integer, got string" },
    { name: 'id ".."', input: { id: ".." }, message: "id: expected an integer, got string" },
    { name: "id 0", input: { id: 0 }, message: "id: must be at least 1" },
    { name: "a fractional id", input: { id: 1.5 }, message: "id: expected an integer, got number" },
    { name: "apiVersion without a patch number", input: { id: 1, apiVersion: "1.4" }, message: "apiVersion: must match ^[0-9]+\\.[0-9]+\\.[0-9]+$" },
    { name: "an unknown field", input: { id: 1, chain: 1744 }, message: "chain: is not a known field" },
    { name: "the wire header name", input: { id: 1, "X-Spaaza-API-Version": "1.4.0" }, message: "X-Spaaza-API-Version: is not a known field" },
  ];

  it.each(cases)("$name", async ({ input, message }) => {
    const seen = serve(json({ url: PRESIGNED }));
    const error = await rejection(client().getTaskDownloadUrl(input as never));
    expect(facts(error)).toStrictEqual(refusedBeforeSending("spaaza", InvalidRequestError));
    expect(error.message).toBe(`spaaza: ${message}`);
    expect(seen).toHaveLength(0);
  });

  const missing = "missing credentials: pass accessToken, or sessionUserId + sessionKey + sessionChainId";
  it.each<[string, SpaazaClientOptions, string]>([
    ["neither host nor baseUrl", { accessToken: TOKEN }, "choose the host (or give baseUrl): there is no safe default"],
    ["no credentials", { host: HOST }, missing],
    ["an incomplete admin session", { host: HOST, sessionUserId: SESSION.sessionUserId, sessionKey: SESSION.sessionKey }, missing],
    ["an empty access token", { host: HOST, accessToken: "" }, "accessToken must be a non-empty string"],
    ["a numeric session chain id", { host: HOST, ...SESSION, sessionChainId: 1744 as never }, "sessionChainId must be a non-empty string"],
    [
      "an access token with a line break",
      { host: HOST, accessToken: `${TOKEN}\r\n` },
      "accessToken contains characters a header cannot carry (CR, LF or beyond Latin-1)",
    ],
  ])("rejects %s when the client is created", (_, options, message) => {
    const seen = serve(json({ url: PRESIGNED }));
    expect(() => createSpaazaClient(options)).toThrow(InvalidRequestError);
    expect(() => createSpaazaClient(options)).toThrow(`spaaza: ${message}`);
    expect(seen).toHaveLength(0);
  });
});

describe("credentials never leak", () => {
  it("returns the presigned URL exactly as sent, signature included", async () => {
    serve(json({ url: PRESIGNED }));
    const result = await download(client());
    expect(result.url).toBe(PRESIGNED);
  });

  it.each<[string, SpaazaClientOptions, string]>([
    ["the bearer id:secret", { accessToken: TOKEN }, TOKEN],
    ["the admin session key", { ...SESSION }, SESSION.sessionKey],
  ])("keeps %s out of an error that echoes it", async (_, credentials, secret) => {
    serve(text(`rejected credentials ${secret}`, 401));
    const error = await rejection(download(createSpaazaClient({ host: HOST, maxRetries: 0, ...credentials })));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.messages).toStrictEqual(["rejected credentials [REDACTED]"]);
    for (const text of [String(error), JSON.stringify(error), error.message, error.stack ?? ""]) expect(text).not.toContain(secret);
  });
});
