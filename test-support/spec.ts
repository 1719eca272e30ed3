/**
 * Reading the specs: every specs/*.yaml as parsed YAML, local `$ref`s followed, and a readable
 * address for any node ("specs/datalab.yaml at paths["/api/v1/files/{file_id}/download"].get")
 * so that a message can say exactly where something belongs.
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

/** A node of a parsed spec: JSON of any shape. */
// biome-ignore lint/suspicious/noExplicitAny: the JSON boundary: whatever a spec's YAML holds.
export type Json = Record<string, any>;

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export interface SpecFile {
  /** The provider's name: the spec's file name without `.yaml`. */
  name: string;
  /** Relative to the repository root, e.g. `specs/datalab.yaml`. */
  file: string;
  doc: Json;
}

/** Every spec in specs/, sorted by provider name. */
export function readSpecs(root = REPO_ROOT): SpecFile[] {
  return readdirSync(join(root, "specs"))
    .filter((entry) => entry.endsWith(".yaml"))
    .sort()
    .map((entry) => ({
      name: basename(entry, ".yaml"),
      file: `specs/${entry}`,
      doc: parse(readFileSync(join(root, "specs", entry), "utf8")) as Json,
    }));
}

/** A path into a document, written the way a reader finds it: `paths["/a/{b}"].get.parameters[0]`. */
export function address(keys: readonly (string | number)[]): string {
  return keys
    .map((key, i) => {
      if (typeof key === "number") return `[${key}]`;
      if (/^[A-Za-z_$][\w$-]*$/.test(key)) return i === 0 ? key : `.${key}`;
      return `[${JSON.stringify(key)}]`;
    })
    .join("");
}

/** A node with the keys it sits at once its `$ref`s are followed (the place to edit it). */
export interface Located {
  node: Json | undefined;
  keys: (string | number)[];
}

/** Follows `$ref`s (local ones: `#/components/...`) until a node without one. */
export function follow(doc: Json, node: Json | undefined, keys: (string | number)[]): Located {
  let current: Located = { node, keys };
  for (let hops = 0; typeof current.node?.$ref === "string"; hops++) {
    if (hops > 32) throw new Error(`$ref cycle at ${address(keys)}`);
    const target = (current.node.$ref as string)
      .replace(/^#\//, "")
      .split("/")
      .map((key) => key.replaceAll("~1", "/").replaceAll("~0", "~"));
    current = { node: target.reduce<Json | undefined>((at, key) => at?.[key], doc), keys: target };
  }
  return current;
}

/** `follow` for when only the node matters. */
export const deref = (doc: Json, node: Json | undefined): Json | undefined => follow(doc, node, []).node;
