import { datalab, faults } from "@presign/datalab/testing";
import { describe, expectTypeOf, it } from "vitest";

// Type tests are compiled, never run.
describe("handler overrides", () => {
  it("take the operation's success body, a resolver or a fault", () => {
    datalab.getFileDownloadUrl({ download_url: "https://files.example/x", expires_in: 60, file_id: 1, original_filename: "x.pdf" });
    datalab.getFileDownloadUrl(() => new Response(null, { status: 404 }));
    datalab.getFileDownloadUrl(faults.rateLimited({ retryAfter: 0, times: 1 }));
    datalab.getFileDownloadUrl();
  });

  it("refuse a body that isn't the success body", () => {
    // @ts-expect-error download_url is a string
    datalab.getFileDownloadUrl({ download_url: 1, expires_in: 60, file_id: 1, original_filename: "x.pdf" });
    // @ts-expect-error file_id and original_filename are required
    datalab.getFileDownloadUrl({ download_url: "https://files.example/x", expires_in: 60 });
    // @ts-expect-error a resolver must return the success body (or a Response)
    datalab.getFile(() => ({ message: "not a file" }));
  });

  it("give a resolver the path and query by wire name, as strings, and the typed JSON body", () => {
    datalab.getFileDownloadUrl(({ params, query }) => {
      expectTypeOf(params).toEqualTypeOf<{ file_id: string }>();
      expectTypeOf(query).toEqualTypeOf<{ expires_in?: string }>();
      return new Response();
    });
    datalab.createFileUpload(({ body }) => {
      expectTypeOf(body).toEqualTypeOf<{ filename: string; content_type: string }>();
      // @ts-expect-error the body has no such field
      body.fileName;
      return new Response();
    });
  });
});
