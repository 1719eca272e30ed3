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
  /** Where the presigned URL (or part URLs) of the success body sits: the spec's `x-presign-url`. */
  presigned?: PresignedUrlDefinition;
}

/**
 * How to read the presigned URL(s) an operation answers with, from its spec's `x-presign-url`.
 * Pointers are JSON pointers (RFC 6901) into the success body, or for `headers` and `partHeaders`
 * into the JSON request body as sent (wire names).
 */
export interface PresignedUrlDefinition {
  /** The method the URL is signed for. */
  method: "GET" | "PUT";
  /** Pointer to the one URL. Either this or `parts`. */
  url?: string;
  /**
   * Part URLs. `at` points to an object keyed by part number (`{ "1": url }`, Datadog), or to a
   * list whose items give the part's number, URL and size under the names `number`, `url`, `size`.
   */
  parts?: { at: string; number?: string; url?: string; size?: string };
  /** Pointer to an absolute expiry (an ISO date-time) in the success body. */
  expiresAt?: string;
  /** Pointer to a lifetime in seconds in the success body, counted from the response's `Date`. */
  expiresIn?: string;
  /** The provider's documented lifetime in seconds, for when neither the body nor the URL says. */
  lifetime?: number;
  /** Headers the storage request must carry, each read from the request body (`{ "Content-Type": "/content_type" }`). */
  headers?: Readonly<Record<string, string>>;
  /** Per-part headers, read from the request's list of parts: `{ at: "/parts", number: "partNumber", headers: { "Content-MD5": "md5" } }`. */
  partHeaders?: { at: string; number: string; headers: Readonly<Record<string, string>> };
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
