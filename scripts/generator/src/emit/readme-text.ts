/** Small Markdown helpers of the README emitter, and how a field's schema reads in a table. */
import type { FieldIR, RuntimeSchema } from "../ir/types.js";

export const code = (text: unknown) => `\`${String(text)}\``;

/** Folds a description onto one line for a table cell. */
export const cell = (text: string | undefined) =>
  (text ?? "")
    .replace(/\s*\n\s*/g, " ")
    .replaceAll("|", "\\|")
    .trim();

/** The type a reader passes: enum values, `number` for integers, `string[]`… */
export function typeText(schema: RuntimeSchema): string {
  if (schema.enum) return schema.enum.map((e) => JSON.stringify(e)).join(" \\| ");
  if (schema.type === "array") {
    const item = typeText(schema.items ?? {});
    return item.includes(" ") ? `(${item})[]` : `${item}[]`;
  }
  if (schema.type) return schema.type === "integer" || schema.type === "number" ? "number" : schema.type;
  return "unknown";
}

/** A field's constraints and default, " (1 to 10, default `5`)", or "". */
export function constraintsText({ schema: s, default: fallback }: FieldIR): string {
  const facts = [
    s.minimum !== undefined && s.maximum !== undefined ? `${s.minimum} to ${s.maximum}` : undefined,
    s.minimum !== undefined && s.maximum === undefined ? `≥ ${s.minimum}` : undefined,
    s.maximum !== undefined && s.minimum === undefined ? `≤ ${s.maximum}` : undefined,
    s.minLength !== undefined ? `min length ${s.minLength}` : undefined,
    s.maxLength !== undefined ? `max length ${s.maxLength}` : undefined,
    s.pattern !== undefined ? `pattern ${code(s.pattern)}` : undefined,
    s.minItems !== undefined ? `at least ${s.minItems} item${s.minItems === 1 ? "" : "s"}` : undefined,
    fallback && fallback.value !== undefined ? `default ${code(JSON.stringify(fallback.value))}` : undefined,
  ].filter(Boolean);
  return facts.length ? ` (${facts.join(", ")})` : "";
}

/** The value a README example passes for a field: the spec's example, else a placeholder when it is required. */
export function exampleValue(field: FieldIR): { value: unknown } | undefined {
  if (field.example) return field.example;
  if (!field.required) return undefined;
  return { value: typeText(field.schema) === "number" ? (field.schema.minimum ?? 1) : `<${field.name}>` };
}
