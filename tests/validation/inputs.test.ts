/**
 * No input outside the spec's schema ever reaches the wire. fast-check throws inputs at every
 * operation of every provider: near-valid values, values just past a bound, unsafe integers, keys
 * that live on Object.prototype (`__proto__`, `constructor`, …) inside nested objects, and junk.
 * Whatever the client sends must pass an independent validator (Ajv, JSON Schema 2020-12) run on
 * the input schema the spec defines; whatever it refuses must be refused as an InvalidRequestError
 * before the network.
 */
import { InvalidRequestError } from "@presign/core";
import { Ajv2020 } from "ajv/dist/2020.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Schema } from "../../test-support/clients.ts";
import { providers } from "../providers.ts";

const baseUrl = "https://api.example.test";

/** Keys that exist on every object through its prototype. */
const PROTOTYPE_KEYS = ["__proto__", "constructor", "toString", "valueOf", "hasOwnProperty"];

/**
 * The reference schema: the spec's, with integers held to what a JSON number carries exactly
 * (JSON Schema counts 1e21 as an integer; no API reads it back as the same number).
 */
function reference(schema: Schema): object {
  const out: Record<string, unknown> = { ...schema };
  if (schema.type === "integer") {
    out.minimum = Math.max(schema.minimum ?? Number.MIN_SAFE_INTEGER, Number.MIN_SAFE_INTEGER);
    out.maximum = Math.min(schema.maximum ?? Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  }
  if (schema.items) out.items = reference(schema.items);
  if (schema.properties) out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, reference(v)]));
  return out;
}

const junk = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.double(),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 }),
);

/**
 * An object whose own keys are drawn from `keys` (prototype keys become own properties, as they
 * would from JSON.parse): a required key nine times in ten, a declared one every other time, and
 * any other key one time in ten.
 */
function objectOf(keys: string[], declared: readonly string[], required: readonly string[], value: (key: string) => fc.Arbitrary<unknown>) {
  const entries = keys.map((key) => {
    const present = required.includes(key) ? 9 : declared.includes(key) ? 5 : 1;
    return fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 10 - present },
      { arbitrary: value(key).map((v) => [key, v] as const), weight: present },
    );
  });
  return fc.tuple(...entries).map((chosen) => Object.fromEntries(chosen.filter((entry) => entry !== undefined)));
}

/** Values a schema allows (but for its pattern, which only the client checks). */
function inside(schema: Schema): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case "string":
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: schema.maxLength ?? 20 });
    case "integer":
      return fc.integer({ min: schema.minimum ?? -100, max: schema.maximum ?? (schema.minimum ?? 0) + 1_000 });
    case "array":
      return fc.array(near(schema.items ?? {}), { minLength: schema.minItems ?? 0, maxLength: 3 });
    case "object": {
      const properties = schema.properties ?? {};
      const keys = [...Object.keys(properties), ...PROTOTYPE_KEYS];
      return objectOf(keys, Object.keys(properties), schema.required ?? [], (key) =>
        Object.hasOwn(properties, key) ? near(properties[key]!) : junk,
      );
    }
    default:
      return junk;
  }
}

/** Mostly values a schema allows; else values on and past its bounds, of the wrong type, or junk. */
function near(schema: Schema): fc.Arbitrary<unknown> {
  const edges: fc.Arbitrary<unknown>[] = [junk];
  if (schema.type === "string") edges.push(fc.constantFrom("", ".", "..", "a\nb", "\uD800", "x".repeat((schema.maxLength ?? 30) + 1)));
  if (schema.type === "integer" || schema.type === "number") {
    const bounds = [schema.minimum, schema.maximum].filter((b) => b !== undefined).flatMap((b) => [b! - 1, b!, b! + 1]);
    edges.push(fc.constantFrom(1e21, 2 ** 53, -(2 ** 60), 0.5, Number.NaN, Number.POSITIVE_INFINITY, ...bounds));
  }
  return fc.oneof({ arbitrary: inside(schema), weight: 6 }, ...edges.map((arbitrary) => ({ arbitrary, weight: 1 })));
}

const ajv = new Ajv2020({ strict: false, allErrors: false });

const operations = providers.flatMap((provider) =>
  provider.operations.map((op) => ({
    provider: provider.name,
    name: op.methodName,
    operation: op.definition,
    create: (fetch: typeof globalThis.fetch) => provider.create({ baseUrl, fetch, validateResponses: false }, op.security[0]),
  })),
);

describe.each(operations)("$provider $name", ({ name, operation, create }) => {
  const { fields } = operation;
  const inputSchema = {
    type: "object",
    properties: Object.fromEntries(fields.map((f) => [f.key, reference(f.schema)])),
    required: fields.filter((f) => f.required).map((f) => f.key),
    additionalProperties: false,
  };
  const fitsSpec = ajv.compile(inputSchema);
  const declared = fields.map((f) => f.key);
  const input = objectOf([...declared, "extra", ...PROTOTYPE_KEYS], declared, inputSchema.required, (key) => {
    const field = fields.find((f) => f.key === key);
    return field ? near(field.schema) : junk;
  });

  it("sends only inputs that fit the spec, and refuses the rest before the network", async () => {
    let sent = 0;
    const fetch = async () => {
      sent++;
      return Response.json({});
    };
    const client = create(fetch as typeof globalThis.fetch);
    const outcomes = { sent: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(input, async (value) => {
        const before = sent;
        const error = await client[name]!(value).then(
          () => undefined,
          (e: unknown) => e,
        );
        if (sent > before) {
          outcomes.sent++;
          expect(fitsSpec(value), `sent although outside the spec: ${JSON.stringify(ajv.errors)}`).toBe(true);
          expect(error).toBeUndefined();
        } else {
          outcomes.refused++;
          expect(error).toBeInstanceOf(InvalidRequestError);
        }
      }),
      { numRuns: 400 },
    );
    // Both sides were exercised, so the property says something.
    expect(outcomes.sent).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
  });
});
