/** Fixture specs, read as the generator reads them, or changed first to show one rule at a time. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { parse, stringify } from "yaml";
import { buildIR } from "../src/ir/build.js";
import type { ApiIR } from "../src/ir/types.js";
import { SpecError } from "../src/spec/problems.js";

export const fixtures = join(import.meta.dirname, "fixtures");

export const fixtureText = (name: string) => readFileSync(join(fixtures, `${name}.yaml`), "utf8");

// biome-ignore lint/suspicious/noExplicitAny: a spec under test is edited as plain JSON.
type Spec = Record<string, any>;

/** The acme fixture as JSON, after `change`, as YAML again. */
export function acmeWith(change: (spec: Spec) => void = () => {}): string {
  const spec = parse(fixtureText("acme")) as Spec;
  change(spec);
  return stringify(spec);
}

/** The model of the acme fixture, after `change`. */
export const acme = (change?: (spec: Spec) => void): ApiIR => buildIR(acmeWith(change), "specs/acme.yaml", "acme");

/** The problems reading the changed acme fixture reports (failing the test when it reads fine). */
export function problemsOf(change: (spec: Spec) => void): readonly string[] {
  try {
    acme(change);
  } catch (error) {
    expect(error).toBeInstanceOf(SpecError);
    return (error as SpecError).problems;
  }
  expect.fail("the spec was read without a problem");
}
