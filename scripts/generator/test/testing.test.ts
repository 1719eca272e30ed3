/**
 * The testing kit's emitters: `generated/testing.ts` (one typed msw handler per operation) and the README's
 * "## Testing" section with its example test. The examples that run are in each package's test/readme-testing.test.ts.
 */
import { describe, expect, it } from "vitest";
import { testingExample, testingSection } from "../src/emit/readme-testing.js";
import { emitTesting, mswPath, serverPath } from "../src/emit/testing.js";
import { acme } from "./helpers.js";

describe("testing.ts", () => {
  it("matches its snapshot", async () => {
    await expect(emitTesting(acme())).toMatchFileSnapshot("./fixtures/snapshots/acme/testing.ts.snap");
  });

  it("matches each operation on any origin, its path parameters in msw's form", () => {
    const api = acme();
    const getFileUrl = api.operations.find((op) => op.methodName === "getFileUrl")!;
    expect(mswPath(api, getFileUrl)).toBe("*/files/:file_id");
    expect(emitTesting(api)).toContain('path: "*/files/:file_id"');
  });

  it("keeps the server URL's own path in front of the operation's (Powerdrill's /api)", () => {
    const api = acme((spec) => {
      spec.servers[0].url = "https://{region}.{host}/api/v2/";
    });
    expect(serverPath(api)).toBe("/api/v2");
    expect(mswPath(api, api.operations[0]!)).toBe("*/api/v2/files/:file_id");
  });

  it("types the request by wire name and the override as the success body; a 204 answers with no body", () => {
    const text = emitTesting(acme());
    expect(text).toContain("params: { file_id: string };");
    expect(text).toContain('response: operations["get_file_url"]["responses"][200]["content"]["application/json"];');
    expect(text).toContain(
      '    body: undefined;\n    response: undefined;\n  }>({ name: "acme.deleteFile", method: "DELETE", path: "*/files/:file_id", status: 204, json: false })',
    );
    expect(text).toContain("export function acmeHandlers() {\n  return defaultHandlers(acme);\n}");
  });

  it("says when the spec has no example to answer with, and gives the handler none", () => {
    const text = emitTesting(acme());
    expect(text).toContain("`POST /uploads`: by default it has no example in the spec: give it a body.");
    expect(text).toMatch(/name: "acme\.startUpload",[^)]*status: 200,\s*json: true,?\s*\}?\)/);
  });
});

describe("README testing section", () => {
  it("shows the /testing entry, its faults, the storage server, and an example test", () => {
    const text = testingSection(acme()).join("\n");
    expect(text).toMatch(/^## Testing\n/);
    expect(text).toContain("`@presign/acme/testing` has [msw](https://mswjs.io) handlers");
    expect(text).toContain("passthroughTo(storage.origin)");
    expect(text).toContain("```ts\nimport { createAcmeClient,");
  });

  it("checks a value of the example that is not a URL, with fake credentials and the required server variables", () => {
    const example = testingExample(acme())!;
    expect(example).toContain('import { acme, acmeHandlers, faults } from "@presign/acme/testing";');
    expect(example).toMatch(/const client = createAcmeClient\(\{ [^)]*: "test"/);
    expect(example).toMatch(/expect\(result\.[\w.[\]"]+\)\.toBe\((?!"https?:)/);
    expect(example).toContain(".rejects.toBeInstanceOf(ServerError);");
  });
});
