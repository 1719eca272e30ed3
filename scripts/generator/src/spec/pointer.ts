/** JSON pointers (RFC 6901) into a spec's example values: `/data/part_items` → `example.data.part_items`. */

/** `/a/b~1c` → `["a", "b/c"]`; the empty pointer (the whole value) is not one a spec extension may use. */
const POINTER = /^(?:\/(?:[^~/]|~[01])*)+$/;

export const isJsonPointer = (value: unknown): value is string => typeof value === "string" && POINTER.test(value);

/** The value a pointer names inside `root`, wrapped (it may be null); undefined when nothing is there. */
export function valueAt(root: unknown, pointer: string): { value: unknown } | undefined {
  let at: unknown = root;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (Array.isArray(at) && /^(?:0|[1-9][0-9]*)$/.test(key) && Number(key) < at.length) at = at[Number(key)];
    else if (typeof at === "object" && at !== null && !Array.isArray(at) && Object.hasOwn(at, key)) at = (at as Record<string, unknown>)[key];
    else return undefined;
  }
  return { value: at };
}
