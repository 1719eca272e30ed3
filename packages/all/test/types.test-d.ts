import type * as datadog from "@presign/datadog";
import type * as datalab from "@presign/datalab";
import type * as powerdrill from "@presign/powerdrill";
import type * as spaaza from "@presign/spaaza";
import { expectTypeOf, test } from "vitest";
import type * as all from "../src/index.js";

test("provider types keep their names, clashing ones get the provider's prefix", () => {
  expectTypeOf<all.DatadogClient>().toEqualTypeOf<datadog.DatadogClient>();
  expectTypeOf<all.DatadogClientOptions>().toEqualTypeOf<datadog.DatadogClientOptions>();
  expectTypeOf<all.DatadogPaths>().toEqualTypeOf<datadog.paths>();
  expectTypeOf<all.DatalabClient>().toEqualTypeOf<datalab.DatalabClient>();
  expectTypeOf<all.GetFileDownloadUrlInput>().toEqualTypeOf<datalab.GetFileDownloadUrlInput>();
  expectTypeOf<all.DatalabOperations>().toEqualTypeOf<datalab.operations>();
  expectTypeOf<all.PowerdrillClient>().toEqualTypeOf<powerdrill.PowerdrillClient>();
  expectTypeOf<all.PowerdrillComponents>().toEqualTypeOf<powerdrill.components>();
  expectTypeOf<all.SpaazaClient>().toEqualTypeOf<spaaza.SpaazaClient>();
  expectTypeOf<all.SpaazaClientOptions>().toEqualTypeOf<spaaza.SpaazaClientOptions>();
});
