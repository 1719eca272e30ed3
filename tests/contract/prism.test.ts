// Contract test: every operation of the four built clients (`@presign/*` dist) is sent to a Prism
// mock of its spec (`prism mock specs/<p>.yaml --errors`). Prism validates each request (auth,
// path, query, headers, body) against the spec and answers with the spec's examples, which the
// clients must return as typed results. Requests that break the spec are shown to be rejected, so
// a client that sent them would fail here.
//
// Prism 5.14.2 behaviour this relies on (pinned in the last describe block):
// - an invalid request is answered with the spec's 401 / 422 / 400 response (or a Prism
//   problem+json 401 / 422 when the spec has none), with or without --errors;
// - --errors additionally turns a mocked response that violates the spec's response schema
//   (a wrong example) into a 500, instead of sending it with only an `sl-violations` header.
import {
  type DatadogClientOptions,
  type components as DatadogComponents,
  type Middleware,
  createDatadogClient,
  definition as datadogDefinition,
} from "@presign/datadog";
import { type components as DatalabComponents, createDatalabClient, definition as datalabDefinition } from "@presign/datalab";
import { type components as PowerdrillComponents, createPowerdrillClient, definition as powerdrillDefinition } from "@presign/powerdrill";
import { type SpaazaClientOptions, type components as SpaazaComponents, createSpaazaClient, definition as spaazaDefinition } from "@presign/spaaza";
import { AuthenticationError, InvalidRequestError, PresignError } from "@presign/core";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { type PrismMock, runningCount, startAll } from "./prism-mock.js";

const definitions = {
  datadog: datadogDefinition,
  spaaza: spaazaDefinition,
  datalab: datalabDefinition,
  powerdrill: powerdrillDefinition,
} as const;
type Provider = keyof typeof definitions;
const providers = Object.keys(definitions) as Provider[];

let mocks: Record<Provider | "probe" | "probeNoErrors", PrismMock>;

beforeAll(async () => {
  mocks = await startAll({
    datadog: { spec: "specs/datadog.yaml" },
    spaaza: { spec: "specs/spaaza.yaml" },
    datalab: { spec: "specs/datalab.yaml" },
    powerdrill: { spec: "specs/powerdrill.yaml" },
    probe: { spec: "tests/contract/fixtures/prism-errors-probe.yaml" },
    probeNoErrors: { spec: "tests/contract/fixtures/prism-errors-probe.yaml", errors: false },
  });
}, 60_000);

afterAll(async () => {
  await Promise.all(Object.values(mocks ?? {}).map((mock) => mock.stop()));
  expect(runningCount(), "Prism processes left running").toBe(0);
}, 30_000);

// ---------------------------------------------------------------------------------------------
// Wire recording: what reached Prism, what it answered, and the violations it reported.

interface Exchange {
  provider: Provider;
  method: string;
  path: string;
  query: string;
  status: number;
  /** Names (lower case) of the request headers as the hooks see them (credentials are added later). */
  headers: string[];
  /** Prism's `sl-violations` header: request/response spec violations, warnings included. */
  violations?: { location: string[]; severity: string; code: string | number; message: string }[];
}

const exchanges: Exchange[] = [];

function recorder(provider: Provider): Middleware {
  return {
    onResponse({ request, response }) {
      const url = new URL(request.url);
      const violations = response.headers.get("sl-violations");
      exchanges.push({
        provider,
        method: request.method,
        path: url.pathname,
        query: url.search,
        status: response.status,
        headers: [...request.headers.keys()],
        violations: violations ? JSON.parse(violations) : undefined,
      });
    },
  };
}

/** Options every client gets: the mock as server, no retries (every request reaches Prism once), the recorder. */
function transportOptions(provider: Provider) {
  return { baseUrl: mocks[provider].baseUrl, maxRetries: 0, timeout: 5_000, middleware: [recorder(provider)] };
}

/**
 * Runs one client call that must succeed: exactly one request reached Prism, Prism found nothing
 * wrong with it or with its own answer, and the call resolved.
 */
