/** An operation's responses: the success body it resolves to, and the error statuses it documents. */
import type { MediaTypeObject, ReferenceObject, ResponseObject, ResponsesObject } from "openapi-typescript";
import type { SpecDocument } from "../spec/document.js";
import { child } from "../spec/problems.js";
import { allExamples, exampleOf } from "./examples.js";
import { optional } from "./optional.js";
import { runtimeSchema } from "./schema.js";
import type { ErrorResponseIR, SuccessResponseIR } from "./types.js";

interface Responses {
  success?: SuccessResponseIR;
  errors: ErrorResponseIR[];
  fallback?: { description?: string };
}

export function readResponses(spec: SpecDocument, responses: ResponsesObject | undefined, pointer: string): Responses {
  const at = child(pointer, "responses");
  const entries = Object.entries<ResponseObject | ReferenceObject>(responses ?? {}).map(([status, raw]) => ({
    status,
    located: spec.resolve<ResponseObject>(raw, child(at, status)),
  }));
  const errors: ErrorResponseIR[] = [];
  let success: SuccessResponseIR | undefined;
  let fallback: Responses["fallback"];
  for (const { status, located } of entries) {
    if (!located) continue;
    const { node, pointer: responsePointer } = located;
    const json = jsonContent(spec, node, responsePointer);
    if (/^2\d\d$/.test(status) && !success) success = successResponse(spec, Number(status), node, json);
    else if (/^[45]\d\d$/.test(status)) {
      errors.push({
        status: Number(status),
        ...optional("description", node.description),
        examples: allExamples(spec, json?.node, json?.pointer ?? ""),
      });
    } else if (status === "default") fallback = optional("description", node.description);
  }
  return { ...optional("success", success), errors, ...optional("fallback", fallback) };
}

function jsonContent(spec: SpecDocument, response: ResponseObject, pointer: string) {
  return spec.resolve<MediaTypeObject>(response.content?.["application/json"], child(child(pointer, "content"), "application/json"));
}

function successResponse(spec: SpecDocument, status: number, response: ResponseObject, json: ReturnType<typeof jsonContent>): SuccessResponseIR {
  if (!json) return { status, ...optional("description", response.description) };
  const schema = runtimeSchema(spec, json.node.schema, child(json.pointer, "schema"), "response");
  const example = exampleOf(spec, json.node, json.pointer);
  return { status, ...optional("description", response.description), json: { schema, ...optional("example", example) } };
}
