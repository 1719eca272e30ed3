import { describe, expectTypeOf, it } from "vitest";
import { createPowerdrillClient, type PowerdrillClient, type PresignDataSourceInput, type PresignError, type ServerError } from "../src/index.js";

// Type tests are compiled, never run: a declared client is enough.
declare const client: PowerdrillClient;
const ids = { datasetId: "ds-1", datasourceId: "src-1" } as const;

describe("inputs", () => {
  it("takes camelCase keys for the snake_case wire fields", () => {
    client.presignDataSource({ ...ids, userId: "u" });
    client.presignDataSource({ ...ids, userId: "u", expiresIn: 600, externalTraceId: "t" });
    expectTypeOf<PresignDataSourceInput>().toEqualTypeOf<{
      datasetId: string;
      datasourceId: string;
      externalTraceId?: string;
      userId: string;
      expiresIn?: number;
    }>();
  });

  it("rejects wrong types", () => {
    // @ts-expect-error datasetId is a string
    client.presignDataSource({ datasetId: 1, datasourceId: "s", userId: "u" });
    // @ts-expect-error expiresIn is a number of seconds
    client.presignDataSource({ ...ids, userId: "u", expiresIn: "600" });
  });

  it("rejects a missing required field", () => {
    // @ts-expect-error userId is required
    client.presignDataSource({ ...ids });
    // @ts-expect-error datasourceId is required
    client.presignDataSource({ datasetId: "d", userId: "u" });
  });

  it("rejects an unknown field, including the wire names", () => {
    // @ts-expect-error user_id is the wire name; the input is userId
    client.presignDataSource({ ...ids, userId: "u", user_id: "u" });
    // @ts-expect-error expires_in is the wire name; the input is expiresIn
    client.presignDataSource({ ...ids, userId: "u", expires_in: 600 });
  });
});

describe("client options", () => {
  it("takes an optional string API key", () => {
    createPowerdrillClient();
    createPowerdrillClient({ apiKey: "k" });
    // @ts-expect-error the key is a string
    createPowerdrillClient({ apiKey: 1 });
    // @ts-expect-error the header name is not an option
    createPowerdrillClient({ "x-pd-api-key": "k" });
  });
});

describe("results", () => {
  it("types the success envelope", () => {
    expectTypeOf(client.presignDataSource).returns.resolves.toEqualTypeOf<{
      code: number;
      data: { presigned_url: string; expires_at: string };
    }>();
  });

  it("exports error classes with typed fields", () => {
    expectTypeOf<ServerError>().toExtend<PresignError>();
    expectTypeOf<PresignError["code"]>().toEqualTypeOf<string | number | undefined>();
    expectTypeOf<PresignError["requestId"]>().toEqualTypeOf<string | undefined>();
  });
});
