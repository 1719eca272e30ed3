/**
 * The fields of a method's input: parameters (an operation's overriding the path's of the same name
 * and place), then the top-level properties of the JSON body.
 */
import type {
  MediaTypeObject,
  OperationObject,
  ParameterObject,
  PathItemObject,
  ReferenceObject,
  RequestBodyObject,
  SchemaObject,
} from "openapi-typescript";
import type { Located, SpecDocument } from "../spec/document.js";
import { camelCase } from "../spec/names.js";
import { child } from "../spec/problems.js";
import { exampleOf } from "./examples.js";
import { stringExtension } from "./extensions.js";
import { optional } from "./optional.js";
import { runtimeSchema } from "./schema.js";
import type { Example, FieldIR } from "./types.js";

/** Keywords of a Parameter Object the client honours; `style`, `explode`, `content`… would change the serialization it does. */
const PARAMETER_KEYS = new Set(["name", "in", "description", "required", "deprecated", "schema", "example", "examples"]);

interface Where {
  spec: SpecDocument;
  id: string;
  /** The path item's pointer and the operation's. */
  itemPointer: string;
  pointer: string;
}

/** Path-level parameters, then the operation's; a later one replaces an earlier one with the same place and name. */
export function mergedParameters(item: PathItemObject, op: OperationObject, { spec, itemPointer, pointer }: Where): Located<ParameterObject>[] {
  const byPlace = new Map<string, Located<ParameterObject>>();
  const lists: [(ParameterObject | ReferenceObject)[] | undefined, string][] = [
    [item.parameters, child(itemPointer, "parameters")],
    [op.parameters, child(pointer, "parameters")],
  ];
  for (const [list, at] of lists) {
    for (const [index, raw] of (list ?? []).entries()) {
      const located = spec.resolve<ParameterObject>(raw, child(at, index));
      if (located) byPlace.set(`${located.node.in}:${located.node.name}`, located);
    }
  }
  return [...byPlace.values()];
}

export function parameterField({ node: p, pointer }: Located<ParameterObject>, { spec, id }: Where): FieldIR | undefined {
  for (const keyword of Object.keys(p)) {
    if (!keyword.startsWith("x-") && !PARAMETER_KEYS.has(keyword)) spec.problems.add(pointer, `unsupported keyword "${keyword}"`);
  }
  if (p.in === "cookie") {
    // The client sends no cookies: an optional one is left out, a required one cannot be.
    if (p.required) spec.problems.add(pointer, "a required cookie parameter is not supported");
    return undefined;
  }
  const schemaPointer = child(pointer, "schema");
  const schema = spec.resolve<SchemaObject>(p.schema, schemaPointer)?.node;
  return {
    key: stringExtension(p, "x-presign-name", pointer, spec.problems) ?? camelCase(p.name),
    name: p.name,
    in: p.in,
    required: Boolean(p.required),
    schema: runtimeSchema(spec, p.schema, schemaPointer, "input"),
    ...optional("doc", p.description ?? schema?.description),
    type: `NonNullable<operations[${JSON.stringify(id)}]["parameters"][${JSON.stringify(p.in)}]>[${JSON.stringify(p.name)}]`,
    ...optional("default", schema && "default" in schema ? { value: schema.default } : undefined),
    ...optional("example", exampleOf(spec, p, pointer) ?? exampleOf(spec, schema, schemaPointer)),
  };
}

/** The JSON body's top-level properties as fields; undefined when the operation sends no body. */
export function bodyFields(raw: RequestBodyObject | ReferenceObject | undefined, { spec, id, pointer }: Where): FieldIR[] | undefined {
  const body = spec.resolve<RequestBodyObject>(raw, child(pointer, "requestBody"));
  if (!body) return undefined;
  const mediaPointer = child(child(body.pointer, "content"), "application/json");
  const media = spec.resolve<MediaTypeObject>(body.node.content?.["application/json"], mediaPointer);
  if (!media) {
    spec.problems.add(body.pointer, "the request body needs application/json content: the client sends JSON only");
    return undefined;
  }
  const located = spec.resolve<SchemaObject>(media.node.schema, child(media.pointer, "schema"));
  if (!located) return [];
  const { node: schema, pointer: schemaPointer } = located;
  // The top-level object is checked like any schema: a keyword on it must be one the client honours.
  const top = runtimeSchema(spec, schema, schemaPointer, "input");
  if (top.additionalProperties !== false) {
    spec.problems.add(schemaPointer, "the body must list its fields (additionalProperties: false): the client refuses any other");
  }
  const bodyExample = exampleOf(spec, media.node, media.pointer);
  return Object.entries(("properties" in schema && schema.properties) || {}).map(([name, property]): FieldIR => {
    const at = child(child(schemaPointer, "properties"), name);
    const resolved = spec.resolve<SchemaObject>(property, at)?.node;
    const example = bodyExample ? exampleProperty(bodyExample.value, name) : exampleOf(spec, resolved, at);
    return {
      key: camelCase(name),
      name,
      in: "body",
      required: (schema.required ?? []).includes(name),
      schema: top.properties?.[name] ?? {},
      ...optional("doc", resolved?.description),
      type: `NonNullable<operations[${JSON.stringify(id)}]["requestBody"]>["content"]["application/json"][${JSON.stringify(name)}]`,
      ...optional("default", resolved && "default" in resolved ? { value: resolved.default } : undefined),
      ...optional("example", example),
    };
  });
}

/** The JSON request body's example, when the operation has one (its problems are reported by bodyFields). */
export function requestBodyExample(raw: RequestBodyObject | ReferenceObject | undefined, { spec, pointer }: Where): Example | undefined {
  const body = spec.resolve<RequestBodyObject>(raw, child(pointer, "requestBody"));
  if (!body) return undefined;
  const mediaPointer = child(child(body.pointer, "content"), "application/json");
  const media = spec.resolve<MediaTypeObject>(body.node.content?.["application/json"], mediaPointer);
  return media ? exampleOf(spec, media.node, media.pointer) : undefined;
}

/** A property of the body's example, when the example has it. */
function exampleProperty(body: unknown, name: string) {
  return typeof body === "object" && body !== null && name in body ? { value: (body as Record<string, unknown>)[name] } : undefined;
}
