/**
 * The generator's model of one spec (its intermediate representation): everything an emitter needs,
 * with named fields, `$ref`s resolved and names decided. Emitters read this, never the YAML.
 */
import type { OpenAPI3 } from "openapi-typescript";
import type { HttpMethod } from "../spec/names.js";

/** Where an input field goes on the wire. */
export type Place = "path" | "query" | "header" | "body";

/** Where an operation's presigned URL(s) sit: core's own `PresignedUrlDefinition`, as the runtime reads it. */
import type { PresignedUrlDefinition as PresignedUrlIR } from "../../../../packages/core/src/definition.ts";
/**
 * The subset of JSON Schema the runtime validator checks (`Schema` in @presign/core). A spec keyword
 * outside it is an error where the validator would need it, so nothing is dropped silently.
 */
/** The validator's subset of a schema: core's own `Schema`, read from its sources (type-only). */
import type { Schema as RuntimeSchema } from "../../../../packages/core/src/validate.ts";

export type { PresignedUrlIR, RuntimeSchema };

/** An example found in the spec (`value` may itself be undefined or null, hence the wrapper). */
export interface Example {
  value: unknown;
}

export interface ServerVariableIR {
  name: string;
  default: string;
  enum?: string[];
  /** Environment variable read when the option is not given (`x-presign-env`). */
  env?: string;
  /** The default is not safe to use: the user must choose (`x-presign-required`). */
  required: boolean;
  description?: string;
}

export interface ServerIR {
  url: string;
  description?: string;
  variables: ServerVariableIR[];
}

/** A security scheme as a client option (`x-presign-option`), sent in a header or as a bearer token. */
export interface AuthSchemeIR {
  /** The scheme's name in `components.securitySchemes`. */
  id: string;
  option: string;
  in: "header" | "bearer";
  /** The header, for `in: "header"`. */
  name?: string;
  env?: string;
  /** `false` for an identifier that errors and logs may show (`x-presign-secret: false`). */
  secret: boolean;
  description?: string;
}

/** A member of the generated `<Name>ClientOptions`: a server variable or a credential. */
export interface ClientOptionIR {
  key: string;
  doc: string;
  /** Its TypeScript type. */
  type: string;
}

/** One field of a method's input: a parameter or a top-level property of the JSON body. */
export interface FieldIR {
  /** The key in the method's input object (`x-presign-name`, else the camelCase wire name). */
  key: string;
  /** The name on the wire. */
  name: string;
  in: Place;
  required: boolean;
  schema: RuntimeSchema;
  doc?: string;
  /** Its TypeScript type, as a type over schema.ts's `operations`. */
  type: string;
  /** The schema's `default`, which the server applies (not part of the runtime schema). */
  default?: Example;
  /** The example the README shows for it. */
  example?: Example;
}

/** A documented 4xx or 5xx response. */
export interface ErrorResponseIR {
  status: number;
  description?: string;
  /** Example bodies of its JSON content: `example`, then every one of `examples`. */
  examples: unknown[];
}

export interface SuccessResponseIR {
  status: number;
  description?: string;
  /** Present when the response has JSON content. */
  json?: { schema: RuntimeSchema; example?: Example };
}

export interface OperationIR {
  id: string;
  methodName: string;
  /** Name of the generated input type. */
  inputName: string;
  method: Uppercase<HttpMethod>;
  path: string;
  summary?: string;
  description?: string;
  /** Parameters (an operation's overriding the path's), then the top-level fields of the JSON body. */
  fields: FieldIR[];
  /** It sends a JSON body, even when none of its fields is given. */
  json: boolean;
  /** May be repeated after a timeout, a broken connection or a 5xx. */
  idempotent: boolean;
  /** Alternatives, each a set of scheme ids sent together. */
  security: string[][];
  success: SuccessResponseIR;
  errors: ErrorResponseIR[];
  /** The `default` response, when documented. */
  fallback?: { description?: string };
  /** Where the success body's presigned URL (or part URLs) sit (`x-presign-url`), checked against the examples. */
  presigned?: PresignedUrlIR;
}

export interface ApiIR {
  /** The provider's name: its spec's file name (`datadog`). */
  provider: string;
  /** `Datadog`: the stem of the generated type and factory names. */
  typeName: string;
  title: string;
  description?: string;
  /** `info.summary`, a one-line description. */
  summary?: string;
  /** Where a user gets the credentials (`x-presign-credentials` on `info`), for the READMEs. */
  credentialsHelp?: string;
  /** The spec's path as shown in generated files (`specs/datadog.yaml`). */
  specPath: string;
  server: ServerIR;
  auth: AuthSchemeIR[];
  clientOptions: ClientOptionIR[];
  operations: OperationIR[];
  /** The spec itself, for openapi-typescript's types. */
  document: OpenAPI3;
}
