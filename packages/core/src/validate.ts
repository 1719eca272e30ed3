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

// A lone surrogate cannot be percent-encoded or sent as UTF-8.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const typeOf = (value: unknown) =>
  Array.isArray(value) ? "array" : value === null ? "null" : Number.isInteger(value) ? "integer" : typeof value;

/**
 * Checks a value against a schema and returns the first problem as "where: what", or undefined.
 * Messages name the field and the rule, never the value (it may be something private).
 */
export function validate(value: any, schema: Schema, where: string): string | undefined {
  const actual = typeOf(value);
  const { type } = schema;
  const problem = (what: string) => `${where}: ${what}`;
  if (type && actual !== type && !(type === "number" && actual === "integer")) {
    return problem(`expected ${type === "integer" ? "an" : "a"} ${type}, got ${actual}`);
  }
  if (schema.enum && !schema.enum.includes(value)) return problem(`must be one of ${schema.enum.join(", ")}`);
  if (LONE_SURROGATE.test(actual === "string" ? value : "")) return problem("is not well-formed Unicode");
  if (actual === "number" && !Number.isFinite(value)) return problem("must be a finite number");
  // Bounds: the length of a string, the size of an array, the value of a number.
  const [size, min, max, unit] =
    actual === "string"
      ? [value.length, schema.minLength, schema.maxLength, " character"]
      : actual === "array"
        ? [value.length, schema.minItems, schema.maxItems, " item"]
        : [value, schema.minimum, schema.maximum, ""];
  const verb = actual === "array" ? "have" : "be";
  const plural = (n: number) => (unit && n !== 1 ? "s" : "");
  if (min !== undefined && size < min) return problem(`must ${verb} at least ${min}${unit}${plural(min)}`);
  if (max !== undefined && size > max) return problem(`must ${verb} at most ${max}${unit}${plural(max)}`);
  if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value)) return problem(`must match ${schema.pattern}`);
  if (actual === "array" && schema.items) {
    for (let i = 0; i < value.length; i++) {
      const found = validate(value[i], schema.items, `${where}[${i}]`);
      if (found) return found;
    }
  }
  if (actual === "object") {
    for (const name of schema.required ?? []) if (value[name] === undefined) return `${where}.${name}: is required`;
    for (const name in value) {
      const field = schema.properties?.[name];
      if (!field && schema.additionalProperties === false) return `${where}.${name}: is not a known field`;
      const found = field && value[name] !== undefined && validate(value[name], field, `${where}.${name}`);
      if (found) return found;
    }
  }
  return undefined;
}
