import { inspect } from "node:util";
import { describe, expect, it, vi } from "vitest";
import { type ApiDefinition, type ClientOptions, InvalidRequestError, type Middleware, createPresignClient } from "../src/index.js";
import { type TestClient, client, definition, fakeFetch, ok, profile } from "./helpers.js";

/** The test API with an open `site` variable. */
const open: ApiDefinition = { ...definition, server: { url: "https://api.{site}", variables: { site: { default: "example.com" } } } };

/** Creates a test client with options the generated types would name (credentials, server variables). */
const make = (api: ApiDefinition, p: typeof profile, options: Record<string, unknown>) =>
  createPresignClient<TestClient>(api, p, options as ClientOptions);
/** The test API with a bearer alternative, an env-backed key, and a non-secret chain id. */
const withEnv: ApiDefinition = {
  ...definition,
  auth: {
    key: { option: "apiKey", in: "header", name: "X-Key", env: "ACME_KEY" },
    token: { option: "token", in: "bearer" },
    chain: { option: "chain", in: "header", name: "X-Chain", secret: false },
  },
  operations: { presign: { ...definition.operations.presign, security: [["key"], ["token"]] } },
};

const SECRET = "secret-key-123";

/** Expects a typed InvalidRequestError whose text never contains the secret. */
function expectInvalid(fn: () => unknown, message: RegExp) {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(InvalidRequestError);
  expect(String(error)).toMatch(message);
  expect(JSON.stringify(error)).not.toContain(SECRET);
}

describe("client creation", () => {
  it("accepts https, and plain http only on loopback hosts or with allowInsecureHttp", () => {
    expect(client().baseUrl).toBe("https://api.example.com");
    expect(client({ site: "example.eu" }).baseUrl).toBe("https://api.example.eu");
    for (const baseUrl of ["http://127.0.0.1:8080", "http://localhost:1/", "http://[::1]:9"]) expect(() => client({ baseUrl })).not.toThrow();
    expectInvalid(() => client({ baseUrl: "http://api.example.com" }), /must use https/);
    expectInvalid(() => client({ baseUrl: "ftp://x" }), /must use https/);
    expectInvalid(() => client({ baseUrl: "not a url" }), /not an absolute URL/);
    expect(client({ baseUrl: "http://proxy.internal", allowInsecureHttp: true }).baseUrl).toBe("http://proxy.internal");
  });

  it("refuses credentials a header cannot carry, without echoing them", () => {
    expectInvalid(() => client({ apiKey: `${SECRET}\r\nX-Evil: 1` }), /apiKey contains characters a header cannot carry/);
    expectInvalid(() => client({ apiKey: `${SECRET}ключ` }), /apiKey contains characters/);
    expectInvalid(() => client({ apiKey: "" }), /apiKey must be a non-empty string/);
  });

  it("refuses a base URL with a user name or password, without echoing them", () => {
    expectInvalid(() => client({ baseUrl: `https://admin:${SECRET}@api.example.com` }), /must not contain a user name or password/);
    expectInvalid(() => client({ baseUrl: `https://${SECRET}@api.example.com` }), /must not contain a user name or password/);
  });

  it("refuses a maxResponseBytes that is not a positive whole number", () => {
    for (const maxResponseBytes of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expectInvalid(() => client({ maxResponseBytes }), /maxResponseBytes must be a positive whole number of bytes/);
    }
  });

  it("refuses an unknown server variable value", () => {
    expectInvalid(() => client({ site: "evil.com" }), /unknown site "evil.com": expected one of example.com, example.eu/);
  });
});

