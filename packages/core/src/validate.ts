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
  /** `false` refuses unknown properties; a schema checks each of them (a map such as Datadog's part URLs). */
  additionalProperties?: boolean | Schema;
}

/** The most problems one check reports: enough to fix a body at once, bounded against a hostile one. */
export const MAX_PROBLEMS = 10;

// A lone surrogate cannot be percent-encoded or sent as UTF-8.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// An integer beyond 2^53 is not exact, and goes on the wire as "1e+21".
const typeOf = (value: unknown) =>
  Array.isArray(value) ? "array" : value === null ? "null" : Number.isSafeInteger(value) ? "integer" : typeof value;

const has = (object: object, key: string) => Object.hasOwn(object, key);

/** Adds a problem, unless MAX_PROBLEMS are there already. */
function report(problems: string[], at: string, what: string): string[] {
  if (problems.length < MAX_PROBLEMS) problems.push(`${at}: ${what}`);
  return problems;
}

/** How each type is measured against its bounds, and how a problem with them reads. */
interface Bounds {
  min: "minLength" | "minItems" | "minimum";
  max: "maxLength" | "maxItems" | "maximum";
  /** The unit counted ("character"), none for a number compared by value. */
  unit?: string;
  verb: "be" | "have";
  size(value: unknown): number;
}

const BOUNDS: Record<string, Bounds> = {
  string: { min: "minLength", max: "maxLength", unit: "character", verb: "be", size: (value) => (value as string).length },
  array: { min: "minItems", max: "maxItems", unit: "item", verb: "have", size: (value) => (value as unknown[]).length },
  integer: { min: "minimum", max: "maximum", verb: "be", size: (value) => value as number },
  number: { min: "minimum", max: "maximum", verb: "be", size: (value) => value as number },
};

/** What breaks a bound: a string's length, an array's size or a number's value ("must be at least 3 characters"). */
function boundProblem(value: unknown, actual: string, schema: Schema): string | undefined {
  const bounds = BOUNDS[actual];
  if (!bounds) return undefined;
  const size = bounds.size(value);
  const min = schema[bounds.min];
  const max = schema[bounds.max];
  if (min !== undefined && size < min) return `must ${bounds.verb} at least ${min}${unitsOf(bounds, min)}`;
  if (max !== undefined && size > max) return `must ${bounds.verb} at most ${max}${unitsOf(bounds, max)}`;
  return undefined;
}

const unitsOf = ({ unit }: Bounds, n: number) => (unit ? ` ${unit}${n === 1 ? "" : "s"}` : "");

/**
 * Checks a value against a schema and returns its problems as "where: what" (at most MAX_PROBLEMS;
 * none when it fits). Messages name the field and the rule, never the value (it may be something
 * private). Only own properties count: `__proto__` or `constructor` in a body is a field like any other.
 */
// biome-ignore lint/suspicious/noExplicitAny: the JSON boundary: any value a caller or a server sent.
export function validate(value: any, schema: Schema, where: string, problems: string[] = []): string[] {
  const actual = typeOf(value);
  const { type } = schema;
  if (type && actual !== type && !(type === "number" && actual === "integer")) {
    const got = actual === "number" && Number.isInteger(value) ? "an integer beyond 2^53" : actual;
    return report(problems, where, `expected ${type === "integer" ? "an" : "a"} ${type}, got ${got}`);
  }
  if (schema.enum && !schema.enum.includes(value)) return report(problems, where, `must be one of ${schema.enum.join(", ")}`);
  if (actual === "string" && LONE_SURROGATE.test(value)) return report(problems, where, "is not well-formed Unicode");
  if (actual === "number" && !Number.isFinite(value)) return report(problems, where, "must be a finite number");
  const outOfBounds = boundProblem(value, actual, schema);
  if (outOfBounds) return report(problems, where, outOfBounds);
  if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value)) return report(problems, where, `must match ${schema.pattern}`);
  if (actual === "array" && schema.items) {
    for (let i = 0; i < value.length && problems.length < MAX_PROBLEMS; i++) validate(value[i], schema.items, `${where}[${i}]`, problems);
  }
  if (actual === "object") {
    for (const name of schema.required ?? []) if (!has(value, name) || value[name] === undefined) report(problems, `${where}.${name}`, "is required");
    for (const name of Object.keys(value)) {
      if (problems.length >= MAX_PROBLEMS) break;
      const property = schema.properties && has(schema.properties, name) ? schema.properties[name] : undefined;
      const extra = schema.additionalProperties;
      const rule = property ?? (typeof extra === "object" ? extra : undefined);
      if (!rule && extra === false) report(problems, `${where}.${name}`, "is not a known field");
      else if (rule && value[name] !== undefined) validate(value[name], rule, `${where}.${name}`, problems);
    }
  }
  return problems;
}
