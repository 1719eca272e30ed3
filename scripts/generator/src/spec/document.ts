/**
 * The parsed spec with its `$ref`s resolved in one place. A resolved node keeps the JSON pointer
 * where it really lives, so a problem inside a shared component is reported there.
 */
import type { OpenAPI3, ReferenceObject } from "openapi-typescript";
import { parse } from "yaml";
import { type Problems, SpecError } from "./problems.js";

/** A node of the spec and the JSON pointer where it lives. */
export interface Located<T> {
  node: T;
  pointer: string;
}

export const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

const isReference = (value: unknown): value is ReferenceObject => isObject(value) && typeof value.$ref === "string";

/** Parses a spec's YAML (or JSON): the one place where untyped data becomes an `OpenAPI3`. */
export function parseSpec(text: string, specPath: string): OpenAPI3 {
  const doc: unknown = parse(text);
  if (!isObject(doc) || typeof doc.openapi !== "string" || !doc.openapi.startsWith("3.")) {
    throw new SpecError([`${specPath}: not an OpenAPI 3 document`]);
  }
  if (!isObject(doc.info) || typeof doc.info.title !== "string") throw new SpecError([`${specPath}#/info: needs a title`]);
  return doc as unknown as OpenAPI3;
}

/** More references in a row than any spec needs: they go round in a loop. */
const MAX_HOPS = 32;

export class SpecDocument {
  constructor(
    readonly doc: OpenAPI3,
    readonly problems: Problems,
  ) {}

  /**
   * The node a value stands for, following `$ref`s inside this document. A reference that does not
   * resolve is reported and yields undefined.
   */
  resolve<T extends object>(value: T | ReferenceObject | undefined, pointer: string): Located<T> | undefined {
    let node: unknown = value;
    let at = pointer;
    for (let hops = 0; isReference(node); hops++) {
      const ref = node.$ref;
      if (hops === MAX_HOPS) {
        this.problems.add(pointer, `$ref "${ref}" leads to a loop of references`);
        return undefined;
      }
      const target = ref.startsWith("#/") ? this.lookUp(ref) : undefined;
      if (target === undefined) {
        this.problems.add(at, `$ref "${ref}" does not resolve to a node of this document`);
        return undefined;
      }
      node = target;
      at = ref;
    }
    return node === undefined ? undefined : { node: node as T, pointer: at };
  }

  private lookUp(ref: string): unknown {
    let at: unknown = this.doc;
    for (const raw of ref.slice(2).split("/")) {
      const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
      at = isObject(at) || Array.isArray(at) ? (at as Record<string, unknown>)[key] : undefined;
    }
    return at;
  }
}
