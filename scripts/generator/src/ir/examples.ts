/** Examples from a spec: what the README shows as a call's input and result, and the error bodies it classifies. */
import type { ExampleObject, ReferenceObject } from "openapi-typescript";
import { isObject, type SpecDocument } from "../spec/document.js";
import { child } from "../spec/problems.js";
import type { Example } from "./types.js";

/** Where examples live: a parameter, a media type or a schema. */
interface WithExamples {
  example?: unknown;
  examples?: unknown;
}

/**
 * The example of a parameter, media type or schema: `example`, else the first of `examples` (a
 * schema's list, or a map of Example Objects).
 */
export function exampleOf(spec: SpecDocument, node: WithExamples | undefined, pointer: string): Example | undefined {
  if (!node) return undefined;
  if (node.example !== undefined) return { value: node.example };
  if (Array.isArray(node.examples)) return node.examples.length ? { value: node.examples[0] } : undefined;
  return namedExamples(spec, node, pointer)[0];
}

/** Every value of a media type's `example` and `examples` map, in that order. */
export function allExamples(spec: SpecDocument, node: WithExamples | undefined, pointer: string): unknown[] {
  if (!node) return [];
  const values = node.example === undefined ? [] : [node.example];
  return [...values, ...namedExamples(spec, node, pointer).map((example) => example.value)];
}

/** The Example Objects of an `examples` map that carry a value. */
function namedExamples(spec: SpecDocument, node: WithExamples, pointer: string): Example[] {
  if (!isObject(node.examples)) return [];
  const at = child(pointer, "examples");
  return Object.entries(node.examples as Record<string, ExampleObject | ReferenceObject>)
    .map(([name, raw]) => spec.resolve<ExampleObject>(raw, child(at, name))?.node)
    .filter((example): example is ExampleObject => example !== undefined && "value" in example)
    .map((example) => ({ value: example.value }));
}
