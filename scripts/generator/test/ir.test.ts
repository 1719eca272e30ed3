/** The model a spec is read into: references, parameter merge, retry safety, names, credentials, examples. */
import { describe, expect, it } from "vitest";
import { acme, problemsOf } from "./helpers.js";

const operation = (id: string, api = acme()) => {
  const found = api.operations.find((op) => op.id === id);
  if (!found) throw new Error(`no operation ${id}`);
  return found;
};
const field = (id: string, key: string, api = acme()) => operation(id, api).fields.find((f) => f.key === key);

describe("$ref resolution", () => {
  it("follows a parameter to its component, and its schema to another", () => {
    expect(field("get_file_url", "fileId")).toMatchObject({
      name: "file_id",
      in: "path",
      required: true,
      schema: { type: "integer", minimum: 1 },
      doc: "ID of the file.",
      example: { value: 42 },
    });
  });

  it("follows a request body to its component and the body's schema to its own", () => {
    const link = operation("createLink");
    expect(link.json).toBe(true);
    expect(link.fields.filter((f) => f.in === "body").map((f) => [f.key, f.schema])).toEqual([
      ["expiresIn", { type: "integer", minimum: 60, maximum: 86400 }],
      ["audience", { type: "string", pattern: "^[a-z]+$" }],
    ]);
  });

  it("follows responses, and the schema of the success body", () => {
    const get = operation("get_file_url");
    expect(get.success.json?.schema).toEqual({
      type: "object",
      properties: { url: { type: "string" }, expires_at: { type: "string" } },
      required: ["url"],
    });
    expect(get.errors.find((e) => e.status === 404)).toEqual({
      status: 404,
      description: "No such file.",
      examples: [{ code: "not_found", message: "No such file" }],
    });
  });

  it("reports a reference that leads nowhere, where it is written", () => {
    const problems = problemsOf((spec) => {
      spec.paths["/files/{file_id}"].parameters[0].$ref = "#/components/parameters/Missing";
    });
    expect(problems).toEqual([
      'specs/acme.yaml#/paths/~1files~1{file_id}/parameters/0: $ref "#/components/parameters/Missing" does not resolve to a node of this document',
    ]);
  });

  it("reports references that go round in a loop, where the loop is entered", () => {
    const problems = problemsOf((spec) => {
      spec.components.schemas.FileId = { $ref: "#/components/schemas/FileId" };
    });
    expect(problems).toEqual([
      'specs/acme.yaml#/components/parameters/FileId/schema: $ref "#/components/schemas/FileId" leads to a loop of references',
    ]);
  });
});

describe("parameter merge", () => {
  it("lets an operation's parameter replace the path's one of the same name and place", () => {
    expect(field("get_file_url", "verbose")).toMatchObject({ schema: { type: "boolean" }, doc: "Also return the file's metadata." });
  });

  it("keeps the path's parameter where the operation has none of that name", () => {
    expect(field("deleteFile", "verbose")).toMatchObject({
      schema: { type: "string" },
      doc: "The path-level flag; the operation's own replaces it.",
    });
  });

  it("puts path parameters first, in the path's order, then the operation's own", () => {
    expect(operation("get_file_url").fields.map((f) => f.key)).toEqual(["fileId", "verbose", "trace"]);
  });

  it("keeps two parameters with one name in different places apart, and refuses two inputs with one key", () => {
    const problems = problemsOf((spec) => {
      spec.paths["/files/{file_id}"].get.parameters.push({ name: "verbose", in: "header", schema: { type: "string" } });
    });
    expect(problems).toEqual(["specs/acme.yaml#/paths/~1files~1{file_id}/get: has two inputs named verbose (rename one with x-presign-name)"]);
  });
});

