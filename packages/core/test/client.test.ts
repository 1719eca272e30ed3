import { describe, expect, it } from "vitest";
import { InvalidRequestError, type Middleware } from "../src/index.js";
import { client, fakeFetch, ok } from "./helpers.js";

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
