/** The subset of JSON Schema the generator copies from a spec to check inputs and success bodies. */
export interface Schema {
  type?: "string" | "integer" | "number" | "boolean" | "array" | "object";
  enum?: readonly unknown[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Readonly<Record<string, Schema>>;
  required?: readonly string[];
  additionalProperties?: boolean;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (value === null) return "null";
  if (typeof value === "number" && Number.isInteger(value)) return "integer";
  return typeof value;
}

/**
 * Checks a value against a schema and returns the first problem as "where: what", or undefined.
 * Messages name the field and the rule, never the value (it may be something private).
 */
export function validate(value: unknown, schema: Schema, where: string): string | undefined {
  const actual = typeOf(value);
  const { type } = schema;
  if (type && actual !== type && !(type === "number" && actual === "integer")) {
    return `${where}: expected ${type === "integer" ? "an integer" : `a ${type}`}, got ${actual}`;
  }
  if (schema.enum && !schema.enum.includes(value)) return `${where}: must be one of ${schema.enum.join(", ")}`;
  if (typeof value === "string") {
    // A lone surrogate cannot be percent-encoded or sent as UTF-8.
    if (LONE_SURROGATE.test(value)) return `${where}: is not well-formed Unicode`;
    if (schema.minLength !== undefined && value.length < schema.minLength)
      return `${where}: must be at least ${schema.minLength} character${schema.minLength === 1 ? "" : "s"}`;
    if (schema.maxLength !== undefined && value.length > schema.maxLength)
      return `${where}: must be at most ${schema.maxLength} characters`;
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value))
      return `${where}: must match ${schema.pattern}`;
  } else if (typeof value === "number") {
    if (!Number.isFinite(value)) return `${where}: must be a finite number`;
    if (schema.minimum !== undefined && value < schema.minimum) return `${where}: must be at least ${schema.minimum}`;
    if (schema.maximum !== undefined && value > schema.maximum) return `${where}: must be at most ${schema.maximum}`;
  } else if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) return `${where}: needs at least ${schema.minItems} item(s)`;
    if (schema.maxItems !== undefined && value.length > schema.maxItems) return `${where}: takes at most ${schema.maxItems} items`;
    if (schema.items) {
      for (let i = 0; i < value.length; i++) {
        const problem = validate(value[i], schema.items, `${where}[${i}]`);
        if (problem) return problem;
      }
    }
  } else if (actual === "object") {
    const object = value as Record<string, unknown>;
    for (const name of schema.required ?? []) {
      if (object[name] === undefined) return `${where}.${name}: is required`;
    }
    for (const name in object) {
      const field = schema.properties?.[name];
      if (field) {
        if (object[name] === undefined) continue;
        const problem = validate(object[name], field, `${where}.${name}`);
        if (problem) return problem;
      } else if (schema.additionalProperties === false) {
        return `${where}.${name}: is not a known field`;
      }
    }
  }
  return undefined;
}