async function accepted<T>(provider: Provider, call: () => Promise<T>): Promise<{ result: T; exchange: Exchange }> {
  const before = exchanges.length;
  let result: T;
  try {
    result = await call();
  } catch (error) {
    const exchange = exchanges.at(-1);
    const detail = exchange && exchanges.length > before ? ` Prism answered ${exchange.status}, violations: ${JSON.stringify(exchange.violations)}` : "";
    throw new Error(`${provider}: the call was rejected: ${error}.${detail}`, { cause: error });
  }
  expect(exchanges.length - before, "requests that reached Prism").toBe(1);
  const exchange = exchanges.at(-1)!;
  expect(exchange.violations, `${provider}: Prism reported spec violations`).toBeUndefined();
  expect(exchange.status).toBeLessThan(300);
  return { result: result!, exchange };
}

/** Runs one client call that must be rejected with a typed error, and returns it. */
async function rejected(call: () => Promise<unknown>): Promise<PresignError> {
  const error = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PresignError);
  return error as PresignError;
}

// ---------------------------------------------------------------------------------------------
// Every operation through the typed clients.

const DD = {
  publicId: "abc-def-123",
  bucketKey: "api-upload-file/abc-def-123/2024-01-01T00:00:00_uuid.json",
  key: "org-123/api-upload-file/abc-def-123/2024-01-01T00:00:00_uuid.json",
  uploadId: "upload-id-abc123",
};

// Prism checks the security requirement of every operation, so a 2xx proves the credentials of
// that alternative were sent. (Middleware never sees credential headers: the transport adds them
// after the hooks, so the recorder cannot list them.)
describe.each<{ auth: string; credentials: Pick<DatadogClientOptions, "apiKey" | "appKey" | "accessToken"> }>([
  { auth: "API key + application key", credentials: { apiKey: "dd-api-key-0000", appKey: "dd-app-key-0000" } },
  { auth: "OAuth bearer token", credentials: { accessToken: "dd-oauth-token-0000" } },
])("datadog through Prism ($auth)", ({ credentials }) => {
  const client = () => createDatadogClient({ ...credentials, ...transportOptions("datadog") });

  it("getTestFileDownloadUrl returns the presigned download URL", async () => {
    const { result, exchange } = await accepted("datadog", () => client().getTestFileDownloadUrl({ publicId: DD.publicId, bucketKey: DD.bucketKey }));
    expectTypeOf(result).toEqualTypeOf<DatadogComponents["schemas"]["SyntheticsTestFileDownloadResponse"]>();
    expect(result).toEqual({ url: "https://storage.example.com/presigned-download-url" });
    expect(exchange).toMatchObject({ method: "POST", path: "/api/v2/synthetics/tests/abc-def-123/files/download", status: 200 });
  });

  it("getTestFileMultipartPresignedUrls returns the multipart upload parameters", async () => {
    const { result, exchange } = await accepted("datadog", () =>
      client().getTestFileMultipartPresignedUrls({
        publicId: DD.publicId,
        bucketKeyPrefix: "api-upload-file",
        parts: [
          { md5: "1B2M2Y8AsgTpgAmY7PhCfg==", partNumber: 1 },
          { md5: "XrY7u+Ae7tCTyyK7j1rNww==", partNumber: 2 },
        ],
      }),
    );
    expectTypeOf(result).toEqualTypeOf<DatadogComponents["schemas"]["SyntheticsTestFileMultipartPresignedUrlsResponse"]>();
    expect(result).toEqual({
      bucketKey: DD.bucketKey,
      multipart_presigned_urls_params: {
        key: DD.key,
        upload_id: DD.uploadId,
        urls: { "1": "https://storage.example.com/presigned-part-1", "2": "https://storage.example.com/presigned-part-2" },
      },
    });
    expect(result.multipart_presigned_urls_params?.urls?.["2"]).toBe("https://storage.example.com/presigned-part-2");
    expect(exchange).toMatchObject({ method: "POST", path: "/api/v2/synthetics/tests/abc-def-123/files/multipart-presigned-urls", status: 200 });
  });

  it("getTestFileMultipartPresignedUrls accepts the other bucket key prefix", async () => {
    await accepted("datadog", () =>
      client().getTestFileMultipartPresignedUrls({
        publicId: DD.publicId,
        bucketKeyPrefix: "browser-upload-file-step",
        parts: [{ md5: "1B2M2Y8AsgTpgAmY7PhCfg==", partNumber: 1 }],
      }),
    );
  });

  it("completeTestFileMultipartUpload resolves to undefined on 204", async () => {
    const { result, exchange } = await accepted("datadog", () =>
      client().completeTestFileMultipartUpload({
        publicId: DD.publicId,
        key: DD.key,
        uploadId: DD.uploadId,
        parts: [{ ETag: '"d41d8cd98f00b204e9800998ecf8427e"', PartNumber: 1 }],
      }),
    );
    expectTypeOf(result).toEqualTypeOf<void>();
    expect(result).toBeUndefined();
    expect(exchange).toMatchObject({ method: "POST", path: "/api/v2/synthetics/tests/abc-def-123/files/multipart-upload-complete", status: 204 });
  });

  it("abortTestFileMultipartUpload resolves to undefined on 204", async () => {
    const { result, exchange } = await accepted("datadog", () =>
      client().abortTestFileMultipartUpload({ publicId: DD.publicId, key: DD.key, uploadId: DD.uploadId }),
    );
    expectTypeOf(result).toEqualTypeOf<void>();
    expect(result).toBeUndefined();
    expect(exchange).toMatchObject({ method: "POST", path: "/api/v2/synthetics/tests/abc-def-123/files/multipart-upload-abort", status: 204 });
  });
});

