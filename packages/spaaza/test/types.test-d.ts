import { describe, expectTypeOf, it } from "vitest";
import { createSpaazaClient, type GetTaskDownloadUrlInput, type NotFoundError, type PresignError, type SpaazaClient } from "../src/index.js";

// Type tests are compiled, never run: a declared client is enough.
declare const client: SpaazaClient;

describe("inputs", () => {
  it("takes an integer id and an optional API version", () => {
    client.getTaskDownloadUrl({ id: 12345 });
    client.getTaskDownloadUrl({ id: 12345, apiVersion: "1.4.0" });
    expectTypeOf<GetTaskDownloadUrlInput>().toEqualTypeOf<{ id: number; apiVersion?: string }>();
  });

  it("rejects a string id", () => {
    // @ts-expect-error the task id is an integer
    client.getTaskDownloadUrl({ id: "12345" });
  });

  it("rejects a missing id", () => {
    // @ts-expect-error id is required
    client.getTaskDownloadUrl({ apiVersion: "1.4.0" });
    // @ts-expect-error the input itself is required
    client.getTaskDownloadUrl();
  });

  it("rejects an unknown field", () => {
    // @ts-expect-error chain is not an input of this operation
    client.getTaskDownloadUrl({ id: 1, chain: 1744 });
  });
});

describe("client options", () => {
  it("takes a host or baseUrl and either credential form", () => {
    createSpaazaClient({ host: "services-test01.spaaza.com", accessToken: "id:secret" });
    createSpaazaClient({ baseUrl: "https://spaaza.example.com", sessionUserId: "u", sessionKey: "k", sessionChainId: "c" });
    // @ts-expect-error session values are strings
    createSpaazaClient({ host: "h", sessionUserId: 1, sessionKey: "k", sessionChainId: "c" });
    // @ts-expect-error the header name is not an option
    createSpaazaClient({ host: "h", "X-Spaaza-Session-Key": "k" });
  });
});

describe("results", () => {
  it("types the download URL result", () => {
    expectTypeOf(client.getTaskDownloadUrl).returns.resolves.toEqualTypeOf<{ url: string }>();
  });

  it("exports error classes with typed fields", () => {
    expectTypeOf<NotFoundError>().toExtend<PresignError>();
    expectTypeOf<PresignError["code"]>().toEqualTypeOf<string | number | undefined>();
  });
});
