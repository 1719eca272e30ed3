/** Security schemes as credential options: a header, or `Authorization: Bearer`. */
import type { SecuritySchemeObject } from "openapi-typescript";
import type { SpecDocument } from "../spec/document.js";
import { child } from "../spec/problems.js";
import { booleanExtension, stringExtension } from "./extensions.js";
import { optional } from "./optional.js";
import type { AuthSchemeIR, ClientOptionIR } from "./types.js";

export function readAuth(spec: SpecDocument): AuthSchemeIR[] {
  const schemes: AuthSchemeIR[] = [];
  for (const [id, raw] of Object.entries(spec.doc.components?.securitySchemes ?? {})) {
    const located = spec.resolve<SecuritySchemeObject>(raw, child("#/components/securitySchemes", id));
    if (!located) continue;
    const { node: s, pointer } = located;
    const option = stringExtension(s, "x-presign-option", pointer, spec.problems);
    if (!option) spec.problems.add(pointer, "needs x-presign-option: the client option that holds the credential");
    const bearer = (s.type === "http" && s.scheme.toLowerCase() === "bearer") || s.type === "oauth2";
    if (!bearer && !(s.type === "apiKey" && s.in === "header")) spec.problems.add(pointer, "is neither a header API key nor a bearer scheme");
    schemes.push({
      id,
      option: option ?? id,
      in: bearer ? "bearer" : "header",
      ...(s.type === "apiKey" && !bearer ? { name: s.name } : {}),
      ...optional("env", stringExtension(s, "x-presign-env", pointer, spec.problems)),
      secret: booleanExtension(s, "x-presign-secret", pointer, spec.problems) ?? true,
      ...optional("description", s.description),
    });
  }
  return schemes;
}

/** A credential as a member of the client options. */
export function credentialOption(scheme: AuthSchemeIR): ClientOptionIR {
  const where = scheme.in === "bearer" ? "`Authorization: Bearer …`" : `the \`${scheme.name}\` header`;
  const envDoc = scheme.env ? ` Read from \`${scheme.env}\` when not given.` : "";
  const description = scheme.description ? `${scheme.description.trim()}\n\n` : "";
  return { key: scheme.option, doc: `${description}Sent as ${where}.${envDoc}`, type: "string" };
}