describe.each<{ auth: string; credentials: Pick<SpaazaClientOptions, "accessToken" | "sessionUserId" | "sessionKey" | "sessionChainId"> }>([
  { auth: "privileged token", credentials: { accessToken: "3f2b8c1e-6a7d-4e21-9b0a-5c4d3e2f1a0b:sp-secret-0000" } },
  { auth: "admin session", credentials: { sessionUserId: "42", sessionKey: "sp-session-key-0000", sessionChainId: "1743" } },
])("spaaza through Prism ($auth)", ({ credentials }) => {
  const client = () => createSpaazaClient({ ...credentials, ...transportOptions("spaaza") });
  const expected = { url: "https://storage.example.com/Transaction_Export-12345.csv?signature=opaque" };

  it("getTaskDownloadUrl returns the export file URL (integer id)", async () => {
    const { result, exchange } = await accepted("spaaza", () => client().getTaskDownloadUrl({ id: 12345 }));
    expectTypeOf(result).toEqualTypeOf<SpaazaComponents["schemas"]["TaskDownloadUrlResponse"]>();
    expect(result).toEqual(expected);
    expect(exchange).toMatchObject({ method: "GET", path: "/tasks/12345/download_url", status: 200 });
    expect(exchange.headers).not.toContain("x-spaaza-api-version");
  });

  it("getTaskDownloadUrl sends the API version header when given", async () => {
    const { result, exchange } = await accepted("spaaza", () => client().getTaskDownloadUrl({ id: 1, apiVersion: "1.2.3" }));
    expect(result).toEqual(expected);
    expect(exchange).toMatchObject({ path: "/tasks/1/download_url" });
    expect(exchange.headers).toContain("x-spaaza-api-version");
  });
});

describe("datalab through Prism", () => {
  const client = () => createDatalabClient({ apiKey: "dl-api-key-0000", ...transportOptions("datalab") });
  const expected = {
    download_url: "https://storage.example.com/files/report.pdf?signature=opaque",
    expires_in: 3600,
    file_id: 12345,
    original_filename: "report.pdf",
  };

  it("getFileDownloadUrl returns the download URL and its metadata", async () => {
    const { result, exchange } = await accepted("datalab", () => client().getFileDownloadUrl({ fileId: 12345 }));
    expectTypeOf(result).toEqualTypeOf<DatalabComponents["schemas"]["FileDownloadResponse"]>();
    expect(result).toEqual(expected);
    expect(exchange).toMatchObject({ method: "GET", path: "/api/v1/files/12345/download", query: "", status: 200 });
  });

  it.each([60, 3600, 86400])("getFileDownloadUrl accepts expiresIn %i (the bounds are inclusive)", async (expiresIn) => {
    const { result, exchange } = await accepted("datalab", () => client().getFileDownloadUrl({ fileId: 12345, expiresIn }));
    expect(result).toEqual(expected);
    expect(exchange.query).toBe(`?expires_in=${expiresIn}`);
  });

  it.each([59, 86401, 1.5])("getFileDownloadUrl refuses expiresIn %s before sending, as the spec does", async (expiresIn) => {
    const before = exchanges.length;
    const error = await rejected(() => client().getFileDownloadUrl({ fileId: 12345, expiresIn }));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(exchanges.length).toBe(before);
  });
});

