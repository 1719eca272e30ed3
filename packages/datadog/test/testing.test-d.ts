import { datadog, faults } from "@presign/datadog/testing";
import { describe, expectTypeOf, it } from "vitest";

// Type tests are compiled, never run.
describe("handler overrides", () => {
  it("take the success body, a resolver with the typed body, or a fault", () => {
    datadog.getTestFileDownloadUrl({ url: "https://files.example/x" });
    datadog.getTestFileDownloadUrl(faults.rateLimited({ retryAfter: 1 }));
    datadog.completeTestFileMultipartUpload(({ params, body }) => {
      expectTypeOf(params).toEqualTypeOf<{ public_id: string }>();
      expectTypeOf(body.parts[0]!.ETag).toEqualTypeOf<string>();
      return undefined;
    });
  });

  it("refuse a body that isn't the success body", () => {
    // @ts-expect-error url is a string
    datadog.getTestFileDownloadUrl({ url: 42 });
    // @ts-expect-error a 204 operation has no body to give
    datadog.completeTestFileMultipartUpload({ done: true });
  });
});
