import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { client, definition, fakeFetch, make, ok, profile, SECRET } from "./helpers.js";

describe("input", () => {
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
});

describe("responses", () => {
  it("refuses to follow a redirect, which could carry credentials to another host", async () => {
    const f = fakeFetch(() => new Response(null, { status: 302, headers: { location: "https://elsewhere.example/" } }));
    await expect(client({ fetch: f.fetch }).presign({ fileId: "f" })).rejects.toMatchObject({ kind: "malformed_response" });
    expect(f.requests[0]!.redirect).toBe("manual");
  });

  it("keeps a plain-text error body that looks like JSON as text", async () => {
    const f = fakeFetch(() => new Response("12345", { status: 404, headers: { "content-type": "text/plain" } }));
    const textProfile = {
      ...profile,
      errorOf: (s: number, body: unknown) => (s >= 400 ? { messages: [String(body)], code: typeof body } : undefined),
    };
    const error = await make(definition, textProfile, { apiKey: "k", fetch: f.fetch })
      .presign({ fileId: "f" })
      .catch((e) => e);
    expect(error).toMatchObject({ messages: ["12345"], code: "string" });
  });

  it("does not keep the JSON parser's message, which quotes the body, as the cause", async () => {
    const f = fakeFetch(() => new Response("kSECRET99xyz", { status: 200 }));
    const error = await client({ fetch: f.fetch })
      .presign({ fileId: "f" })
      .catch((e) => e);
    expect(error.kind).toBe("malformed_response");
    expect(inspect(error, { depth: 5 })).not.toContain("SECRET99");
  });
});

describe("deadlines and signals", () => {
  it("a custom fetch that ignores its signal still times out", async () => {
    const deaf = (() => new Promise<Response>(() => {})) as typeof fetch;
    const error = await client({ fetch: deaf, timeout: 20, maxRetries: 0 })
      .presign({ fileId: "f" })
      .catch((e) => e);
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
});

describe("raw calls", () => {
  it("keeps the openapi-fetch client reachable, with auth and retries", async () => {
    const f = fakeFetch(ok);
    const { data, error, response } = await client({ fetch: f.fetch }).raw.POST(
      "/files/{file_id}/presign" as never,
      {
        params: { path: { file_id: "f" } },
        body: {},
      } as never,
    );
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(data).toEqual({ url: "https://bucket.example/f?X-Amz-Signature=abc" });
    expect(f.requests[0]!.headers.get("x-key")).toBe(SECRET);
    expect(f.requests[0]!.headers.get("user-agent")).toBe("@presign/acme/1.0.0");
  });
});
