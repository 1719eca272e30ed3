import { describe, expect, it } from "vitest";
import { MAX_PROBLEMS, type Schema, validate } from "../src/validate.js";

const part: Schema = {
  type: "object",
  properties: { md5: { type: "string", minLength: 22 }, partNumber: { type: "integer", minimum: 1 } },
  required: ["md5", "partNumber"],
  additionalProperties: false,
};
const parts: Schema = { type: "array", items: part };
const good = { md5: "1B2M2Y8AsgTpgAmY7PhCfg==", partNumber: 1 };

describe("validate", () => {
  it("accepts a value that fits", () => {
    expect(validate([good], parts, "parts")).toEqual([]);
  });

  it("counts only own properties: keys of Object.prototype in a nested object are unknown fields", () => {
    for (const key of ["__proto__", "constructor", "toString", "valueOf", "hasOwnProperty"]) {
      const item = JSON.parse(`{"md5":"1B2M2Y8AsgTpgAmY7PhCfg==","partNumber":1,"${key}":{}}`);
      expect(validate([item], parts, "parts")).toEqual([`parts[0].${key}: is not a known field`]);
    }
  });

  it("does not take an inherited property for a required one", () => {
    const inherited = Object.create({ md5: "1B2M2Y8AsgTpgAmY7PhCfg==" }) as object;
    expect(validate([Object.assign(inherited, { partNumber: 1 })], parts, "parts")).toEqual(["parts[0].md5: is required"]);
  });

  it("refuses integers beyond 2^53, which are not exact and go on the wire as 1e+21", () => {
    for (const n of [1e21, 2 ** 53, -(2 ** 60)]) {
      expect(validate({ ...good, partNumber: n }, part, "part")).toEqual(["part.partNumber: expected an integer, got an integer beyond 2^53"]);
    }
    expect(validate({ ...good, partNumber: 2 ** 53 - 1 }, part, "part")).toEqual([]);
  });

  it("lists every problem, not only the first", () => {
    expect(validate([{ md5: "short", extra: 1 }, good, { partNumber: 0 }], parts, "parts")).toEqual([
      "parts[0].partNumber: is required",
      "parts[0].md5: must be at least 22 characters",
      "parts[0].extra: is not a known field",
      "parts[2].md5: is required",
      "parts[2].partNumber: must be at least 1",
    ]);
  });

  it(`stops at ${MAX_PROBLEMS} problems, however many a hostile value has`, () => {
    const many = Array.from({ length: 10_000 }, () => ({ junk: true }));
    expect(validate(many, parts, "parts")).toHaveLength(MAX_PROBLEMS);
  });
});

describe("maps", () => {
  const map: Schema = { type: "object", properties: { id: { type: "string" } }, additionalProperties: { type: "string", pattern: "^https://" } };

  it("checks every property a schema does not name against additionalProperties", () => {
    expect(validate({ id: "x", "1": "https://a.example/1", "2": "https://a.example/2" }, map, "urls")).toEqual([]);
    expect(validate({ id: "x", "1": "https://a.example/1", "2": 7, "3": "ftp://b" }, map, "urls")).toEqual([
      "urls.2: expected a string, got integer",
      "urls.3: must match ^https://",
    ]);
  });
});
