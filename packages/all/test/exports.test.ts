import * as core from "@presign/core";
import * as datadog from "@presign/datadog";
import * as datalab from "@presign/datalab";
import * as powerdrill from "@presign/powerdrill";
import * as spaaza from "@presign/spaaza";
import { describe, expect, it } from "vitest";
import * as all from "../src/index.js";

const providers = { datadog, datalab, powerdrill, spaaza } as Record<string, Record<string, unknown>>;

describe("@presign/all", () => {
  it("re-exports the shared runtime as-is", () => {
    for (const [key, value] of Object.entries(core)) expect((all as Record<string, unknown>)[key], key).toBe(value);
  });

  it("re-exports every provider's runtime exports, `definition` renamed, and nothing else", () => {
    const expected = new Set(Object.keys(core));
    for (const [name, module] of Object.entries(providers)) {
      for (const [key, value] of Object.entries(module)) {
        if (key in core) continue;
        const renamed = key === "definition" ? `${name}Definition` : key;
        expect((all as Record<string, unknown>)[renamed], `${name}.${key}`).toBe(value);
        expected.add(renamed);
      }
    }
    expect(Object.keys(all).sort()).toEqual([...expected].sort());
  });
});
