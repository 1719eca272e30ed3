import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { redactUrl } from "../src/index.js";
import { createRedactor } from "../src/internal.js";
import { client, fakeFetch, ok } from "./helpers.js";

describe("path parameters", () => {
  it("any id stays inside its one path segment and round-trips", async () => {
    const f = fakeFetch(ok);
    const c = client({ fetch: f.fetch });
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: "grapheme", minLength: 1 }).filter((id) => id !== "." && id !== ".."),
        async (id) => {
          await c.presign({ fileId: id });
          const url = new URL(f.requests.at(-1)!.url);
          const segments = url.pathname.split("/");
          expect(segments).toHaveLength(4);
          expect([segments[0], segments[1], segments[3]]).toEqual(["", "files", "presign"]);
          expect(decodeURIComponent(segments[2]!)).toBe(id);
          expect(url.origin + url.search + url.hash).toBe("https://api.example.com");
        },
      ),
      { numRuns: 300 },
    );
  }, 60_000);
});

const secretChars = fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_:/+=.".split(""));
const secret = fc.string({ unit: secretChars, minLength: 8, maxLength: 64 });

describe("redaction", () => {
  it("removes every secret, raw or URL-encoded, wherever it sits in a text", () => {
    fc.assert(
      fc.property(fc.array(secret, { minLength: 1, maxLength: 3 }), fc.array(fc.string(), { minLength: 1, maxLength: 4 }), (secrets, pieces) => {
        const text = pieces
          .flatMap((piece, i) => [piece, i % 2 ? encodeURIComponent(secrets[i % secrets.length]!) : secrets[i % secrets.length]!])
          .join("");
        const out = createRedactor(secrets)(text);
        for (const s of secrets) {
          expect(out).not.toContain(s);
          expect(out).not.toContain(encodeURIComponent(s));
        }
      }),
    );
  });

  it("removes presigned-URL signatures from a URL and keeps the rest", () => {
    const name = fc.constantFrom(
      "X-Amz-Signature",
      "X-Amz-Credential",
      "X-Amz-Security-Token",
      "Signature",
      "sig",
      "x-amz-signature",
      "X-Goog-Signature",
    );
    const value = fc.string({ unit: secretChars, minLength: 6, maxLength: 80 });
    const other = fc.string({ unit: fc.constantFrom(..."abcdefxyz0123456789".split("")), minLength: 1, maxLength: 10 });
    fc.assert(
      fc.property(name, value, other, (param, sig, keep) => {
        const url = `https://bucket.example/a/b.csv?X-Amz-Date=${keep}&${param}=${encodeURIComponent(sig)}&keep=${keep}#frag`;
        const out = redactUrl(url);
        expect(out).not.toContain(encodeURIComponent(sig));
        expect(out).toBe(`https://bucket.example/a/b.csv?X-Amz-Date=${keep}&${param}=[REDACTED]&keep=${keep}#frag`);
      }),
    );
  });
});

describe("redaction of encoded secrets and excerpts", () => {
  const base64 = (bytes: string) => Buffer.from(bytes).toString("base64");

  it("removes a secret's base64 (standard or URL-safe) wherever its bytes sit inside an encoded text", () => {
    fc.assert(
      fc.property(secret, fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), fc.boolean(), (s, before, after, urlSafe) => {
        const encoded = Buffer.from(before + s + after).toString(urlSafe ? "base64url" : "base64");
        const out = createRedactor([s])(`body: ${encoded}`);
        expect(out).toContain("[REDACTED]");
        // Whatever stays visible of the encoding is at most the characters shared with its neighbours.
        const core = base64(s).slice(2, -4);
        if (core.length >= 6) expect(out).not.toContain(urlSafe ? core.replaceAll("+", "-").replaceAll("/", "_") : core);
      }),
    );
  });

  it("cuts a redacted excerpt without leaving part of a secret at the cut", () => {
    fc.assert(
      fc.property(secret, fc.nat({ max: 200 }), fc.integer({ min: 1, max: 120 }), (s, at, max) => {
        const text = `${"~".repeat(at)}${s}${"!".repeat(50)}`; // neither character can be part of a secret
        const out = createRedactor([s])(text, max);
        expect(out.length).toBeLessThanOrEqual(max + 1);
        // No prefix of the secret longer than 3 characters is left at the end of the excerpt.
        for (let n = 4; n <= s.length; n++) expect(out.endsWith(s.slice(0, n)) || out.endsWith(`${s.slice(0, n)}…`)).toBe(false);
      }),
    );
  });
});

describe("redaction in markup and nested URLs", () => {
  it("finds signatures after &amp; and inside a percent-encoded URL", () => {
    const redact = createRedactor([]);
    expect(redact('<a href="https://b/x?a=1&amp;X-Amz-Signature=abc123&amp;b=2">')).toBe(
      '<a href="https://b/x?a=1&amp;X-Amz-Signature=[REDACTED]&amp;b=2">',
    );
    expect(redact("https://p/?next=https%3A%2F%2Fb%2Fx%3FX-Amz-Signature%3Dabc123%26k%3D1")).toBe(
      "https://p/?next=https%3A%2F%2Fb%2Fx%3FX-Amz-Signature%3D[REDACTED]%26k%3D1",
    );
  });
});
