import { describe, expect, it } from "vitest";
import type { Middleware } from "../src/index.js";
import { client, definition, fakeFetch, make, ok, profile, SECRET } from "./helpers.js";

describe("openapi-fetch middleware around every call", () => {
  it("runs onRequest before the first attempt and onResponse after the last, never seeing credentials", async () => {
    let calls = 0;
    const f = fakeFetch(() => (++calls === 1 ? Response.json({}, { status: 503 }) : ok()));
    const seen: string[] = [];
    const middleware: Middleware = {
      onRequest: ({ request, schemaPath }) => {
        seen.push(`request ${schemaPath} key=${request.headers.get("x-key")}`);
      },
      onResponse: ({ request, response }) => {
        seen.push(`response ${response.status} key=${request.headers.get("x-key")}`);
      },
    };
    await client({ fetch: f.fetch, middleware: [middleware], retry: { baseDelay: 1 } }).presign({ fileId: "f" });
    expect(seen).toEqual(["request /files/{file_id}/presign key=null", "response 200 key=null"]);
    expect(f.requests.map((r) => r.headers.get("x-key"))).toEqual([SECRET, SECRET]);
  });

  it("runs onRequest in order and onResponse in reverse, as openapi-fetch does", async () => {
    const seen: string[] = [];
    const named = (name: string): Middleware => ({
      onRequest: () => void seen.push(`${name} request`),
      onResponse: () => void seen.push(`${name} response`),
    });
    await client({ fetch: fakeFetch(ok).fetch, middleware: [named("outer"), named("inner")] }).presign({ fileId: "f" });
    expect(seen).toEqual(["outer request", "inner request", "inner response", "outer response"]);
  });

  it("applies middleware added with raw.use() to generated methods too, until it is ejected", async () => {
    const f = fakeFetch(ok);
    const c = client({ fetch: f.fetch });
    const tag: Middleware = {
      onRequest: ({ request }) => {
        request.headers.set("x-trace-id", "from-middleware");
      },
    };
    c.raw.use(tag);
    await c.presign({ fileId: "f" });
    c.raw.eject(tag);
    await c.presign({ fileId: "f" });
    expect(f.requests.map((r) => r.headers.get("x-trace-id"))).toEqual(["from-middleware", null]);
  });

  it("passes a typed error to onError, which may answer with a Response of its own", async () => {
    const refused = (() => Promise.reject(Object.assign(new TypeError("fetch failed"), { code: "ECONNRESET" }))) as typeof fetch;
    const kinds: string[] = [];
    const fallback: Middleware = {
      onError: ({ error }) => {
        kinds.push((error as { kind: string }).kind);
        return Response.json({ url: "https://cache.example/f" });
      },
    };
    const result = await client({ fetch: refused, maxRetries: 0, middleware: [fallback] }).presign({ fileId: "f" });
    expect(kinds).toEqual(["connection"]);
    expect(result).toEqual({ url: "https://cache.example/f" });
  });

  it("reads the error a response hook hands back, not the one it replaced", async () => {
    const f = fakeFetch(() => Response.json({ message: "original" }, { status: 500 }));
    const rewrite: Middleware = { onResponse: () => Response.json({ message: "rewritten by a hook" }, { status: 404 }) };
    const error = await client({ fetch: f.fetch, maxRetries: 0, middleware: [rewrite] })
      .presign({ fileId: "f" })
      .catch((e) => e);
    expect(error).toMatchObject({ kind: "not_found", status: 404, messages: ["rewritten by a hook"] });
  });

  it("hands a response hook the error body whole, and still reads it afterwards", async () => {
    const f = fakeFetch(() => Response.json({ message: "quota exceeded" }, { status: 403 }));
    const bodies: string[] = [];
    const peek: Middleware = {
      onResponse: async ({ response }) => {
        bodies.push(await response.clone().text());
      },
    };
    const error = await client({ fetch: f.fetch, middleware: [peek] })
      .presign({ fileId: "f" })
      .catch((e) => e);
    expect(bodies).toEqual(['{"message":"quota exceeded"}']);
    expect(error).toMatchObject({ kind: "permission_denied", messages: ["quota exceeded"] });
  });

  it("sends credentials only to the API origin, even when middleware points a request elsewhere", async () => {
    const f = fakeFetch(ok);
    const elsewhere: Middleware = { onRequest: ({ request }) => new Request("https://storage.example.net/upload", request) };
    await client({ fetch: f.fetch, middleware: [elsewhere] }).presign({ fileId: "f" });
    expect(f.requests[0]!.url).toBe("https://storage.example.net/upload");
    expect(f.requests[0]!.headers.get("x-key")).toBeNull();
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

  it("a header no stack can send is an InvalidRequestError, not a retried connection error", async () => {
    const f = fakeFetch(ok);
    const control: Middleware = { onRequest: ({ request }) => new Request(request, { headers: { "x-trace": "a\u0001b" } }) };
    const error = await client({ fetch: f.fetch, middleware: [control] })
      .presign({ fileId: "f" })
      .catch((e) => e);
    expect(error).toMatchObject({ kind: "invalid_request", attempts: 1 });
    expect(error.message).toContain("header x-trace contains characters a header cannot carry");
    expect(f.requests).toHaveLength(0);
  });
});

describe("a hostile server, with middleware on the path", () => {
  /** Records what each hook saw, so a test can say which ran. */
  const watching = (seen: string[]): Middleware => ({
    onResponse: ({ response }) => void seen.push(`response ${response.status}`),
    onError: ({ error }) => void seen.push(`error ${(error as { kind: string }).kind}`),
  });

  it("refuses a body past maxResponseBytes once, and hands the typed error to onError", async () => {
    const f = fakeFetch(() => Response.json({ url: "x".repeat(4096) }));
    const seen: string[] = [];
    const error = await client({ fetch: f.fetch, maxResponseBytes: 1024, middleware: [watching(seen)] })
      .presign({ fileId: "f" })
      .catch((e) => e);
    expect(error).toMatchObject({ kind: "malformed_response", attempts: 1 });
    expect(f.requests).toHaveLength(1);
    expect(seen).toEqual(["error malformed_response"]);
  });

  it("does not repeat a state change after a 500, and redacts the key the server echoes", async () => {
    const f = fakeFetch(() => Response.json({ message: `bad key ${SECRET}` }, { status: 500 }));
    const changing = { ...definition, operations: { presign: { ...definition.operations.presign, idempotent: false } } };
    const seen: string[] = [];
    const error = await make(changing, profile, { apiKey: SECRET, fetch: f.fetch, retry: { baseDelay: 1 }, middleware: [watching(seen)] })
      .presign({ fileId: "f" })
      .catch((e) => e);
    expect(f.requests).toHaveLength(1);
    expect(seen).toEqual(["response 500"]);
    expect(error).toMatchObject({ kind: "server", attempts: 1, messages: ["bad key [REDACTED]"] });
    expect(JSON.stringify(error)).not.toContain(SECRET);
  });
});