describe("retry safety (idempotent)", () => {
  it("follows the method: GET and DELETE are idempotent, a POST is not", () => {
    expect(operation("get_file_url").idempotent).toBe(true);
    expect(operation("deleteFile").idempotent).toBe(true);
    expect(operation("startUpload").idempotent).toBe(false);
  });

  it("follows x-presign-idempotent where the spec sets it, either way", () => {
    expect(operation("createLink").idempotent).toBe(true);
    const api = acme((spec) => {
      spec.paths["/files/{file_id}"].delete["x-presign-idempotent"] = false;
    });
    expect(operation("deleteFile", api).idempotent).toBe(false);
  });

  it("refuses an x-presign-idempotent that is not a boolean", () => {
    const problems = problemsOf((spec) => {
      spec.paths["/uploads"].post["x-presign-idempotent"] = "yes";
    });
    expect(problems).toEqual(["specs/acme.yaml#/paths/~1uploads/post: x-presign-idempotent must be true or false"]);
  });
});

describe("names", () => {
  it("derives method, input type and field keys by camelCase, x-presign-name overriding a key", () => {
    const get = operation("get_file_url");
    expect([get.methodName, get.inputName]).toEqual(["getFileUrl", "GetFileUrlInput"]);
    expect(field("get_file_url", "trace")).toMatchObject({ name: "X-Trace", in: "header" });
    expect(field("createLink", "expiresIn")?.name).toBe("expires_in");
  });

  it("types each field from openapi-typescript's operations", () => {
    expect(field("get_file_url", "trace")?.type).toBe('NonNullable<operations["get_file_url"]["parameters"]["header"]>["X-Trace"]');
    expect(field("startUpload", "name")?.type).toBe('NonNullable<operations["startUpload"]["requestBody"]>["content"]["application/json"]["name"]');
  });
});

describe("server and credentials", () => {
  it("reads server variables with their extensions", () => {
    expect(acme().server.variables).toEqual([
      { name: "region", default: "eu", enum: ["eu", "us"], env: "ACME_REGION", required: false, description: "Region the account lives in." },
      { name: "host", default: "acme.test", required: true, description: "API host of your Acme installation." },
    ]);
  });

  it("reads security schemes as options: header or bearer, env, secret", () => {
    expect(acme().auth.map(({ description, ...scheme }) => scheme)).toEqual([
      { id: "apiKey", option: "apiKey", in: "header", name: "X-Acme-Key", env: "ACME_API_KEY", secret: true },
      { id: "account", option: "account", in: "header", name: "X-Acme-Account", secret: false },
      { id: "token", option: "token", in: "bearer", secret: true },
    ]);
  });

  it("lists client options: server variables, then one per credential", () => {
    expect(acme().clientOptions.map((o) => [o.key, o.type])).toEqual([
      ["region", '"eu" | "us"'],
      ["host", "string"],
      ["apiKey", "string"],
      ["account", "string"],
      ["token", "string"],
    ]);
  });

  it("takes an operation's security over the document's", () => {
    expect(operation("get_file_url").security).toEqual([["apiKey", "account"]]);
    expect(operation("deleteFile").security).toEqual([["apiKey", "account"], ["token"]]);
  });

  it("refuses a scheme without x-presign-option, and a security requirement naming no scheme", () => {
    const problems = problemsOf((spec) => {
      delete spec.components.securitySchemes.token["x-presign-option"];
      spec.paths["/uploads"].post.security = [{ nope: [] }];
    });
    expect(problems).toEqual([
      "specs/acme.yaml#/components/securitySchemes/token: needs x-presign-option: the client option that holds the credential",
      'specs/acme.yaml#/paths/~1uploads/post/security: names the unknown security scheme "nope"',
    ]);
  });
});

describe("examples and defaults", () => {
  it("takes a body field's example from the body's example, else from its schema", () => {
    expect(field("createLink", "expiresIn")?.example).toEqual({ value: 3600 });
    expect(field("createLink", "audience")?.example).toBeUndefined();
    expect(field("startUpload", "name")?.example).toEqual({ value: "report.pdf" });
  });

  it("keeps a schema's default beside the runtime schema", () => {
    expect(field("startUpload", "size")).toMatchObject({ schema: { type: "integer", minimum: 1 }, default: { value: 1 }, required: false });
  });

  it("collects every example body of an error response", () => {
    expect(operation("get_file_url").errors.find((e) => e.status === 429)?.examples).toEqual([
      { code: "quota", message: "Quota exceeded" },
      { code: "burst", message: "Too many at once" },
    ]);
  });
});
