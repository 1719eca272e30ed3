/** The spec's first server as the client's default base URL; its variables become client options. */
import type { ServerObject, ServerVariableObject } from "openapi-typescript";
import type { SpecDocument } from "../spec/document.js";
import { child } from "../spec/problems.js";
import { booleanExtension, stringExtension } from "./extensions.js";
import { optional } from "./optional.js";
import type { ClientOptionIR, ServerIR, ServerVariableIR } from "./types.js";

export function readServer(spec: SpecDocument): ServerIR {
  const server: Partial<ServerObject> = spec.doc.servers?.[0] ?? { url: "" };
  const pointer = "#/servers/0";
  const variables = Object.entries<ServerVariableObject>(server.variables ?? {}).map(([name, v]): ServerVariableIR => {
    const at = child(child(pointer, "variables"), name);
    if (typeof v.default !== "string") spec.problems.add(at, "needs a string default");
    return {
      name,
      default: v.default,
      ...(v.enum ? { enum: v.enum } : {}),
      ...optional("env", stringExtension(v, "x-presign-env", at, spec.problems)),
      required: booleanExtension(v, "x-presign-required", at, spec.problems) ?? false,
      ...optional("description", v.description),
    };
  });
  return { url: server.url ?? "", ...optional("description", server.description), variables };
}

/** A server variable as a member of the client options, documented with its default and environment variable. */
export function variableOption(v: ServerVariableIR): ClientOptionIR {
  const facts = [
    `Default: \`${v.default}\`${v.required && !v.enum ? " is not used: give this or `baseUrl`" : ""}.`,
    v.env ? `Read from \`${v.env}\` when not given.` : undefined,
  ];
  return {
    key: v.name,
    doc: [v.description, ...facts].filter(Boolean).join(" "),
    type: v.enum ? v.enum.map((e) => JSON.stringify(e)).join(" | ") : "string",
  };
}
