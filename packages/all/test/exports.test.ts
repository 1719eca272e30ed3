import * as core from "@presign/core";
import { describe, expect, it } from "vitest";
import * as all from "../src/index.js";

const names = Object.keys(all.factories);
const providers = Object.fromEntries(await Promise.all(names.map(async (name) => [name, await import(`@presign/${name}`)] as const))) as Record<
  string,
  Record<string, unknown>
>;

describe("@presign/all", () => {
  it("re-exports the shared runtime's public API as-is", () => {
    for (const [key, value] of Object.entries(core)) expect((all as Record<string, unknown>)[key], key).toBe(value);
  });

  it("re-exports every provider's runtime exports, `definition` renamed, plus factories and createClients", () => {
    const expected = new Set([...Object.keys(core), "factories", "createClients"]);
    for (const [name, module] of Object.entries(providers)) {
      for (const [key, value] of Object.entries(module)) {
        if (key in core) continue;
        const renamed = key === "definition" ? `${name}Definition` : key;
        expect((all as Record<string, unknown>)[renamed], `${name}.${key}`).toBe(value);
        expected.add(renamed);
      }
      expect(all.factories[name as keyof typeof all.factories]).toBe(module[`create${name[0]!.toUpperCase()}${name.slice(1)}Client`]);
    }
    expect(Object.keys(all).sort()).toEqual([...expected].sort());
  });
});
