/**
 * Every provider, discovered from specs/*.yaml: its operations with sample inputs taken from the
 * spec's examples, the example success response and where the presigned URL sits in it, fake
 * credentials for its security schemes, and its server variables. Spec facts only: the names a
 * client gives them (method and input keys) come from the generated definitions (./clients.ts).
 * Adding specs/<new>.yaml is all it takes for every suite, the mock, the demo and the bench.
 */
import { exampleOf, type Sample, sampleOf } from "./samples.ts";
import { address, deref, follow, type Json, readSpecs, type SpecFile } from "./spec.ts";

export type Place = "path" | "query" | "header" | "body";
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
const HTTP_METHODS = ["get", "post", "put", "patch", "delete"] as const;

/** One input of an operation, as the spec has it (wire name and place). */
export interface SpecInput {
  name: string;
  in: Place;
  required: boolean;
  /** The schema with its `$ref` followed. */
  schema: Json;
  /** The spec's example for it, else the smallest value its schema accepts; undefined if neither is known. */
  sample?: Sample;
  /** Where an `example` for this input goes, for messages: `specs/x.yaml at components.parameters.Id`. */
  where: string;
}

/** One response of an operation: its example body and the headers the spec says it always carries. */
export interface SpecResponse {
  /** The HTTP status; `default` responses are listed under 0. */
  status: number;
  json: boolean;
  /** The example body (or the smallest the schema allows); undefined without a JSON body. */
  body?: unknown;
  /** Whether the body came from an example in the spec. */
  exampled: boolean;
  /** Required response headers, each with its example or a stand-in value. */
  headers: Record<string, string>;
  where: string;
}

export interface SpecOperation {
  operationId: string;
  method: HttpMethod;
  /** The path template, e.g. `/tasks/{id}/download_url`. */
  path: string;
  where: string;
  /** Parameters (cookies aside), then the top-level properties of the JSON body. */
  inputs: SpecInput[];
  /** Where the JSON body's example goes, when the operation has one. */
  body?: { required: boolean; where: string };
  /** Alternatives, each a set of security schemes sent together. */
  security: string[][];
  /** The first 2xx response. */
  success: SpecResponse;
  /** Every response with its example, 2xx included. */
  responses: SpecResponse[];
  /**
   * Keys into `success.body` of the presigned URL: where the spec's `x-presign-url` says (`url`),
   * else the first string that is an http(s) URL (the first part's URL, for part URLs).
   */
  presignedUrlAt?: string[];
  /** The spec's `x-presign-url`, when it has one: the method the URL is signed for and where it sits. */
  presignUrl?: PresignUrlSpec;
}

/** What the suites read of an operation's `x-presign-url` (the generator checks all of it). */
export interface PresignUrlSpec {
  method: "GET" | "PUT";
  /** JSON pointer to the one URL; absent for part URLs. */
  url?: string;
  parts?: { at: string };
}

/** One security scheme with a fake credential for it. */
export interface Credential {
  scheme: string;
  /** The client option that holds it (`x-presign-option`). */
  option: string;
  /** Long enough to be redacted; never a real credential. */
  value: string;
  /** False for identifiers (`x-presign-secret: false`): they are not redacted. */
  secret: boolean;
  /** The request header that carries it, lower case, and its value there. */
  header: string;
  sent: string;
}

export interface ServerVariable {
  name: string;
  default: string;
  enum?: string[];
  /** The client must be given a value (or a base URL): the default is not safe to use. */
  required: boolean;
}

export interface SpecProvider {
  /** The spec's file name without `.yaml`. */
  name: string;
  specFile: string;
  title: string;
  serverUrl: string;
  serverVariables: ServerVariable[];
  credentials: Credential[];
  operations: SpecOperation[];
}

/** Every provider in specs/, sorted by name. */
export function discoverProviders(specs: SpecFile[] = readSpecs()): SpecProvider[] {
  return specs.map(describeProvider);
}

