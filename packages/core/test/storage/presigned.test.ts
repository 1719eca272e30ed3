import { afterEach, describe, expect, it, vi } from "vitest";
import { expiryOfUrl, InvalidRequestError, MalformedResponseError, type PresignClientBase, presigned, presignedParts } from "../../src/index.js";
import { type ApiDefinition, createPresignClient, type Field, type PresignedUrlDefinition, type Profile } from "../../src/internal.js";

/** The shapes of every provider's x-presign-url, on one fake API. */
const bodyField = (key: string, name: string, schema: Field["schema"]): Field => ({ key, name, in: "body", required: false, schema });
const post = (path: string, fields: Field[], presignedDefinition: PresignedUrlDefinition) => ({
  method: "POST" as const,
  path,
  fields,
  json: true,
  idempotent: true,
  security: [["key"]],
  presigned: presignedDefinition,
});

const operations = {
  // Datalab getFileDownloadUrl
  downloadUrl: post("/download", [], { method: "GET", url: "/download_url", expiresIn: "/expires_in" }),
  // Datalab createFileUpload
  uploadUrl: post("/upload", [bodyField("contentType", "content_type", { type: "string" })], {
    method: "PUT",
    url: "/upload_url",
    expiresIn: "/expires_in",
    headers: { "Content-Type": "/content_type" },
  }),
  // Powerdrill presign
  absolute: post("/absolute", [], { method: "GET", url: "/data/presigned_url", expiresAt: "/data/expires_at" }),
  // Spaaza: a documented lifetime
  documented: post("/documented", [], { method: "GET", url: "/url", lifetime: 3600 }),
  nothing: post("/nothing", [], { method: "GET", url: "/url" }),
  // Datadog getTestFileMultipartPresignedUrls
  datadogParts: post("/datadog", [bodyField("parts", "parts", { type: "array", items: { type: "object" } })], {
    method: "PUT",
    parts: { at: "/params/urls" },
    partHeaders: { at: "/parts", number: "partNumber", headers: { "Content-MD5": "md5" } },
  }),
  // Powerdrill initMultipartUpload
  powerdrillParts: post("/powerdrill", [], { method: "PUT", parts: { at: "/data/part_items", number: "number", url: "upload_url", size: "size" } }),
  plain: { method: "GET", path: "/plain", fields: [], security: [["key"]] },
} satisfies ApiDefinition["operations"];

const api: ApiDefinition = {
  server: { url: "https://api.example.com", variables: {} },
  auth: { key: { option: "apiKey", in: "header", name: "X-Key" } },
  operations,
};

const profile: Profile = { provider: "acme", userAgent: "test", errorOf: (status) => (status >= 400 ? { messages: [] } : undefined) };

type Call = (input?: object) => Promise<Record<string, unknown>>;
type Client = PresignClientBase<Record<string, never>> & Record<keyof typeof operations, Call>;

/** A client whose every call answers `body`, with the given response headers. */
function clientAnswering(body: unknown, headers: Record<string, string> = {}) {
  const fetch = (async () => Response.json(body, { headers })) as typeof globalThis.fetch;
  return createPresignClient<Client>(api, profile, { apiKey: "api-key-123456", fetch } as never);
}

const S3_URL = "https://bucket.s3.amazonaws.com/f?X-Amz-Date=20300101T000000Z&X-Amz-Expires=600&X-Amz-Signature=abc";
const DATE = "Tue, 01 Jan 2030 10:00:00 GMT";

afterEach(() => {
  vi.useRealTimers();
});