describe("calls", () => {
  it("rejects bad input before any request", async () => {
    const f = fakeFetch(ok);
    const c = client({ fetch: f.fetch });
    const cases: [unknown, RegExp][] = [
      [{}, /fileId: is required/],
      [{ fileId: "" }, /fileId: must be at least 1 character/],
      [{ fileId: 7 }, /fileId: expected a string, got integer/],
      [{ fileId: ".." }, /fileId: cannot be "." or ".."/],
      [{ fileId: "\uD800x" }, /fileId: is not well-formed Unicode/],
      [{ fileId: "f", expiresIn: 59 }, /expiresIn: must be at least 60/],
      [{ fileId: "f", expiresIn: 60.5 }, /expiresIn: expected an integer/],
      [{ fileId: "f", traceId: "a\nb" }, /traceId: contains characters a header cannot carry/],
      [{ fileId: "f", extra: 1 }, /extra: is not a known field/],
      ["f", /input: expected an object/],
    ];
    for (const [input, message] of cases) {
      await expect(c.presign(input as never)).rejects.toThrow(message);
    }
    expect(f.requests).toHaveLength(0);
  });

  it("runs user middleware on every attempt, before credentials are added", async () => {
    let calls = 0;
    const f = fakeFetch(() => (++calls === 1 ? Response.json({}, { status: 503 }) : ok()));
    const seen: string[] = [];
    const middleware: Middleware = {
      onRequest: ({ request, attempt }) => {
        seen.push(`request ${attempt} key=${request.headers.get("x-key")}`);
      },
      onResponse: ({ response, attempt }) => {
        seen.push(`response ${attempt} ${response.status}`);
      },
    };
    await client({ fetch: f.fetch, middleware: [middleware], retry: { baseDelay: 1 } }).presign({ fileId: "f" });
    expect(seen).toEqual(["request 1 key=null", "response 1 503", "request 2 key=null", "response 2 200"]);
    expect(f.requests.map((r) => r.headers.get("x-key"))).toEqual([SECRET, SECRET]);
  });

  it("sends credentials only to the API origin, even when middleware points a request elsewhere", async () => {
    const f = fakeFetch(ok);
    const elsewhere: Middleware = { onRequest: ({ request }) => new Request("https://storage.example.net/upload", request) };
    await client({ fetch: f.fetch, middleware: [elsewhere] }).presign({ fileId: "f" });
    expect(f.requests[0]!.url).toBe("https://storage.example.net/upload");
    expect(f.requests[0]!.headers.get("x-key")).toBeNull();
  });

  it("refuses to follow a redirect, which could carry credentials to another host", async () => {
    const f = fakeFetch(() => new Response(null, { status: 302, headers: { location: "https://elsewhere.example/" } }));
    await expect(client({ fetch: f.fetch }).presign({ fileId: "f" })).rejects.toMatchObject({ kind: "malformed_response" });
    expect(f.requests[0]!.redirect).toBe("manual");
  });

  it("keeps the openapi-fetch client reachable, with auth and retries", async () => {
    const f = fakeFetch(ok);
    const { data, error, response } = await client({ fetch: f.fetch }).raw.POST("/files/{file_id}/presign" as never, {
      params: { path: { file_id: "f" } },
      body: {},
    } as never);
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(data).toEqual({ url: "https://bucket.example/f?X-Amz-Signature=abc" });
    expect(f.requests[0]!.headers.get("x-key")).toBe(SECRET);
    expect(f.requests[0]!.headers.get("user-agent")).toBe("@presign/acme/1.0.0");
  });
});

