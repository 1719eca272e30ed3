/**
 * A spec schema as the runtime validator's subset (`RuntimeSchema`). Every keyword is either
 * copied, known to be annotation-only, or reported: a keyword the validator cannot check must not
 * vanish from what a client promises to check.
 */
import type { ReferenceObject, SchemaObject } from "openapi-typescript";
import type { SpecDocument } from "../spec/document.js";
import { child } from "../spec/problems.js";
import type { RuntimeSchema } from "./types.js";

/** Where a schema is used: an input is refused before the network, a success body is checked on arrival. */
export type SchemaUse = "input" | "response";

/** Keywords that describe a value without constraining it (JSON Schema's annotations): nothing to check. */
const ANNOTATIONS = new Set([
  "description",
  "title",
  "example",
  "examples",
  "default",
  "deprecated",
  "readOnly",
  "writeOnly",
  "$comment",
  "externalDocs",
]);

/**
 * Formats the validator's type check already enforces: it accepts only safe integers (|n| < 2^53),
 * all of which fit int64, and every JavaScript number is a double. Others (int32, float) narrow
 * the range and would need checks the validator does not make.
 */
const IMPLIED_FORMATS: Record<string, string[]> = { integer: ["int64"], number: ["double"] };

const TYPES = new Set(["string", "integer", "number", "boolean", "array", "object"]);
const BOUNDS = ["minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems"] as const;
/** The order keys are written in, so generated definitions do not depend on a spec's key order. */
const ORDER = [
  "type",
  "enum",
  "minLength",
  "maxLength",
  "pattern",
  "minimum",
  "maximum",
  "minItems",
  "maxItems",
  "items",
  "properties",
  "required",
  "additionalProperties",
] as const;

interface Context {
  spec: SpecDocument;
  use: SchemaUse;
  pointer: string;
  /** The schema's own `type`, for `format`. */
  type: unknown;
}

/** The validator's subset of a schema (references resolved), reporting any keyword it cannot honour. */
export function runtimeSchema(spec: SpecDocument, value: SchemaObject | ReferenceObject | undefined, pointer: string, use: SchemaUse): RuntimeSchema {
  const located = spec.resolve<SchemaObject>(value, pointer);
  if (!located) return {};
  // Keyword by keyword, each value checked before it is used: the spec's JSON is not trusted here.
  const keywords: [string, unknown][] = Object.entries(located.node);
  const context: Context = { spec, use, pointer: located.pointer, type: located.node.type };
  const found: Record<string, unknown> = {};
  for (const [keyword, value] of keywords) {
    if (keyword.startsWith("x-") || ANNOTATIONS.has(keyword)) continue;
    const problem = copyKeyword(found, keyword, value, context);
    if (problem) spec.problems.add(located.pointer, problem);
  }
  const out: Record<string, unknown> = {};
  for (const key of ORDER) if (found[key] !== undefined) out[key] = found[key];
  return out as RuntimeSchema;
}

/** Copies one keyword into `found`; returns why it cannot be, if it cannot. */
function copyKeyword(found: Record<string, unknown>, keyword: string, value: unknown, context: Context): string | undefined {
  const { spec, use, pointer } = context;
  switch (keyword) {
    case "type":
      if (typeof value !== "string" || !TYPES.has(value)) {
        return `unsupported keyword "type" with value ${JSON.stringify(value)}: the runtime checks one of ${[...TYPES].join(", ")}`;
      }
      found.type = value;
      return undefined;
    case "enum":
      if (!Array.isArray(value)) return `"enum" must be a list`;
      found.enum = value;
      return undefined;
    case "pattern":
      if (typeof value !== "string" || !compiles(value)) return `"pattern" must be a regular expression valid with the "u" flag`;
      found.pattern = value;
      return undefined;
    case "items":
      if (typeof value !== "object" || value === null || Array.isArray(value)) return `unsupported keyword "items" with a list (tuple) value`;
      found.items = runtimeSchema(spec, value as SchemaObject, child(pointer, "items"), use);
      return undefined;
    case "properties":
      if (typeof value !== "object" || value === null || Array.isArray(value)) return `"properties" must map names to schemas`;
      found.properties = Object.fromEntries(
        Object.entries(value as Record<string, SchemaObject>).map(([name, property]) => [
          name,
          runtimeSchema(spec, property, child(child(pointer, "properties"), name), use),
        ]),
      );
      return undefined;
    case "required":
      if (!Array.isArray(value) || !value.every((name) => typeof name === "string")) return `"required" must be a list of property names`;
      if (value.length) found.required = value;
      return undefined;
    case "additionalProperties":
      if (value === false) found.additionalProperties = false;
      // `true` (or the empty schema) is what an object allows anyway; a schema checks each extra property.
      else if (typeof value === "object" && value !== null && !Array.isArray(value) && !isEmptySchema(value)) {
        found.additionalProperties = runtimeSchema(spec, value as SchemaObject, child(pointer, "additionalProperties"), use);
      } else if (value !== true && !isEmptySchema(value)) return `"additionalProperties" must be a boolean or a schema`;
      return undefined;
    case "format":
      return formatProblem(value, context);
    case "propertyNames":
      return use === "response" ? undefined : `unsupported keyword "propertyNames" in an input`;
  }
  if ((BOUNDS as readonly string[]).includes(keyword)) {
    if (typeof value !== "number" || !Number.isFinite(value)) return `"${keyword}" must be a number`;
    found[keyword] = value;
    return undefined;
  }
  return `unsupported keyword "${keyword}"`;
}

/**
 * Which formats may stand unchecked. Besides those the type implies, a string's format in a success
 * body (Powerdrill's `date-time`) is descriptive only: the client hands the string over unchanged,
 * typed `string`, and nothing in it parses the value. In an input the caller would expect it checked
 * before the request goes out, and the validator cannot, so it is an error there. For the same
 * reason `propertyNames` passes in a success body only: the validator checks each value of a map
 * (an `additionalProperties` schema, as Datadog's part URLs), not its keys.
 */
function formatProblem(format: unknown, { type, use }: Context): string | undefined {
  if (typeof format !== "string") return `"format" must be a string`;
  if (typeof type === "string" && IMPLIED_FORMATS[type]?.includes(format)) return undefined;
  if (type === "string" && use === "response") return undefined;
  return `unsupported keyword "format" (${format}): the runtime cannot check it${use === "input" ? " in an input" : ""}`;
}

const isEmptySchema = (value: unknown) => typeof value === "object" && value !== null && !Object.keys(value).length;

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, "u");
    return true;
  } catch {
    return false;
  }
}
