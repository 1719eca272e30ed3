import { faults, powerdrill } from "@presign/powerdrill/testing";
import { describe, expectTypeOf, it } from "vitest";

// Type tests are compiled, never run.
describe("handler overrides", () => {
  it("take the success envelope, a resolver, a shared fault or Powerdrill's apiError", () => {
    powerdrill.presignDataSource({ code: 0, data: { presigned_url: "https://files.example/a", expires_at: "2030-01-01T00:00:00Z" } });
    powerdrill.presignDataSource(faults.apiError({ code: 300003, times: 1 }));
    powerdrill.presignDataSource(faults.serverError({ status: 503 }));
    powerdrill.initMultipartUpload(({ body }) => {
      expectTypeOf(body.file_size).toEqualTypeOf<number>();
      return new Response();
    });
  });

  it("refuse a body that isn't the success body", () => {
    // @ts-expect-error the presigned URL sits under `data`
    powerdrill.presignDataSource({ code: 0, presigned_url: "https://files.example/a" });
    // @ts-expect-error apiError needs a code
    faults.apiError({ message: "no code" });
  });
});
