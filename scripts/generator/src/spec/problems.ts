/**
 * What is wrong with a spec, each problem named by the spec file and the JSON pointer of the node
 * at fault (`specs/acme.yaml#/paths/~1files/get: …`), all reported at once.
 */
export class SpecError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "SpecError";
  }
}

/** Collects the problems found while reading one spec. */
export class Problems {
  readonly found: string[] = [];

  constructor(readonly specPath: string) {}

  /**
   * Records a problem at `pointer` (a JSON pointer such as `#/components/schemas/Pet`), once: a
   * shared component is read by every operation that uses it.
   */
  add(pointer: string, message: string): void {
    const problem = `${this.specPath}${pointer}: ${message}`;
    if (!this.found.includes(problem)) this.found.push(problem);
  }

  /** Stops here when anything was found: the caller cannot go on without it. */
  throwIfAny(): void {
    if (this.found.length) throw new SpecError(this.found);
  }
}

/** A JSON pointer one step further: `child("#/paths", "/files/{id}")` → `#/paths/~1files~1{id}`. */
export function child(pointer: string, key: string | number): string {
  return `${pointer}/${String(key).replaceAll("~", "~0").replaceAll("/", "~1")}`;
}