describe("powerdrill through Prism", () => {
  const client = () => createPowerdrillClient({ apiKey: "pd-api-key-0000", ...transportOptions("powerdrill") });
  const expected = {
    code: 0,
    data: {
      presigned_url:
        "https://example-bucket.s3.amazonaws.com/datasource.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20240924T143419Z&X-Amz-Expires=599&X-Amz-Signature=opaque",
      expires_at: "2024-09-24T14:44:18Z",
    },
  };

  it("presignDataSource returns the presigned URL with every field", async () => {
    const { result, exchange } = await accepted("powerdrill", () =>
      client().presignDataSource({ datasetId: "dset-1", datasourceId: "dsrc-1", userId: "tmm-user-0001", expiresIn: 600, externalTraceId: "trace-0001" }),
    );
    expectTypeOf(result).toEqualTypeOf<PowerdrillComponents["schemas"]["PresignDataSourceResponse"]>();
    expect(result).toEqual(expected);
    expect(exchange).toMatchObject({ method: "POST", path: "/v2/team/datasets/dset-1/datasources/dsrc-1/presign", status: 200 });
    expect(exchange.headers).toEqual(expect.arrayContaining(["x-pd-external-trace-id", "content-type"]));
  });

  it("presignDataSource works with only the required fields", async () => {
    const { result, exchange } = await accepted("powerdrill", () => client().presignDataSource({ datasetId: "dset-1", datasourceId: "dsrc-1", userId: "u" }));
    expect(result).toEqual(expected);
    expect(exchange.headers).not.toContain("x-pd-external-trace-id");
  });
});

