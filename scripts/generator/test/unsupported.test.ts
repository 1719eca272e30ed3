/**
 * A schema keyword the runtime validator cannot check is an error naming the spec file and the JSON
 * pointer of the schema that has it, wherever the validator would need it: a parameter, a body
 * field, a success body. Annotations pass, and so does anything in a schema nobody checks.
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildIR } from "../src/ir/build.js";
import { acme, problemsOf } from "./helpers.js";

const uploadBody = "specs/acme.yaml#/paths/~1uploads/post/requestBody/content/application~1json/schema";

describe("unsupported keywords are errors", () => {
  it("in a parameter's schema", () => {
    const problems = problemsOf((spec) => {
      spec.paths["/files/{file_id}"].get.parameters[1].schema = { anyOf: [{ type: "string" }, { type: "integer" }] };
    });
    expect(problems).toEqual(['specs/acme.yaml#/paths/~1files~1{file_id}/get/parameters/1/schema: unsupported keyword "anyOf"']);
  });

  it("in a shared component, reported where the component is", () => {
    const problems = problemsOf((spec) => {
      spec.components.schemas.FileId.oneOf = [{ minimum: 1 }, { maximum: 9 }];
    });
    expect(problems).toEqual(['specs/acme.yaml#/components/schemas/FileId: unsupported keyword "oneOf"']);
  });

  it("in a body field: a list of types, allOf, not, const", () => {
    const problems = problemsOf((spec) => {
      const { properties } = spec.paths["/uploads"].post.requestBody.content["application/json"].schema;
      properties.name.type = ["string", "null"];
      properties.size.allOf = [{ minimum: 1 }];
      properties.tags.items.not = { const: "secret" };
    });
    expect(problems).toEqual([
      `${uploadBody}/properties/name: unsupported keyword "type" with value ["string","null"]: the runtime checks one of string, integer, number, boolean, array, object`,
      `${uploadBody}/properties/size: unsupported keyword "allOf"`,
      `${uploadBody}/properties/tags/items: unsupported keyword "not"`,
    ]);
  });

  it("in the success body, through its $ref", () => {
    const problems = problemsOf((spec) => {
      spec.components.schemas.Url.properties.url.nullable = true;
    });
    expect(problems).toEqual(['specs/acme.yaml#/components/schemas/Url/properties/url: unsupported keyword "nullable"']);
  });

  it("a format the runtime cannot check, in an input", () => {
    const problems = problemsOf((spec) => {
      const { properties } = spec.paths["/uploads"].post.requestBody.content["application/json"].schema;
      properties.size.format = "int32";
      properties.name.format = "date-time";
    });
    expect(problems).toEqual([
      `${uploadBody}/properties/name: unsupported keyword "format" (date-time): the runtime cannot check it in an input`,
      `${uploadBody}/properties/size: unsupported keyword "format" (int32): the runtime cannot check it in an input`,
    ]);
  });

  it("propertyNames in an input (a map's values are checked, its keys are not)", () => {
    const problems = problemsOf((spec) => {
      spec.components.schemas.LinkRequest.properties.labels = {
        type: "object",
        additionalProperties: { type: "string" },
        propertyNames: { pattern: "^[a-z]+$" },
      };
    });
    expect(problems).toEqual(['specs/acme.yaml#/components/schemas/LinkRequest/properties/labels: unsupported keyword "propertyNames" in an input']);
  });

  it("a parameter serialized other than the client does it", () => {
    const problems = problemsOf((spec) => {
      Object.assign(spec.paths["/files/{file_id}"].get.parameters[0], { style: "deepObject", explode: true });
    });
    expect(problems).toEqual([
      'specs/acme.yaml#/paths/~1files~1{file_id}/get/parameters/0: unsupported keyword "style"',
      'specs/acme.yaml#/paths/~1files~1{file_id}/get/parameters/0: unsupported keyword "explode"',
    ]);
  });

  it("a pattern the runtime's RegExp cannot compile", () => {
    const problems = problemsOf((spec) => {
      spec.components.schemas.LinkRequest.properties.audience.pattern = "^[a-z";
    });
    expect(problems).toEqual([
      'specs/acme.yaml#/components/schemas/LinkRequest/properties/audience: "pattern" must be a regular expression valid with the "u" flag',
    ]);
  });
});

describe("what passes", () => {
  it("annotations, anywhere", () => {
    const api = acme((spec) => {
      Object.assign(spec.components.schemas.LinkRequest.properties.audience, {
        title: "Audience",
        description: "Who may open the link.",
        example: "team",
        examples: ["team"],
        default: "team",
        deprecated: false,
        readOnly: false,
        writeOnly: true,
        $comment: "annotation only",
        "x-internal": true,
      });
    });
    const audience = api.operations.find((op) => op.id === "createLink")?.fields.find((f) => f.key === "audience");
    expect(audience?.schema).toEqual({ type: "string", pattern: "^[a-z]+$" });
  });

  it("formats the type check already enforces: int64 and double, in inputs too", () => {
    expect(() =>
      acme((spec) => {
        spec.components.schemas.LinkRequest.properties.expires_in.format = "int64";
        spec.components.schemas.LinkRequest.properties.weight = { type: "number", format: "double" };
      }),
    ).not.toThrow();
  });

  it("in a success body, a map's key names (described, not checked) and its values (checked)", () => {
    const api = acme((spec) => {
      spec.components.schemas.Url.properties.parts = {
        type: "object",
        propertyNames: { pattern: "^[0-9]+$" },
        additionalProperties: { type: "string" },
      };
    });
    const url = api.operations.find((op) => op.id === "get_file_url")?.success.json?.schema;
    expect(url?.properties).toEqual({
      url: { type: "string" },
      expires_at: { type: "string" },
      parts: { type: "object", additionalProperties: { type: "string" } },
    });
  });

  it("anything in an error body: it is read by the profile, not validated", () => {
    expect(() =>
      acme((spec) => {
        spec.components.schemas.Error.properties.code = { anyOf: [{ type: "string" }, { type: "integer" }] };
      }),
    ).not.toThrow();
  });

  it("the project's specs, as they are", () => {
    const dir = join(import.meta.dirname, "../../../specs");
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".yaml"))) {
      expect(() => buildIR(readFileSync(join(dir, file), "utf8"), `specs/${file}`, basename(file, ".yaml"))).not.toThrow();
    }
  });
});
