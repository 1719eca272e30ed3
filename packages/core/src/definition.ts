import type { ErrorKind } from "./errors.js";
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

/** Where an input field goes on the wire. */
export type Place = "path" | "query" | "header" | "body";

/** One field of a method's input. */
export interface Field {
  /** The key in the method's input object. */
  key: string;
  /** The name on the wire: a parameter's name, or a top-level property of the JSON body. */
  name: string;
  in: Place;
  required: boolean;
  schema: Schema;
}

export interface OperationDefinition {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  /** Parameters, then the top-level fields of the JSON body (nested objects keep their wire names). */
  fields: readonly Field[];
  /** The operation sends a JSON body, even when none of its fields is given. */
  json?: boolean;
  /** Alternatives, each a set of schemes sent together. */
  security: readonly (readonly string[])[];
  /**
   * The request may be repeated without repeating a state change, so a timeout, a broken connection
   * or a 5xx may be retried. Default: true for GET, HEAD, OPTIONS, PUT and DELETE; a POST or PATCH
   * only when its spec says `x-presign-idempotent: true`.
   */
  idempotent?: boolean;
  /** Schema of the success body, to catch a response that is not what the spec promises. */
  response?: Schema;
}

/** Everything the generator derives from one spec. */
export interface ApiDefinition {
  server: { url: string; variables: Readonly<Record<string, ServerVariable>> };
  auth: Readonly<Record<string, AuthScheme>>;
  operations: Readonly<Record<string, OperationDefinition>>;
}

/** What a provider's error body says, as read by that provider's profile. */
export interface ProviderErrorInfo {
  /** Overrides the kind the HTTP status implies (Powerdrill's codes say more than its statuses). */
  kind?: ErrorKind;
  code?: string | number;
  messages: string[];
}

/** The hand-written facts about a provider that its spec cannot express. */
export interface Profile {
  provider: string;
  userAgent: string;
  /**
   * Reads an error out of a response body. For an error status it describes the error; for a
   * success status it returns undefined unless the body itself reports an error (Powerdrill).
   */
  errorOf(status: number, body: unknown): ProviderErrorInfo | undefined;
  /** Response headers that carry a request or trace id. */
  requestIdHeaders?: readonly string[];
  /** Headers of a 429 that count seconds until the rate limit resets (Retry-After is always read). */
  rateLimitResetHeaders?: readonly string[];
}
