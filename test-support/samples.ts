/**
 * Values a spec allows: the example it gives, else the smallest value its schema accepts. A value
 * that cannot be derived (a pattern too rich for the sampler below) is `undefined`, and the caller
 * says which example the spec lacks.
 */
import { deref, type Json } from "./spec.ts";

/** A found value; wrapped so that a legitimate `null` or `0` is not mistaken for "none". */
export interface Sample {
  value: unknown;
  from: "example" | "schema";
}

/** The example a node carries: `example`, else the first of `examples` (a list, or OpenAPI's map of `{ value }`). */
export function exampleOf(node: Json | undefined): Sample | undefined {
  if (!node) return undefined;
  if (node.example !== undefined) return { value: node.example, from: "example" };
  const examples = node.examples;
  if (Array.isArray(examples) && examples.length) return { value: examples[0], from: "example" };
  if (examples && typeof examples === "object") {
    const first = Object.values<Json>(examples)[0];
    if (first && first.value !== undefined) return { value: first.value, from: "example" };
  }
  return undefined;
}

/**
 * The spec's example for a schema (with its `$ref`s followed), else its smallest valid value. A
 * string made up for a named input carries the name, so that two of them never look alike.
 */
export function sampleOf(doc: Json, raw: Json | undefined, name?: string): Sample | undefined {
  const schema = deref(doc, raw) ?? {};
  const example = exampleOf(schema);
  if (example) return example;
  const value = smallest(doc, schema, name);
  return value === undefined ? undefined : { value, from: "schema" };
}

/** The smallest value a schema accepts, or undefined when there is no way to know it. */
function smallest(doc: Json, schema: Json, name?: string): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  switch (Array.isArray(schema.type) ? schema.type[0] : schema.type) {
    case "string":
      return smallestString(schema, name);
    case "integer":
    case "number":
      return smallestNumber(schema);
    case "boolean":
      return true;
    case "array": {
      const item = sampleOf(doc, schema.items);
      return item && Array.from({ length: Math.max(schema.minItems ?? 1, 1) }, () => item.value);
    }
    case "object":
      return smallestObject(doc, schema);
    default:
      return undefined;
  }
}

const FORMATS: Record<string, string> = {
  "date-time": "2030-01-01T00:00:00Z",
  date: "2030-01-01",
  uri: "https://example.com/sample",
  url: "https://example.com/sample",
  email: "sample@example.com",
  uuid: "00000000-0000-4000-8000-000000000000",
};

function smallestString(schema: Json, name = ""): string | undefined {
  if (typeof schema.pattern === "string") return samplePattern(schema.pattern);
  const formatted = FORMATS[schema.format as string];
  if (formatted) return formatted;
  // Readable in a path or a log, stretched or cut to the allowed length.
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? Number.POSITIVE_INFINITY;
  const text = ["sample", ...name.toLowerCase().split(/[^a-z0-9]+/)].filter(Boolean).join("-").padEnd(min, "x");
  return text.slice(0, Math.max(Math.min(text.length, max), 0));
}

function smallestNumber(schema: Json): number {
  const low = schema.minimum ?? (typeof schema.exclusiveMinimum === "number" ? Math.floor(schema.exclusiveMinimum) + 1 : undefined);
  const high = schema.maximum ?? (typeof schema.exclusiveMaximum === "number" ? Math.ceil(schema.exclusiveMaximum) - 1 : undefined);
  // 1 where allowed: 0 reads as "missing" to some servers.
  if (low !== undefined) return Math.max(low, Math.min(1, high ?? 1));
  return high !== undefined ? Math.min(1, high) : 1;
}

function smallestObject(doc: Json, schema: Json): Json | undefined {
  const out: Json = {};
  for (const name of (schema.required ?? []) as string[]) {
    const property = sampleOf(doc, schema.properties?.[name], name);
    if (!property) return undefined;
    out[name] = property.value;
  }
  return out;
}

/**
 * The shortest text a simple pattern matches: anchors, literals, escapes (`\.`, `\d`, `\w`),
 * character classes and quantifiers. Checked against the pattern itself, so a pattern beyond this
 * sampler yields undefined instead of a wrong value.
 */
export function samplePattern(pattern: string): string | undefined {
  let out = "";
  let last = "";
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === "^" || char === "$") continue;
    if (char === "+") continue; // one is enough
    if (char === "*" || char === "?") {
      out = out.slice(0, out.length - last.length); // zero is enough
      continue;
    }
    if (char === "{") {
      const close = pattern.indexOf("}", i);
      const times = Number.parseInt(pattern.slice(i + 1, close), 10);
      out = out.slice(0, out.length - last.length) + last.repeat(Number.isNaN(times) ? 1 : times);
      i = close;
      continue;
    }
    if (char === "[") {
      const close = pattern.indexOf("]", i + 1);
      last = firstOfClass(pattern.slice(i + 1, close));
      i = close;
    } else if (char === "\\") {
      const next = pattern[++i] ?? "";
      last = next === "d" ? "0" : next === "w" ? "a" : next === "s" ? " " : next;
    } else {
      last = char === "." ? "a" : char;
    }
    out += last;
  }
  try {
    return new RegExp(pattern, "u").test(out) ? out : undefined;
  } catch {
    return undefined;
  }
}

/** The first character a class like `0-9`, `A-Za-z_` or `\d` allows (a negated class gives up). */
function firstOfClass(body: string): string {
  if (body.startsWith("^")) return "\u0000";
  if (body.startsWith("\\d")) return "0";
  if (body.startsWith("\\w")) return "a";
  return body[0] === "\\" ? (body[1] ?? "") : (body[0] ?? "");
}
