/**
 * The generator's promise: add an operation to a spec, regenerate, and the new typed method exists,
 * with no hand edit. A copy of the Datalab spec gains `DELETE /api/v1/workflows/{workflow_id}`; the
 * package generated from it in a temp dir must typecheck a call to `deleteWorkflow`, refuse a wrong
 * one, and send the right request to a loopback server.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";

const root = resolve(import.meta.dirname, "../..");
const bin = (name: string) => join(root, "node_modules/.bin", name);
let dir: string;

beforeAll(() => {
  // Inside the repo so that @presign/core and openapi-fetch resolve as they do for the real packages.
  mkdirSync(join(root, "tests/.tmp"), { recursive: true });
  dir = mkdtempSync(join(root, "tests/.tmp/codegen-"));
  const spec = parse(readFileSync(join(root, "specs/datalab.yaml"), "utf8"));
  expect(spec.paths["/api/v1/workflows/{workflow_id}"], "the operation this test adds is in the spec already").toBeUndefined();
  spec.paths["/api/v1/workflows/{workflow_id}"] = {
    delete: {
      operationId: "deleteWorkflow",
      summary: "Delete a workflow",
      parameters: [{ name: "workflow_id", in: "path", required: true, schema: { type: "integer" } }],
      responses: { "204": { description: "Deleted" }, "404": spec.paths["/api/v1/files/{file_id}/download"].get.responses["404"] },
      security: [{ APIKeyHeader: [] }],
    },
  };
  writeFileSync(join(dir, "datalab.yaml"), stringify(spec));
  execFileSync(bin("tsx"), [
    join(root, "scripts/generator/src/cli.ts"),
    "--spec",
    join(dir, "datalab.yaml"),
    "--out",
    join(dir, "src/generated"),
    "--name",
    "datalab",
  ]);
  // The hand-written part of the package stays as it is.
  cpSync(join(root, "packages/datalab/src/profile.ts"), join(dir, "src/profile.ts"));
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({ extends: join(root, "tsconfig.base.json"), include: ["src", join(root, "globals.d.ts")] }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs tsc on the generated package; returns its diagnostics ("" when it compiles). */
function typecheck(): string {
  try {
    execFileSync(bin("tsc"), ["-p", dir], { stdio: "pipe" });
    return "";
  } catch (error) {
    return String((error as { stdout: Buffer }).stdout);
  }
}

describe("adding an operation to a spec", () => {
  it("generates a typed method that compiles, and a wrong call that does not", () => {
    writeFileSync(
      join(dir, "src/use.ts"),
      `import { createDatalabClient } from "./generated/client.js";
const client = createDatalabClient({ apiKey: "k" });
export const ok: Promise<void> = client.deleteWorkflow({ workflowId: 7 });
// @ts-expect-error workflowId is an integer
client.deleteWorkflow({ workflowId: "7" });
// @ts-expect-error workflowId is required
client.deleteWorkflow({});
`,
    );
    expect(typecheck()).toBe("");
  });

  it("fails to compile when the method is called with the wrong input", () => {
    writeFileSync(
      join(dir, "src/use.ts"),
      `import { createDatalabClient } from "./generated/client.js";\ncreateDatalabClient({ apiKey: "k" }).deleteWorkflow({ workflowId: "x" });\n`,
    );
    expect(typecheck()).toMatch(/src\/use\.ts\(2,\d+\): error TS2322: Type 'string' is not assignable to type 'number'/);
  });

  it("sends the new request on the wire", async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers["x-api-key"]}`);
      res.writeHead(204).end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    writeFileSync(
      join(dir, "src/run.ts"),
      // __VERSION__ is normally set by the build; tsx runs the sources as they are.
      `Object.assign(globalThis, { __VERSION__: "0.0.0-test" });
const { createDatalabClient } = await import("./generated/client.js");
const result = await createDatalabClient({ apiKey: "k", baseUrl: ${JSON.stringify(baseUrl)} }).deleteWorkflow({ workflowId: 7 });
console.log(JSON.stringify(result ?? null));
`,
    );
    try {
      const out = await new Promise<string>((res, rej) =>
        import("node:child_process").then(({ execFile }) =>
          execFile(bin("tsx"), ["--tsconfig", join(dir, "tsconfig.json"), join(dir, "src/run.ts")], { env: { ...process.env } }, (e, stdout) =>
            e ? rej(e) : res(stdout),
          ),
        ),
      );
      expect(out.trim()).toBe("null");
      expect(seen).toEqual(["DELETE /api/v1/workflows/7 k"]);
    } finally {
      server.close();
    }
  });
});