describe("presigned(): the expiry ladder", () => {
  it("1. the response: expiresIn counts from the response's Date header", async () => {
    const result = await clientAnswering({ download_url: S3_URL, expires_in: 120 }, { date: DATE }).downloadUrl();
    expect(presigned(result)).toEqual({
      url: S3_URL,
      method: "GET",
      headers: {},
      expiresAt: new Date("2030-01-01T10:02:00Z"),
      expiresAtSource: "response",
    });
  });

  it("1. the response: expiresIn counts from the local clock when Date is missing or unreadable", async () => {
    vi.useFakeTimers({ now: new Date("2031-05-05T00:00:00Z"), toFake: ["Date"] });
    const missing = await clientAnswering({ download_url: S3_URL, expires_in: 60 }).downloadUrl();
    const garbled = await clientAnswering({ download_url: S3_URL, expires_in: 60 }, { date: "yesterday-ish" }).downloadUrl();
    // The clock moves on; the expiry still counts from when the response arrived.
    vi.setSystemTime(new Date("2031-05-05T00:00:30Z"));
    for (const result of [missing, garbled]) {
      expect(presigned(result)).toMatchObject({ expiresAt: new Date("2031-05-05T00:01:00Z"), expiresAtSource: "response" });
    }
  });

  it("1. the response: an absolute expiresAt", async () => {
    const result = await clientAnswering({ data: { presigned_url: "https://cdn.example/x", expires_at: "2024-09-24T14:44:18Z" } }).absolute();
    expect(presigned(result)).toMatchObject({ expiresAt: new Date("2024-09-24T14:44:18Z"), expiresAtSource: "response" });
  });

  it("2. the URL, when the response has no usable expiry", async () => {
    const result = await clientAnswering({ data: { presigned_url: S3_URL, expires_at: "not a date" } }).absolute();
    expect(presigned(result)).toMatchObject({ expiresAt: new Date("2030-01-01T00:10:00Z"), expiresAtSource: "url" });
  });

  it("3. the documented lifetime, counted from the response's Date", async () => {
    const result = await clientAnswering({ url: "https://cdn.example/export.csv" }, { date: DATE }).documented();
    expect(presigned(result)).toMatchObject({ expiresAt: new Date("2030-01-01T11:00:00Z"), expiresAtSource: "documented" });
  });

  it("3. but a URL that says when it expires wins over the documented lifetime", async () => {
    const result = await clientAnswering({ url: S3_URL }, { date: DATE }).documented();
    expect(presigned(result)).toMatchObject({ expiresAtSource: "url" });
  });

  it("4. unknown, without an expiresAt", async () => {
    const normalized = presigned(await clientAnswering({ url: "https://cdn.example/x" }).nothing());
    expect(normalized).toEqual({ url: "https://cdn.example/x", method: "GET", headers: {}, expiresAtSource: "unknown" });
  });
});