function describeProvider(spec: SpecFile): SpecProvider {
  const { doc } = spec;
  const server = doc.servers?.[0] ?? { url: "" };
  return {
    name: spec.name,
    specFile: spec.file,
    title: doc.info?.title ?? spec.name,
    serverUrl: server.url,
    serverVariables: Object.entries<Json>(server.variables ?? {}).map(([name, v]) => ({
      name,
      default: v.default,
      ...(v.enum ? { enum: v.enum } : {}),
      required: v["x-presign-required"] === true,
    })),
    credentials: Object.entries<Json>(doc.components?.securitySchemes ?? {}).map(([scheme, raw]) => fakeCredential(scheme, deref(doc, raw) ?? {})),
    operations: Object.entries<Json>(doc.paths ?? {}).flatMap(([path, item]) =>
      HTTP_METHODS.filter((method) => item[method]).map((method) => describeOperation(spec, path, method)),
    ),
  };
}

function fakeCredential(scheme: string, s: Json): Credential {
  const option: string = s["x-presign-option"] ?? scheme;
  const secret = s["x-presign-secret"] !== false;
  const value = secret ? `test-${option}-secret-1234` : `test-${option}-id-1234`;
  const bearer = s.type === "oauth2" || (s.type === "http" && String(s.scheme).toLowerCase() === "bearer");
  return {
    scheme,
    option,
    value,
    secret,
    header: bearer ? "authorization" : String(s.name).toLowerCase(),
    sent: bearer ? `Bearer ${value}` : value,
  };
}

function describeOperation(spec: SpecFile, path: string, method: (typeof HTTP_METHODS)[number]): SpecOperation {
  const { doc } = spec;
  const keys = ["paths", path, method];
  const op: Json = doc.paths[path][method];
  const where = (at: (string | number)[]) => `${spec.file} at ${address(at)}`;
  const responses = Object.keys(op.responses ?? {}).map((status) => describeResponse(spec, op.responses[status], [...keys, "responses", status]));
  const success = responses.find((r) => r.status >= 200 && r.status < 300);
  if (!success) throw new Error(`${where(keys)}: no 2xx response`);
  const body = follow(doc, op.requestBody, [...keys, "requestBody"]);
  const presignUrl: PresignUrlSpec | undefined = op["x-presign-url"];
  const presignedUrlAt = presignUrl?.url ? pointerKeys(presignUrl.url) : urlIn(success.body);
  return {
    operationId: op.operationId,
    method: method.toUpperCase() as HttpMethod,
    path,
    where: where(keys),
    inputs: [...parameterInputs(spec, path, method), ...bodyInputs(spec, body)],
    ...(body.node?.content?.["application/json"]
      ? { body: { required: body.node.required === true, where: where([...body.keys, "content", "application/json"]) } }
      : {}),
    security: (op.security ?? doc.security ?? [{}]).map((alternative: Json) => Object.keys(alternative)),
    success,
    responses,
    ...(presignedUrlAt ? { presignedUrlAt } : {}),
    ...(presignUrl ? { presignUrl } : {}),
  };
}

/** `/data/presigned_url` → `["data", "presigned_url"]` (a JSON pointer's keys, unescaped). */
function pointerKeys(pointer: string): string[] {
  return pointer
    .slice(1)
    .split("/")
    .map((key) => key.replaceAll("~1", "/").replaceAll("~0", "~"));
}

/** Path-level and operation-level parameters (the operation's win), cookies left out as the clients do. */
function parameterInputs(spec: SpecFile, path: string, method: string): SpecInput[] {
  const item = spec.doc.paths[path];
  const byPlace = new Map<string, SpecInput>();
  const lists: [Json[] | undefined, (string | number)[]][] = [
    [item.parameters, ["paths", path, "parameters"]],
    [item[method].parameters, ["paths", path, method, "parameters"]],
  ];
  for (const [list, keys] of lists) {
    (list ?? []).forEach((raw, i) => {
      const { node: p = {}, keys: at } = follow(spec.doc, raw, [...keys, i]);
      if (p.in === "cookie") return;
      const schema = deref(spec.doc, p.schema) ?? {};
      const sample = exampleOf(p) ?? sampleOf(spec.doc, schema, p.name);
      byPlace.set(`${p.in}:${p.name}`, {
        name: p.name,
        in: p.in,
        required: p.required === true,
        schema,
        ...(sample ? { sample } : {}),
        where: `${spec.file} at ${address(at)}`,
      });
    });
  }
  return [...byPlace.values()];
}

