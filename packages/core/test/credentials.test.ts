import { describe, expect, it, vi } from "vitest";
import type { ApiDefinition } from "../src/internal.js";
import { definition, fakeFetch, make, ok, profile, SECRET } from "./helpers.js";

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

/** Two operations with different credentials: the key for presigning, the bearer token for listing. */
const twoSchemes: ApiDefinition = {
  ...withEnv,
  operations: {
    presign: { ...definition.operations.presign, security: [["key"]] },
    list: { method: "GET", path: "/files", fields: [], security: [["token"]] },
  },
};

describe("which credentials a request carries", () => {
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

  it("needs no credentials for an operation whose security is empty", async () => {
    const f = fakeFetch(ok);
    const anonymous = { ...definition, operations: { presign: { ...definition.operations.presign, security: [] } } };
    await make(anonymous, profile, { fetch: f.fetch }).presign({ fileId: "f" });
    expect(f.requests[0]!.headers.get("x-key")).toBeNull();
  });

  it("a raw call sends the credentials of the operation it calls, and none for a path the spec does not have", async () => {
    const f = fakeFetch(() => Response.json({}));
    const c = make(twoSchemes, profile, { apiKey: SECRET, token: "bearer-token-1", fetch: f.fetch });
    await c.raw.GET("/files" as never, {} as never);
    await c.raw.POST("/files/{file_id}/presign" as never, { params: { path: { file_id: "f" } }, body: {} } as never);
    await c.raw.GET("/elsewhere" as never, {} as never);
    const sent = f.requests.map((r) => ({ key: r.headers.get("x-key"), authorization: r.headers.get("authorization") }));
    expect(sent).toEqual([
      { key: null, authorization: "Bearer bearer-token-1" },
      { key: SECRET, authorization: null },
      { key: null, authorization: null },
    ]);
  });

  it("a generated method sends only its own operation's credentials", async () => {
    const f = fakeFetch(ok);
    await make(twoSchemes, profile, { apiKey: SECRET, token: "bearer-token-1", fetch: f.fetch }).presign({ fileId: "f" });
    expect(f.requests[0]!.headers.get("x-key")).toBe(SECRET);
    expect(f.requests[0]!.headers.get("authorization")).toBeNull();
  });
});

describe("what errors may show of the credentials", () => {
  it("redacts each long part of an id:secret token, and never a scheme marked not secret", async () => {
    const f = fakeFetch(() => Response.json({ message: "secret s3cr3t-value-99 revoked for chain 1" }, { status: 403 }));
    const c = make(withEnv, profile, { token: "5f0c-uuid-0001:s3cr3t-value-99", chain: "1", fetch: f.fetch });
    const error = await c.presign({ fileId: "12345" }).catch((e) => e);
    expect(error.messages).toEqual(["secret [REDACTED] revoked for chain 1"]);
    expect(error.request).toContain("/files/12345/presign");
  });
});