describe("coverage", () => {
  it("every operation of every provider got a clean 2xx from Prism", () => {
    for (const provider of providers) {
      const operations = Object.entries(definitions[provider].operations) as [string, { method: string; path: string }][];
      expect(operations.length).toBeGreaterThan(0);
      for (const [name, { method, path }] of operations) {
        const pattern = new RegExp(`^${path.replace(/\{[^}]+\}/g, "[^/]+")}$`);
        const hits = exchanges.filter((e) => e.provider === provider && e.method === method && pattern.test(e.path) && e.status < 300 && !e.violations);
        expect(hits.length, `${provider}.${name} (${method} ${path}) was never accepted by Prism`).toBeGreaterThan(0);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The test can fail: requests the spec forbids are rejected by Prism, and a client that sent
// them would see its call fail.

describe("Prism rejects requests that break the spec", () => {
  it("datadog: a body without the required bucketKey gets 400 (raw client)", async () => {
    const client = createDatadogClient({ apiKey: "dd-api-key-0000", appKey: "dd-app-key-0000", ...transportOptions("datadog") });
    const { data, error, response } = await client.raw.POST("/api/v2/synthetics/tests/{public_id}/files/download", {
      params: { path: { public_id: DD.publicId } },
      // @ts-expect-error bucketKey is required
      body: {},
    });
    expect(data).toBeUndefined();
    expect(response.status).toBe(400);
    expect(error).toEqual({ errors: ["Bad Request"] });
    expect(exchanges.at(-1)?.violations).toEqual([expect.objectContaining({ code: "required", message: expect.stringContaining("bucketKey") })]);
  });

  it("datadog: an unknown body field and a part number of 0 get 400 (raw client)", async () => {
    const client = createDatadogClient({ apiKey: "dd-api-key-0000", appKey: "dd-app-key-0000", ...transportOptions("datadog") });
    const extra = await client.raw.POST("/api/v2/synthetics/tests/{public_id}/files/download", {
      params: { path: { public_id: DD.publicId } },
      body: { bucketKey: DD.bucketKey, bucket_key: DD.bucketKey } as { bucketKey: string },
    });
    expect(extra.response.status).toBe(400);
    const part0 = await client.raw.POST("/api/v2/synthetics/tests/{public_id}/files/multipart-presigned-urls", {
      params: { path: { public_id: DD.publicId } },
      body: { bucketKeyPrefix: "api-upload-file", parts: [{ md5: "1B2M2Y8AsgTpgAmY7PhCfg==", partNumber: 0 }] },
    });
    expect(part0.response.status).toBe(400);
  });

  it("datadog: a typed call whose request gets corrupted on the way fails with InvalidRequestError", async () => {
    // Stands in for a client bug: the body loses its required field after the client built it.
    const dropBody: Middleware = {
      onRequest: ({ request }) => new Request(request, { body: "{}" }),
    };
    const client = createDatadogClient({ apiKey: "dd-api-key-0000", appKey: "dd-app-key-0000", ...transportOptions("datadog"), middleware: [dropBody, recorder("datadog")] });
    const error = await rejected(() => client.getTestFileDownloadUrl({ publicId: DD.publicId, bucketKey: DD.bucketKey }));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ status: 400, messages: ["Bad Request"] });
  });

  it("spaaza: a task id that is not a positive integer gets 422 (raw client)", async () => {
    const client = createSpaazaClient({ accessToken: "sp-token-id:sp-secret-0000", ...transportOptions("spaaza") });
    const zero = await client.raw.GET("/tasks/{id}/download_url", { params: { path: { id: 0 } } });
    expect(zero.response.status).toBe(422);
    expect(zero.data).toBeUndefined();
    const text = await client.raw.GET("/tasks/{id}/download_url", { params: { path: { id: "abc" as unknown as number } } });
    expect(text.response.status).toBe(422);
    expect(exchanges.at(-1)?.violations).toEqual([expect.objectContaining({ location: ["request", "path", "id"], code: "type" })]);
    const version = await client.raw.GET("/tasks/{id}/download_url", { params: { path: { id: 1 }, header: { "X-Spaaza-API-Version": "v1" } } });
    expect(version.response.status).toBe(422);
  });

  it("datalab: expires_in outside 60..86400 gets 422 (raw client)", async () => {
    const client = createDatalabClient({ apiKey: "dl-api-key-0000", ...transportOptions("datalab") });
    for (const expires_in of [59, 86401]) {
      const { data, error, response } = await client.raw.GET("/api/v1/files/{file_id}/download", {
        params: { path: { file_id: 12345 }, query: { expires_in } },
      });
      expect(data).toBeUndefined();
      expect(response.status).toBe(422);
      expect(error).toMatchObject({ detail: [expect.objectContaining({ type: "int_parsing" })] }); // the spec's only 422 example
      expect(exchanges.at(-1)?.violations).toEqual([expect.objectContaining({ location: ["request", "query", "expires_in"] })]);
    }
  });

  it("powerdrill: a body without user_id gets 400 with code 300001 (raw client)", async () => {
    const client = createPowerdrillClient({ apiKey: "pd-api-key-0000", ...transportOptions("powerdrill") });
    const { data, error, response } = await client.raw.POST("/v2/team/datasets/{dataset_id}/datasources/{datasource_id}/presign", {
      params: { path: { dataset_id: "dset-1", datasource_id: "dsrc-1" } },
      // @ts-expect-error user_id is required
      body: { expires_in: 600 },
    });
    expect(data).toBeUndefined();
    expect(response.status).toBe(400);
    expect(error).toEqual({ code: 300001, msg: "invalid parameters" });
    const tooShort = await client.raw.POST("/v2/team/datasets/{dataset_id}/datasources/{datasource_id}/presign", {
      params: { path: { dataset_id: "dset-1", datasource_id: "dsrc-1" } },
      body: { user_id: "u", expires_in: 59 },
    });
    expect(tooShort.response.status).toBe(400);
  });

  // The presign transport always adds the credentials, so these bypass it with a per-request
  // `fetch`: the same raw openapi-fetch client, minus auth.
  const noAuth = { fetch: (request: Request) => globalThis.fetch(request) };

  it("datadog: no credentials, or only half of the key pair, gets 401 (raw client)", async () => {
    const client = createDatadogClient({ apiKey: "dd-api-key-0000", appKey: "dd-app-key-0000", baseUrl: mocks.datadog.baseUrl, maxRetries: 0 });
    const none = await client.raw.POST("/api/v2/synthetics/tests/{public_id}/files/download", {
      params: { path: { public_id: DD.publicId } },
      body: { bucketKey: DD.bucketKey },
      ...noAuth,
    });
    expect(none.response.status).toBe(401);
    const half = await client.raw.POST("/api/v2/synthetics/tests/{public_id}/files/download", {
      params: { path: { public_id: DD.publicId } },
      body: { bucketKey: DD.bucketKey },
      headers: { "DD-API-KEY": "dd-api-key-0000" },
      ...noAuth,
    });
    expect(half.response.status).toBe(401);
  });

  it("spaaza: no credentials, or an incomplete admin session, gets 401 (raw client)", async () => {
    const client = createSpaazaClient({ accessToken: "sp-token-id:sp-secret-0000", baseUrl: mocks.spaaza.baseUrl, maxRetries: 0 });
    const none = await client.raw.GET("/tasks/{id}/download_url", { params: { path: { id: 12345 } }, ...noAuth });
    expect(none.response.status).toBe(401);
    const partial = await client.raw.GET("/tasks/{id}/download_url", {
      params: { path: { id: 12345 } },
      headers: { "X-Spaaza-Session-User-Id": "42", "X-Spaaza-Session-Key": "sp-session-key-0000" },
      ...noAuth,
    });
    expect(partial.response.status).toBe(401);
  });

  it("datalab and powerdrill: no API key gets 401 (raw client)", async () => {
    const datalab = createDatalabClient({ apiKey: "dl-api-key-0000", baseUrl: mocks.datalab.baseUrl, maxRetries: 0 });
    const dl = await datalab.raw.GET("/api/v1/files/{file_id}/download", { params: { path: { file_id: 12345 } }, ...noAuth });
    expect(dl.response.status).toBe(401);
    expect(dl.error).toEqual({ detail: "Invalid API key provided. Set the X-API-Key header to your API key." });
    const powerdrill = createPowerdrillClient({ apiKey: "pd-api-key-0000", baseUrl: mocks.powerdrill.baseUrl, maxRetries: 0 });
    const pd = await powerdrill.raw.POST("/v2/team/datasets/{dataset_id}/datasources/{datasource_id}/presign", {
      params: { path: { dataset_id: "dset-1", datasource_id: "dsrc-1" } },
      body: { user_id: "u", expires_in: 600 },
      ...noAuth,
    });
    expect(pd.response.status).toBe(401);
  });

  it("a typed call that Prism answers with 401 fails with AuthenticationError", async () => {
    // Stands in for a client that lost its credentials: the hook answers for the server.
    const client = createDatalabClient({
      apiKey: "dl-api-key-0000",
      ...transportOptions("datalab"),
      middleware: [{ onRequest: ({ request }) => globalThis.fetch(new Request(request.url, { method: request.method })) }],
    });
    const error = await rejected(() => client.getFileDownloadUrl({ fileId: 12345 }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, messages: ["Invalid API key provided. Set the X-API-Key header to your API key."] });
  });
});

// ---------------------------------------------------------------------------------------------
// What --errors does on Prism 5.14.2, against a fixture spec.

describe("Prism 5.14.2 --errors behaviour (fixture spec)", () => {
  it("with --errors, a response example that breaks its own schema becomes a 500", async () => {
    const response = await fetch(`${mocks.probe.baseUrl}/broken-example`);
    expect(response.status).toBe(500);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({ type: "https://stoplight.io/prism/errors#VIOLATIONS", status: 500 });
  });

  it("without --errors, the same broken example is sent as a 200 with only an sl-violations header", async () => {
    const response = await fetch(`${mocks.probeNoErrors.baseUrl}/broken-example`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ link: 1 });
    expect(JSON.parse(response.headers.get("sl-violations") ?? "[]")).toEqual(
      expect.arrayContaining([expect.objectContaining({ location: expect.arrayContaining(["response", "body"]) })]),
    );
  });

  it.each(["probe", "probeNoErrors"] as const)("an invalid request is rejected with 422 either way (%s)", async (name) => {
    const response = await fetch(`${mocks[name].baseUrl}/items/abc`);
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ type: "https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY" });
    expect((await fetch(`${mocks[name].baseUrl}/items/7`)).status).toBe(200);
  });

  it("the mocks listen on 127.0.0.1 only", () => {
    for (const mock of Object.values(mocks)) {
      expect(mock.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(mock.log()).toContain(`Prism is listening on ${mock.baseUrl}`);
    }
  });
});