describe("presigned(): URL and headers", () => {
  it("reads the headers the URL is signed with from the request body as sent", async () => {
    const client = clientAnswering({ upload_url: S3_URL, expires_in: 900 });
    const result = await client.uploadUrl({ contentType: "text/csv" });
    expect(presigned(result)).toMatchObject({ method: "PUT", headers: { "Content-Type": "text/csv" } });
  });

  it("leaves the typed result as the API sent it", async () => {
    const result = await clientAnswering({ download_url: S3_URL, expires_in: 120 }).downloadUrl();
    expect(result).toEqual({ download_url: S3_URL, expires_in: 120 });
    expect(Object.keys(result)).toEqual(["download_url", "expires_in"]);
  });

  it("refuses an object that no presigning method returned, with an InvalidRequestError", async () => {
    const plain = await clientAnswering({ url: S3_URL }).plain();
    for (const value of [{ url: S3_URL }, plain, [], null, "https://x"]) {
      const error = (() => {
        try {
          presigned(value as object);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(String(error)).toMatch(/only the result of a generated method that returns a presigned URL/);
    }
  });

  it("a missing or non-http URL in the body is a MalformedResponseError", async () => {
    for (const body of [{}, { url: null }, { url: "javascript:alert(1)" }, { url: 7 }]) {
      const result = await clientAnswering(body).nothing();
      expect(() => presigned(result)).toThrow(MalformedResponseError);
      expect(() => presigned(result)).toThrow(/acme: the response has no presigned URL at \/url/);
    }
  });

  it("presigned() on a multipart result points to presignedParts(), and the other way round", async () => {
    const parts = await clientAnswering({ data: { part_items: [] } }).powerdrillParts();
    expect(() => presigned(parts)).toThrow(/presignedParts\(\)/);
    const one = await clientAnswering({ url: S3_URL }).nothing();
    expect(() => presignedParts(one)).toThrow(/presigned\(\)/);
  });
});

describe("presignedParts()", () => {
  it("Datadog: URLs keyed by part number, each with the Content-MD5 the request declared, sorted", async () => {
    const client = clientAnswering({ params: { urls: { "2": `${S3_URL}&partNumber=2`, "1": `${S3_URL}&partNumber=1` } } });
    const result = await client.datadogParts({
      parts: [
        { partNumber: 1, md5: "md5-of-1==" },
        { partNumber: 2, md5: "md5-of-2==" },
      ],
    });
    expect(presignedParts(result)).toEqual([
      { url: `${S3_URL}&partNumber=1`, method: "PUT", headers: { "Content-MD5": "md5-of-1==" }, partNumber: 1, ...urlExpiry },
      { url: `${S3_URL}&partNumber=2`, method: "PUT", headers: { "Content-MD5": "md5-of-2==" }, partNumber: 2, ...urlExpiry },
    ]);
  });

  it("Powerdrill: a list of items with their number, URL and size", async () => {
    const items = [
      { number: 2, upload_url: "https://b.example/2", size: 10 },
      { number: 1, upload_url: "https://b.example/1", size: 20 },
    ];
    const result = await clientAnswering({ data: { part_items: items } }).powerdrillParts();
    expect(presignedParts(result).map(({ partNumber, url, size }) => ({ partNumber, url, size }))).toEqual([
      { partNumber: 1, url: "https://b.example/1", size: 20 },
      { partNumber: 2, url: "https://b.example/2", size: 10 },
    ]);
  });

  it("refuses part lists that cannot be uploaded, with a MalformedResponseError", async () => {
    const bad = [
      { data: {} },
      { data: { part_items: [{ number: 0, upload_url: "https://b.example/0" }] } },
      { data: { part_items: [{ number: "x", upload_url: "https://b.example/0" }] } },
      { data: { part_items: [{ number: 1 }] } },
      {
        data: {
          part_items: [
            { number: 1, upload_url: "https://b.example/1" },
            { number: 1, upload_url: "https://b.example/1" },
          ],
        },
      },
    ];
    for (const body of bad) {
      const result = await clientAnswering(body).powerdrillParts();
      expect(() => presignedParts(result)).toThrow(MalformedResponseError);
    }
  });
});

const urlExpiry = { expiresAt: new Date("2030-01-01T00:10:00Z"), expiresAtSource: "url" };

describe("expiryOfUrl()", () => {
  it("SigV4: X-Amz-Date + X-Amz-Expires (any case)", () => {
    expect(expiryOfUrl(S3_URL)).toEqual(new Date("2030-01-01T00:10:00Z"));
    expect(expiryOfUrl("https://r2.example/k?x-amz-date=20300101T000000Z&x-amz-expires=86399")).toEqual(new Date("2030-01-01T23:59:59Z"));
  });

  it("GCS: X-Goog-Date + X-Goog-Expires", () => {
    const url =
      "https://storage.googleapis.com/b/o?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Date=20300101T120000Z&X-Goog-Expires=3600&X-Goog-Signature=ab";
    expect(expiryOfUrl(url)).toEqual(new Date("2030-01-01T13:00:00Z"));
  });

  it("Azure SAS: se= beside sig=, a date-time or a date", () => {
    expect(expiryOfUrl("https://a.blob.core.windows.net/c/b?sv=2022-11-02&se=2030-01-01T05%3A00%3A00Z&sr=b&sp=r&sig=abc%3D")).toEqual(
      new Date("2030-01-01T05:00:00Z"),
    );
    expect(expiryOfUrl("https://a.blob.core.windows.net/c/b?se=2030-01-02&sig=abc")).toEqual(new Date("2030-01-02T00:00:00Z"));
    expect(expiryOfUrl("https://example.com/?se=2030-01-02")).toBeUndefined();
  });

  it("V2 signatures: Expires in epoch seconds", () => {
    expect(expiryOfUrl("https://storage.googleapis.com/b/o?GoogleAccessId=x&Expires=1893456000&Signature=abc")).toEqual(
      new Date("2030-01-01T00:00:00Z"),
    );
  });

  it("ignores malformed dates and lifetimes", () => {
    const cases = [
      "https://b.example/k?X-Amz-Date=20301301T000000Z&X-Amz-Expires=600",
      "https://b.example/k?X-Amz-Date=20300132T000000Z&X-Amz-Expires=600",
      "https://b.example/k?X-Amz-Date=20300101T250000Z&X-Amz-Expires=600",
      "https://b.example/k?X-Amz-Date=20300101T000060Z&X-Amz-Expires=600",
      "https://b.example/k?X-Amz-Date=2030-01-01T00:00:00Z&X-Amz-Expires=600",
      "https://b.example/k?X-Amz-Date=20300101T000000Z&X-Amz-Expires=-5",
      "https://b.example/k?X-Amz-Date=20300101T000000Z&X-Amz-Expires=1e3",
      "https://b.example/k?X-Amz-Date=20300101T000000Z",
      "https://b.example/k?X-Goog-Date=soon&X-Goog-Expires=60",
      "https://a.blob.core.windows.net/c/b?se=tomorrow&sig=abc",
      "https://a.blob.core.windows.net/c/b?se=2030-02-31x&sig=abc",
      "https://a.blob.core.windows.net/c/b?se=2030-02-31T00:00:00Z&sig=abc",
      "https://b.example/k?X-Amz-Date=20300229T000000Z&X-Amz-Expires=600",
      "https://b.example/k?Expires=soon&Signature=abc",
      "https://b.example/k",
      "not a url",
    ];
    for (const url of cases) expect(expiryOfUrl(url), url).toBeUndefined();
  });
});
