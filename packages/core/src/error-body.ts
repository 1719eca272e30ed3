/** Small readers for error bodies of unknown shape, shared by the provider profiles. */

export function field(body: unknown, name: string): unknown {
  return body && typeof body === "object" ? (body as Record<string, unknown>)[name] : undefined;
}

/** The strings in a value that should be a string or a list of strings. */
export function strings(value: unknown): string[] {
  if (typeof value === "string") return value.trim() ? [value.trim()] : [];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}
