import type { Schema } from "./validate.js";

/** How one security scheme puts its credential on the wire. */
export interface AuthScheme {
  /** The client option that holds the credential. */
  option: string;
  /** `header`: the value as-is in header `name`; `bearer`: `Authorization: Bearer <value>`. */
  in: "header" | "bearer";
  name?: string;
  /** Environment variable read when the option is not given. */
  env?: string;
  /** `false` for an identifier that is not secret (Spaaza's session user and chain ids): it is not redacted. */
  secret?: boolean;
}

export interface ServerVariable {
  default: string;
  enum?: readonly string[];
  env?: string;
  /** The user must choose a value (or give `baseUrl`): the default is not safe to use. */
  required?: boolean;
}

export interface Param {
  /** Key in the method's input object. */
  key: string;
  /** Name on the wire. */
  name: string;
  in: "path" | "query" | "header";
  required: boolean;
  schema: Schema;
}

export interface OperationDefinition {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  params: readonly Param[];
  /** Top-level body fields: input key → wire name. Absent when the operation takes no body. */
  body?: Readonly<Record<string, string>>;
  /** The body schema, keyed by wire names. */
  bodySchema?: Schema;
  /** Alternatives, each a set of schemes sent together. */
  security: readonly (readonly string[])[];
  /** Schema of the success body, to catch a response that is not what the spec promises. */
  response?: Schema;
}

/** Everything the generator derives from one spec. */
export interface ApiDefinition {
  server: { url: string; variables: Readonly<Record<string, ServerVariable>> };
  auth: Readonly<Record<string, AuthScheme>>;
  operations: Readonly<Record<string, OperationDefinition>>;
}
