import { faults, spaaza } from "@presign/spaaza/testing";
import { describe, expectTypeOf, it } from "vitest";

// Type tests are compiled, never run.
describe("handler overrides", () => {
  it("take the success body, a resolver or a fault", () => {
    spaaza.getTaskDownloadUrl({ url: "https://exports.example/x.csv" });
    spaaza.getTaskDownloadUrl(faults.networkError({ times: 1 }));
    spaaza.getTaskDownloadUrl(({ params }) => {
      expectTypeOf(params).toEqualTypeOf<{ id: string }>();
      return { url: `https://exports.example/${params.id}.csv` };
    });
  });

  it("refuse a body that isn't the success body", () => {
    // @ts-expect-error the URL is under `url`
    spaaza.getTaskDownloadUrl({ download_url: "https://exports.example/x.csv" });
    // @ts-expect-error a resolver's body is checked too
    spaaza.getTaskDownloadUrl(() => ({ url: 1 }));
  });
});