/** The top-level properties of the JSON body; the body's own example wins over each property's. */
function bodyInputs(spec: SpecFile, body: { node: Json | undefined; keys: (string | number)[] }): SpecInput[] {
  const media = body.node?.content?.["application/json"];
  if (!media) return [];
  const { node: schema = {}, keys } = follow(spec.doc, media.schema, [...body.keys, "content", "application/json", "schema"]);
  const whole = exampleOf(media)?.value as Json | undefined;
  return Object.entries<Json>(schema.properties ?? {}).map(([name, raw]) => {
    const property = follow(spec.doc, raw, [...keys, "properties", name]);
    const sample = whole && name in whole ? { value: whole[name], from: "example" as const } : sampleOf(spec.doc, property.node, name);
    return {
      name,
      in: "body" as const,
      required: (schema.required ?? []).includes(name),
      schema: property.node ?? {},
      ...(sample ? { sample } : {}),
      where: `${spec.file} at ${address(property.keys)}`,
    };
  });
}

function describeResponse(spec: SpecFile, raw: Json, keys: (string | number)[]): SpecResponse {
  const { node: response = {}, keys: at } = follow(spec.doc, raw, keys);
  const status = keys.at(-1) === "default" ? 0 : Number(keys.at(-1));
  const media = response.content?.["application/json"];
  const example = exampleOf(media) ?? (media ? exampleOf(deref(spec.doc, media.schema)) : undefined);
  const body = example ?? (media ? sampleOf(spec.doc, media.schema) : undefined);
  const headers: Record<string, string> = {};
  for (const [name, h] of Object.entries<Json>(response.headers ?? {})) {
    const header = deref(spec.doc, h) ?? {};
    if (header.required) headers[name.toLowerCase()] = String(exampleOf(header)?.value ?? `sample-${name.toLowerCase()}`);
  }
  return {
    status,
    json: Boolean(media),
    ...(body ? { body: body.value } : {}),
    exampled: Boolean(example),
    headers,
    where: `${spec.file} at ${address(media ? [...at, "content", "application/json"] : at)}`,
  };
}

/** Keys to the first string in a value (depth first, in key order) that is an http(s) URL. */
export function urlIn(value: unknown, at: string[] = []): string[] | undefined {
  if (typeof value === "string") return /^https?:\/\/[^\s/]+/.test(value) ? at : undefined;
  if (!value || typeof value !== "object") return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const found = urlIn(inner, [...at, key]);
    if (found) return found;
  }
  return undefined;
}

/** The value at `keys` inside `value` (the presigned URL of a result, with `presignedUrlAt`). */
export function dig(value: unknown, keys: readonly string[]): unknown {
  return keys.reduce<unknown>((at, key) => (at && typeof at === "object" ? (at as Json)[key] : undefined), value);
}

/** Client options holding the fake credentials of one security alternative. */
export function credentialsFor(provider: SpecProvider, alternative: readonly string[]): Record<string, string> {
  return Object.fromEntries(alternative.map((scheme) => credentialOf(provider, scheme)).map((c) => [c.option, c.value]));
}

/** The credentials of an alternative that must never show up in what the library shows. */
export function secretsOf(provider: SpecProvider, alternative: readonly string[]): string[] {
  return alternative
    .map((scheme) => credentialOf(provider, scheme))
    .filter((c) => c.secret)
    .map((c) => c.value);
}

export function credentialOf(provider: SpecProvider, scheme: string): Credential {
  const found = provider.credentials.find((c) => c.scheme === scheme);
  if (!found) throw new Error(`${provider.specFile}: security requirement names ${scheme}, which components.securitySchemes lacks`);
  return found;
}