describe("review regressions", () => {
  it("refuses server variable values that could move the host", () => {
    for (const site of ["evil.example#", "https://x.example", "x.example/path?", "a@b.example"]) {
      expectInvalid(() => make(open, profile, { site }), /site must be a host name/);
    }
    expect(make(open, profile, { apiKey: "k", site: "eu1.example.com:8443" }).baseUrl).toBe("https://api.eu1.example.com:8443");
  });

  it("uses explicit credentials as a set: environment keys never override them", async () => {
    vi.stubEnv("ACME_KEY", "env-key-should-not-be-used");
    try {
      const f = fakeFetch(ok);
      await make(withEnv, profile, { token: "explicit-token-1", fetch: f.fetch }).presign({ fileId: "f" });
      expect(f.requests[0]!.headers.get("authorization")).toBe("Bearer explicit-token-1");
      expect(f.requests[0]!.headers.get("x-key")).toBeNull();
      const g = fakeFetch(ok);
      await make(withEnv, profile, { fetch: g.fetch }).presign({ fileId: "f" });
      expect(g.requests[0]!.headers.get("x-key")).toBe("env-key-should-not-be-used");
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("redacts each long part of an id:secret token, and never a scheme marked not secret", async () => {
    const f = fakeFetch(() => Response.json({ message: "secret s3cr3t-value-99 revoked for chain 1" }, { status: 403 }));
    const c = make(withEnv, profile, { token: "5f0c-uuid-0001:s3cr3t-value-99", chain: "1", fetch: f.fetch });
    const error = await c.presign({ fileId: "12345" }).catch((e) => e);
    expect(error.messages).toEqual(["secret [REDACTED] revoked for chain 1"]);
    expect(error.request).toContain("/files/12345/presign");
  });

  it("needs no credentials for an operation whose security is empty", async () => {
    const f = fakeFetch(ok);
    const anonymous = { ...definition, operations: { presign: { ...definition.operations.presign, security: [] } } };
    await make(anonymous, profile, { fetch: f.fetch }).presign({ fileId: "f" });
    expect(f.requests[0]!.headers.get("x-key")).toBeNull();
  });

  it("keeps a plain-text error body that looks like JSON as text", async () => {
    const f = fakeFetch(() => new Response("12345", { status: 404, headers: { "content-type": "text/plain" } }));
    const textProfile = { ...profile, errorOf: (s: number, body: unknown) => (s >= 400 ? { messages: [String(body)], code: typeof body } : undefined) };
    const error = await make(definition, textProfile, { apiKey: "k", fetch: f.fetch }).presign({ fileId: "f" }).catch((e) => e);
    expect(error).toMatchObject({ messages: ["12345"], code: "string" });
  });
});

describe("second review regressions", () => {
  it("refuses a timeout setTimeout cannot honour", () => {
    for (const timeout of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31]) {
      expectInvalid(() => client({ timeout }), /timeout must be a number of milliseconds from 1 to 2147483647/);
    }
  });

  it("an abort during an async onRequest hook stops the call before anything is sent", async () => {
    const f = fakeFetch(ok);
    const controller = new AbortController();
    const slowHook: Middleware = { onRequest: () => new Promise<void>((resolve) => setTimeout(resolve, 30)) };
    setTimeout(() => controller.abort(), 5);
    const error = await client({ fetch: f.fetch, middleware: [slowHook] })
      .presign({ fileId: "f" }, { signal: controller.signal })
      .catch((e) => e);
    expect(error).toMatchObject({ kind: "aborted", attempts: 0 });
    expect(f.requests).toHaveLength(0);
  });

  it("a custom fetch that ignores its signal still times out", async () => {
    const deaf = (() => new Promise<Response>(() => {})) as typeof fetch;
    const error = await client({ fetch: deaf, timeout: 20, maxRetries: 0 }).presign({ fileId: "f" }).catch((e) => e);
    expect(error).toMatchObject({ kind: "timeout", attempts: 1 });
  });

  it("a raw call honours the caller's signal", async () => {
    const never = (() => new Promise<Response>(() => {})) as typeof fetch;
    const raw = client({ fetch: never }).raw;
    const started = Date.now();
    const error = await raw
      .POST("/files/{file_id}/presign" as never, { params: { path: { file_id: "f" } }, body: {}, signal: AbortSignal.timeout(20) } as never)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "aborted" });
    // Far below the 10 s default timeout, with room for a busy machine.
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("a header no stack can send is an InvalidRequestError, not a retried connection error", async () => {
    const f = fakeFetch(ok);
    const control: Middleware = { onRequest: ({ request }) => new Request(request, { headers: { "x-trace": "a\u0001b" } }) };
    const error = await client({ fetch: f.fetch, middleware: [control] }).presign({ fileId: "f" }).catch((e) => e);
    expect(error).toMatchObject({ kind: "invalid_request", attempts: 1 });
    expect(error.message).toContain("header x-trace contains characters a header cannot carry");
    expect(f.requests).toHaveLength(0);
  });

  it("does not keep the JSON parser's message, which quotes the body, as the cause", async () => {
    const f = fakeFetch(() => new Response("kSECRET99xyz", { status: 200 }));
    const error = await client({ fetch: f.fetch }).presign({ fileId: "f" }).catch((e) => e);
    expect(error.kind).toBe("malformed_response");
    expect(inspect(error, { depth: 5 })).not.toContain("SECRET99");
  });
});
