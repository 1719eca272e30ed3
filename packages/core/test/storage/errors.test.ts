import { inspect } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PresignError, StorageError, TaskFailedError } from "../../src/index.js";
import { storageErrorOf } from "../../src/internal.js";

const SIGNATURE = "9f3c0b5d1e2a4f6b8c7d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b";
const S3_URL = `https://bucket.s3.amazonaws.com/key.csv?X-Amz-Credential=AKIAEXAMPLE%2F20300101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20300101T000000Z&X-Amz-Expires=900&X-Amz-Signature=${SIGNATURE}`;
const GCS_URL = `https://storage.googleapis.com/b/o?X-Goog-Date=20300101T000000Z&X-Goog-Expires=60&X-Goog-Signature=${SIGNATURE}`;
const AZURE_URL = "https://acct.blob.core.windows.net/c/b?sv=2022-11-02&se=2030-01-01T00%3A00%3A00Z&sp=r&sig=c2VjcmV0LXNhcy1zaWduYXR1cmU%3D";

const xml = (code: string, message: string, extra = "") =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>${extra}<RequestId>REQ123</RequestId></Error>`;

const errorOf = (status: number, body: BodyInit | null, url = S3_URL, headers: Record<string, string> = {}) =>
  storageErrorOf(new Response(body, { status, headers: { "content-type": "application/xml", ...headers } }), { method: "GET", url }, 1);

afterEach(() => {
  vi.useRealTimers();
});

describe("storageErrorOf: what the storage's code means", () => {
  const cases: { name: string; status: number; body: string; url?: string; code: string }[] = [
    { name: "S3 RequestExpired", status: 403, body: xml("RequestExpired", "Request has expired"), code: "expired" },
    { name: "S3 AccessDenied that says the request has expired", status: 403, body: xml("AccessDenied", "Request has expired"), code: "expired" },
    {
      name: "GCS ExpiredToken",
      status: 400,
      body: xml("ExpiredToken", "The provided token has expired.", "<Details>Request signature expired at: 2030-01-01T00:01:00+00:00</Details>"),
      url: GCS_URL,
      code: "expired",
    },
    {
      name: "Azure AuthenticationFailed about the expiry",
      status: 403,
      body: xml(
        "AuthenticationFailed",
        "Server failed to authenticate the request.",
        "<AuthenticationErrorDetail>Signed expiry time [Tue, 01 Jan 2030 00:00:00 GMT] must be after signed start time</AuthenticationErrorDetail>",
      ),
      url: AZURE_URL,
      code: "expired",
    },
    { name: "S3 AccessDenied", status: 403, body: xml("AccessDenied", "Access Denied"), code: "access_denied" },
    {
      name: "S3 SignatureDoesNotMatch",
      status: 403,
      body: xml("SignatureDoesNotMatch", "The request signature we calculated does not match"),
      code: "signature_mismatch",
    },
    {
      name: "Azure AuthenticationFailed about the signature",
      status: 403,
      body: xml(
        "AuthenticationFailed",
        "Server failed to authenticate the request.",
        "<AuthenticationErrorDetail>Signature did not match.</AuthenticationErrorDetail>",
      ),
      url: AZURE_URL,
      code: "signature_mismatch",
    },
    { name: "S3 NoSuchKey", status: 404, body: xml("NoSuchKey", "The specified key does not exist."), code: "not_found" },
    { name: "Azure BlobNotFound", status: 404, body: xml("BlobNotFound", "The specified blob does not exist."), url: AZURE_URL, code: "not_found" },
    {
      name: "S3 RequestTimeTooSkewed",
      status: 403,
      body: xml("RequestTimeTooSkewed", "The difference between the request time and the current time is too large."),
      code: "clock_skew",
    },
    {
      name: "S3 BadDigest",
      status: 400,
      body: xml("BadDigest", "The Content-MD5 you specified did not match what we received."),
      code: "bad_digest",
    },
    { name: "S3 InvalidDigest", status: 400, body: xml("InvalidDigest", "The Content-MD5 you specified was invalid."), code: "bad_digest" },
    {
      name: "Azure Md5Mismatch",
      status: 400,
      body: xml("Md5Mismatch", "The MD5 value specified in the request did not match."),
      url: AZURE_URL,
      code: "bad_digest",
    },
    { name: "S3 NoSuchUpload", status: 404, body: xml("NoSuchUpload", "The specified upload does not exist."), code: "no_such_upload" },
    {
      name: "S3 EntityTooSmall",
      status: 400,
      body: xml("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size"),
      code: "entity_too_small",
    },
    {
      name: "S3 PreconditionFailed",
      status: 412,
      body: xml("PreconditionFailed", "At least one of the pre-conditions you specified did not hold"),
      code: "precondition_failed",
    },
    {
      name: "Azure ConditionNotMet",
      status: 412,
      body: xml("ConditionNotMet", "The condition specified using HTTP conditional header(s) is not met."),
      url: AZURE_URL,
      code: "precondition_failed",
    },
    { name: "an unknown code", status: 400, body: xml("InvalidArgument", "Something else"), code: "other" },
  ];
  for (const { name, status, body, url, code } of cases) {
    it(name, async () => {
      const error = await errorOf(status, body, url);
      expect(error).toBeInstanceOf(StorageError);
      expect(error).toMatchObject({ kind: "storage", code, status, attempts: 1 });
    });
  }

  it("keeps the raw code, the messages, the request id, and says what it means", async () => {
    const error = await errorOf(403, xml("AccessDenied", "Request has expired"));
    expect(error).toMatchObject({ storage: "s3", storageCode: "AccessDenied", messages: ["Request has expired"], requestId: "REQ123" });
    expect(error.message).toMatch(
      /^s3 403: the presigned URL has expired; get a fresh one \[AccessDenied\] \(GET https:\/\/bucket\.s3\.amazonaws\.com\/key\.csv\?/,
    );
    expect(error.request).toMatch(/^GET https:\/\/bucket/);
  });

  it("tells the user what a signature mismatch usually means", async () => {
    const error = await errorOf(403, xml("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided."));
    expect(error.message).toContain("a header the URL was signed with differs (Content-Type, Content-MD5…)");
  });

  it("reads GCS's Details and Azure's AuthenticationErrorDetail, decoding XML entities", async () => {
    const gcs = await errorOf(400, xml("ExpiredToken", "Token &amp; all", "<Details>expired at: 2030&#45;01&#x2D;01</Details>"), GCS_URL);
    expect(gcs).toMatchObject({ storage: "gcs", messages: ["Token & all", "expired at: 2030-01-01"] });
    const azure = await errorOf(
      403,
      xml(
        "AuthenticationFailed",
        "Server failed",
        "<AuthenticationErrorDetail>Signature not valid in the specified time frame</AuthenticationErrorDetail>",
      ),
      AZURE_URL,
    );
    expect(azure).toMatchObject({
      storage: "azure",
      code: "expired",
      messages: ["Server failed", "Signature not valid in the specified time frame"],
    });
  });

  it("reads Azure's x-ms-error-code header when there is no body (a HEAD)", async () => {
    const error = await errorOf(404, null, AZURE_URL, { "x-ms-error-code": "BlobNotFound", "x-ms-request-id": "az-req-1" });
    expect(error).toMatchObject({ code: "not_found", storageCode: "BlobNotFound", storage: "azure", requestId: "az-req-1" });
  });
});

describe("storageErrorOf: bodies that are not S3 XML", () => {
  it.each([
    ["HTML", 403, "<html><body><h1>403 Forbidden</h1></body></html>", "access_denied"],
    ["JSON", 404, '{"error":"not here"}', "not_found"],
    ["garbage", 500, "\u0000\u0001\uFFFD<Error><Code>", "other"],
    ["nothing", 412, "", "precondition_failed"],
    ["unclosed tags", 400, "<Error><Code>BadDigest<Message>x", "other"],
  ])("%s still gives a StorageError with the status", async (_name, status, body, code) => {
    const error = await errorOf(status as number, body as string, "https://files.example/x");
    expect(error).toMatchObject({ kind: "storage", status, code, storage: "unknown", messages: [] });
    expect(error.message).toMatch(new RegExp(`^storage ${status}: `));
  });

  it("reads at most 64 KiB of an endless body, and cancels it", async () => {
    let pulled = 0;
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 16 * 1024;
        controller.enqueue(new TextEncoder().encode(`<Error><Code>AccessDenied</Code>${"x".repeat(16 * 1024 - 32)}`));
      },
      cancel() {
        cancelled = true;
      },
    });
    const error = await errorOf(403, endless);
    expect(error.code).toBe("access_denied");
    expect(pulled).toBeLessThanOrEqual(128 * 1024);
    expect(cancelled).toBe(true);
  });

  it("does not wait for ever on a body that stalls", async () => {
    vi.useFakeTimers();
    const stalled = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(xml("AccessDenied", "Access Denied").slice(0, 40)));
      },
    });
    const pending = errorOf(403, stalled);
    await vi.advanceTimersByTimeAsync(10_000);
    await expect(pending).resolves.toMatchObject({ kind: "storage", status: 403, code: "access_denied" });
  });

  it("survives a body that breaks mid-way", async () => {
    const breaking = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("<Error><Code>NoSuchKey</Code>"));
        controller.error(new Error("socket hang up"));
      },
    });
    await expect(errorOf(404, breaking)).resolves.toMatchObject({ code: "not_found" });
  });

  it("survives a hostile body built to make a parser crawl", async () => {
    const body = `<Error>${"<Code>".repeat(10_000)}${"<Message>".repeat(5_000)}`;
    const started = performance.now();
    const error = await errorOf(400, body);
    expect(error.code).toBe("other");
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe("storageErrorOf: nothing secret, nothing huge", () => {
  it("redacts the signature and every query value of the URL, wherever they are echoed", async () => {
    const credential = "AKIAEXAMPLE/20300101/us-east-1/s3/aws4_request";
    const body = xml(
      "SignatureDoesNotMatch",
      `expected ${SIGNATURE} for ${S3_URL} with ${credential} and ${encodeURIComponent(credential)}`,
      "<StringToSign>AWS4-HMAC-SHA256 secret</StringToSign><AWSAccessKeyId>AKIAEXAMPLE</AWSAccessKeyId>",
    );
    const error = await errorOf(403, body);
    const everything = [error.message, JSON.stringify(error), inspect(error, { depth: 5 })].join("\n");
    expect(everything).not.toContain(SIGNATURE);
    expect(everything).not.toContain(SIGNATURE.slice(0, 40));
    expect(everything).not.toContain(credential);
    expect(everything).not.toContain("AWS4-HMAC-SHA256 secret");
    expect(everything).toContain("[REDACTED]");
  });

  it("redacts an Azure SAS signature and anything long that looks like a key", async () => {
    const key = "c2VjcmV0LXNhcy1zaWduYXR1cmUtd2l0aC1tb3JlLWJ5dGVzLXRvLW1ha2UtaXQtbG9uZw==";
    const error = await errorOf(403, xml("AuthenticationFailed", `sig=c2VjcmV0LXNhcy1zaWduYXR1cmU= key ${key}`), AZURE_URL);
    expect(JSON.stringify(error)).not.toContain("c2VjcmV0LXNhcy1zaWduYXR1cmU");
  });

  it("cuts long messages and keeps at most a few", async () => {
    const error = await errorOf(400, xml("InvalidArgument", "m".repeat(50_000), "<Details>d</Details>"));
    expect(error.messages[0]!.length).toBeLessThanOrEqual(301);
    expect(error.message.length).toBeLessThan(1_500);
  });

  it("is a PresignError whose JSON carries its fields", async () => {
    const error = await errorOf(404, xml("NoSuchKey", "The specified key does not exist."));
    expect(error).toBeInstanceOf(PresignError);
    expect(error.name).toBe("StorageError");
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({
      name: "StorageError",
      kind: "storage",
      provider: "storage",
      status: 404,
      code: "not_found",
      storageCode: "NoSuchKey",
      storage: "s3",
      attempts: 1,
    });
  });
});

describe("TaskFailedError", () => {
  it("carries the task's logs", () => {
    const error = new TaskFailedError("spaaza: the export task 7 ended in ERROR", { provider: "spaaza", logs: ["disk full"] });
    expect(error).toBeInstanceOf(PresignError);
    expect(error).toMatchObject({ kind: "task_failed", name: "TaskFailedError", logs: ["disk full"], provider: "spaaza" });
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ kind: "task_failed", logs: ["disk full"] });
  });
});
