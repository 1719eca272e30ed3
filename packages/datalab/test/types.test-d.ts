import { describe, expectTypeOf, it } from "vitest";
import { createDatalabClient, type DatalabClient, type GetFileDownloadUrlInput, type NotFoundError, type PresignError } from "../src/index.js";

// Type tests are compiled, never run: a declared client is enough.
declare const client: DatalabClient;

describe("inputs", () => {
  it("takes an integer fileId and an optional expiresIn", () => {
    client.getFileDownloadUrl({ fileId: 12345 });
    client.getFileDownloadUrl({ fileId: 12345, expiresIn: 600 });
    expectTypeOf<GetFileDownloadUrlInput>().toEqualTypeOf<{ fileId: number; expiresIn?: number }>();
  });

  it("rejects a string fileId", () => {
    // @ts-expect-error fileId is an integer
    client.getFileDownloadUrl({ fileId: "12345" });
    // @ts-expect-error expiresIn is a number of seconds
    client.getFileDownloadUrl({ fileId: 1, expiresIn: "3600" });
  });

  it("rejects a missing fileId", () => {
    // @ts-expect-error fileId is required
    client.getFileDownloadUrl({ expiresIn: 600 });
    // @ts-expect-error the input itself is required
    client.getFileDownloadUrl();
  });

  it("rejects an unknown field, including the wire names", () => {
    // @ts-expect-error file_id is the wire name; the input is fileId
    client.getFileDownloadUrl({ fileId: 1, file_id: 1 });
    // @ts-expect-error expires_in is the wire name; the input is expiresIn
    client.getFileDownloadUrl({ fileId: 1, expires_in: 600 });
  });
});

describe("client options", () => {
  it("takes an optional string API key", () => {
    createDatalabClient();
    createDatalabClient({ apiKey: "k", timeout: 5_000, maxRetries: 0 });
    // @ts-expect-error the key is a string
    createDatalabClient({ apiKey: 123 });
    // @ts-expect-error the header name is not an option
    createDatalabClient({ "X-API-Key": "k" });
  });
});

describe("results", () => {
  it("types the download URL result, every field required", () => {
    expectTypeOf(client.getFileDownloadUrl).returns.resolves.toEqualTypeOf<{
      download_url: string;
      expires_in: number;
      file_id: number;
      original_filename: string;
    }>();
    expectTypeOf(client.getFileDownloadUrl).returns.resolves.toHaveProperty("download_url").toEqualTypeOf<string>();
  });

  it("exports error classes with typed fields", () => {
    expectTypeOf<NotFoundError>().toExtend<PresignError>();
    expectTypeOf<PresignError["status"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<PresignError["messages"]>().toEqualTypeOf<string[]>();
  });
});
