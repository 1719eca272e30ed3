/**
 * Renders a provider package's README.md from its spec: install, credentials and environment
 * variables (`x-presign-option` / `x-presign-env` on the security schemes), server variables,
 * every operation with an example built from the spec's examples, and the errors it raises.
 * Called by scripts/generate.ts, so `pnpm generate` writes it and `--check` covers it.
 * Input keys follow the generator: `x-presign-name`, else camelCase of the wire name.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { parse } from "yaml";
import * as coreBody from "../packages/core/src/body.ts";
import * as coreErrors from "../packages/core/src/errors.ts";
import { type ErrorKind, errorClasses, kindOfStatus } from "../packages/core/src/errors.ts";
import { defaultRetryPolicy } from "../packages/core/src/retry.ts";
import { camelCase, isIdempotent } from "./codegen.ts";

type Json = Record<string, any>;

const HTTP_METHODS = ["get", "post", "put", "patch", "delete"] as const;
const pascalCase = (name: string) => {
  const camel = camelCase(name);
  return camel[0]!.toUpperCase() + camel.slice(1);
};
const className = (kind: ErrorKind) => errorClasses[kind].name;
const code = (text: string) => `\`${text}\``;
/** Folds a spec description onto one line for a table cell. */
const cell = (text: string | undefined) => (text ?? "").replace(/\s*\n\s*/g, " ").replaceAll("|", "\\|").trim();

type ErrorOf = (status: number, body: unknown) => { kind?: ErrorKind; code?: string | number } | undefined;

/**
 * The `errorOf` of the package's hand-written profile (packages/<provider>/src/profile.ts), so the
 * README names the class a documented error body really turns into (Powerdrill's body `code` says
 * more than its status). The profile may only use the body readers and error helpers of the core;
 * it is transpiled and evaluated on its own, so this works before anything is built.
 */
function loadErrorOf(provider: string): ErrorOf | undefined {
  const path = join(dirname(fileURLToPath(import.meta.url)), "..", "packages", provider, "src", "profile.ts");
  if (!existsSync(path)) return undefined;
  const { outputText } = ts.transpileModule(readFileSync(path, "utf8"), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  const module = { exports: {} as { profile?: { errorOf?: ErrorOf } } };
  const require = (id: string) => {
    if (id === "@presign/core") return { ...coreBody, ...coreErrors };
    throw new Error(`${path} imports ${id}, which the README generator cannot load`);
  };
  new Function("module", "exports", "require", "__VERSION__", outputText)(module, module.exports, require, "0.0.0");
  return module.exports.profile?.errorOf;
}

function resolver(doc: Json) {
  return (node: Json | undefined): Json | undefined => {
    let current = node;
    while (current && typeof current.$ref === "string") {
      current = current.$ref
        .replace(/^#\//, "")
        .split("/")
        .reduce((at: Json | undefined, key: string) => at?.[key.replaceAll("~1", "/").replaceAll("~0", "~")], doc);
    }
    return current;
  };
}

/** A TypeScript literal of a JSON value, keys unquoted where they can be. */
function literal(value: unknown, indent = ""): string {
  if (Array.isArray(value)) {
    if (!value.length) return "[]";
    const inner = value.map((v) => `${indent}  ${literal(v, `${indent}  `)},`);
    return `[\n${inner.join("\n")}\n${indent}]`;
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value);
    if (!entries.length) return "{}";
    const inner = entries.map(([k, v]) => `${indent}  ${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${literal(v, `${indent}  `)},`);
    return `{\n${inner.join("\n")}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/** The example of a parameter, media type or schema: `example`, else the first of `examples`. */
function exampleOf(node: Json | undefined): { found: boolean; value?: unknown } {
  if (!node) return { found: false };
  if (node.example !== undefined) return { found: true, value: node.example };
  if (Array.isArray(node.examples) && node.examples.length) return { found: true, value: node.examples[0] };
  if (node.examples && typeof node.examples === "object") {
    const first = Object.values<Json>(node.examples)[0];
    if (first && "value" in first) return { found: true, value: first.value };
  }
  return { found: false };
}

export function renderReadme(specText: string, specPath: string, provider: string): string {
  const doc = parse(specText) as Json;
  const resolve = resolver(doc);
  const Name = pascalCase(provider);
  const pkg = `@presign/${provider}`;
  const client = camelCase(provider);
  const factory = `create${Name}Client`;
  const retried = new Set<number>(defaultRetryPolicy.statuses);
  const errorOf = loadErrorOf(provider);
  /** The classes an error response turns into: by the profile's reading of each example body, else by status. */
  const thrownBy = (status: number, response: Json | undefined): string => {
    const json = response?.content?.["application/json"];
    const bodies: unknown[] = [];
    if (json?.example !== undefined) bodies.push(json.example);
    for (const ex of Object.values<Json>(json?.examples ?? {})) if (ex && "value" in ex) bodies.push(ex.value);
    const byClass = new Map<string, (string | number)[]>();
    for (const body of bodies.length && errorOf ? bodies : [undefined]) {
      const info = body === undefined ? undefined : errorOf?.(status, body);
      const name = className(info?.kind ?? kindOfStatus(status));
      const codes = byClass.get(name) ?? [];
      if (info?.kind && info.code !== undefined) codes.push(info.code);
      byClass.set(name, codes);
    }
    return [...byClass]
      .map(([name, codes]) => `\`${name}\`${byClass.size > 1 && codes.length ? ` (\`code\` ${codes.join(", ")})` : ""}`)
      .join(", ");
  };

  const typeOf = (raw: Json | undefined): string => {
    const schema = resolve(raw) ?? {};
    if (schema.enum) return schema.enum.map((e: unknown) => JSON.stringify(e)).join(" \\| ");
    if (schema.type === "array") {
      const item = typeOf(schema.items);
      return item.includes(" ") ? `(${item})[]` : `${item}[]`;
    }
    if (typeof schema.type === "string") return schema.type === "integer" || schema.type === "number" ? "number" : schema.type;
    return "unknown";
  };
  const constraints = (raw: Json | undefined): string => {
    const s = resolve(raw) ?? {};
    const facts = [
      s.minimum !== undefined && s.maximum !== undefined ? `${s.minimum} to ${s.maximum}` : undefined,
      s.minimum !== undefined && s.maximum === undefined ? `≥ ${s.minimum}` : undefined,
      s.maximum !== undefined && s.minimum === undefined ? `≤ ${s.maximum}` : undefined,
      s.minLength !== undefined ? `min length ${s.minLength}` : undefined,
      s.maxLength !== undefined ? `max length ${s.maxLength}` : undefined,
      s.pattern !== undefined ? `pattern ${code(s.pattern)}` : undefined,
      s.minItems !== undefined ? `at least ${s.minItems} item${s.minItems === 1 ? "" : "s"}` : undefined,
      s.default !== undefined ? `default ${code(JSON.stringify(s.default))}` : undefined,
    ].filter(Boolean);
    return facts.length ? ` (${facts.join(", ")})` : "";
  };

  const out: string[] = [];
  const push = (...lines: string[]) => out.push(...lines);

  // Title and what the API subset is.
  push(`<!-- Generated by scripts/generate.ts from ${specPath}. Do not edit: change the spec and run \`pnpm generate\`. -->`, "");
  push(`# ${pkg}`, "");
  push(`Typed client for the ${doc.info?.title ?? Name} API, generated from [\`${specPath}\`](../../${specPath}).`, "");
  if (doc.info?.description) push(doc.info.description.trim(), "");

  push("## Install", "");
  push("```sh", `npm install ${pkg}`, "```", "");
  push(
    `ESM and CommonJS, with TypeScript types. Runs on Node.js 20 or later and on any runtime with \`fetch\`. It depends on the shared runtime \`@presign/core\` and on \`openapi-fetch\`; the error classes are re-exported from \`${pkg}\`, so \`instanceof\` works with this package alone.`,
    "",
  );

  // Credentials: one option per security scheme.
  const schemes = Object.entries<Json>(doc.components?.securitySchemes ?? {}).map(([id, raw]) => {
    const s = resolve(raw)!;
    const bearer = (s.type === "http" && s.scheme?.toLowerCase() === "bearer") || s.type === "oauth2";
    return {
      id,
      option: s["x-presign-option"] as string,
      env: s["x-presign-env"] as string | undefined,
      sentAs: bearer ? "`Authorization: Bearer …`" : `\`${s.name}\` header`,
      description: s.description as string | undefined,
      secret: s["x-presign-secret"] !== false,
    };
  });
  const optionOf = (id: string) => schemes.find((s) => s.id === id)?.option ?? id;
  const alternatives = (op: Json) => ((op.security ?? doc.security ?? []) as Json[]).map((req) => Object.keys(req).map(optionOf));
  const describeAlternatives = (alts: string[][]) => alts.map((alt) => alt.map(code).join(" + ")).join(", or ");

  push("## Credentials", "");
  if (schemes.length) {
    push("| Option | Sent as | Environment variable | Description |", "|---|---|---|---|");
    for (const s of schemes) {
      const note = s.secret ? "" : " An identifier rather than a secret: it is not redacted from errors and logs.";
      push(`| ${code(s.option)} | ${s.sentAs} | ${s.env ? code(s.env) : "—"} | ${cell(s.description)}${note} |`);
    }
    push("");
    push(
      `An option given to the factory wins over its environment variable. Credentials are checked when the client is created (an \`InvalidRequestError\` names what is missing) and are only ever sent to the API's own origin; ${schemes.every((s) => s.secret) ? "they" : "secret ones"} never appear in error messages or debug logs.`,
      "",
    );
  } else push("The API needs no credentials.", "");

  // Server and its variables.
  const server = doc.servers?.[0] ?? { url: "" };
  const variables = Object.entries<Json>(server.variables ?? {});
  push("## Server", "");
  push(`Requests go to ${code(server.url)}${server.description ? `: ${cell(server.description)}` : "."}`, "");
  if (variables.length) {
    push("| Option | Default | Allowed values | Environment variable | Description |", "|---|---|---|---|---|");
    for (const [name, v] of variables) {
      const fallback = v["x-presign-required"] ? `none: give \`${name}\` or \`baseUrl\`` : code(v.default);
      const allowed = v.enum ? v.enum.map(code).join(", ") : "any";
      push(`| ${code(name)} | ${fallback} | ${allowed} | ${v["x-presign-env"] ? code(v["x-presign-env"]) : "—"} | ${cell(v.description)} |`);
    }
    push("");
  }
  push(
    "`baseUrl` replaces the server altogether (a proxy, a local mock). It must be https, except for loopback hosts or with `allowInsecureHttp: true`.",
    "",
  );

  // Operations.
  const operations: { id: string; method: string; path: string; op: Json; item: Json }[] = [];
  for (const [path, item] of Object.entries<Json>(doc.paths ?? {})) {
    for (const method of HTTP_METHODS) if (item[method]) operations.push({ id: item[method].operationId, method: method.toUpperCase(), path, op: item[method], item });
  }

  push("## Usage", "");
  const firstAlt = operations.length ? (alternatives(operations[0]!.op)[0] ?? []) : [];
  const options: Json = {};
  for (const option of firstAlt) options[option] = `<${option}>`;
  for (const [name, v] of variables) if (v["x-presign-required"]) options[name] = v.default;
  const envHint = firstAlt
    .map((option) => schemes.find((s) => s.option === option)?.env)
    .filter((env): env is string => Boolean(env));
  push("```ts", `import { ${factory} } from "${pkg}";`, "");
  if (envHint.length && envHint.length === firstAlt.length) push(`// ${envHint.map(code).join(" and ").replaceAll("`", "")} ${envHint.length > 1 ? "are" : "is"} read when the option is not given.`);
  push(`const ${client} = ${factory}(${Object.keys(options).length ? literal(options) : ""});`, "```", "");
  push(
    "Every method takes an input object and optional call options (`{ signal, timeout, maxRetries }`), and resolves to the response body, checked against the spec. Factory options shared by all providers: `timeout` (ms per attempt, default 10 000), `maxRetries` (default 2), `retry`, `maxResponseBytes` (default 1 MiB), `validateResponses` (default `true`), `middleware`, `debug`, `fetch`. `client.raw` is the underlying [openapi-fetch](https://openapi-ts.dev/openapi-fetch/) client, sharing credentials, retries and timeouts.",
    "",
  );

  push("## Operations", "");
  let firstCall: { call: string; statuses: number[] } | undefined;
  for (const { id, method, path, op, item } of operations) {
    const name = camelCase(id);
    push(`### \`${client}.${name}(input)\``, "");
    if (op.summary) push(`${op.summary.trim()}.`.replace(/\.\.$/, "."), "");
    push(`\`${method} ${path}\``, "");
    if (op.description) push(op.description.trim(), "");
    push(`Credentials: ${describeAlternatives(alternatives(op))}.`, "");
    const idempotent = isIdempotent(method, op, `${specPath}: ${id}`);
    push(
      idempotent
        ? `Retries: safe to repeat${method === "POST" || method === "PATCH" ? " (it only reads state)" : ""}, so a timeout, a broken connection, 408, 429 and 5xx (${defaultRetryPolicy.statuses.filter((s) => s >= 500).join(", ")}) are retried.`
        : "Retries: it changes state, so it is repeated only when the server cannot have acted on it: a connection refused before sending, 408, 429, or 503 with `Retry-After`. A timeout, a broken connection or another 5xx fails at once.",
      "",
    );

    // Inputs: parameters, then top-level body fields.
    const rows: string[] = [];
    const input: Json = {};
    // As in codegen.ts: an operation's parameter overrides a path-level one of the same name and location.
    const byPlace = new Map<string, Json>();
    for (const raw of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
      const p = resolve(raw)!;
      byPlace.set(`${p.in}:${p.name}`, p);
    }
    for (const p of byPlace.values()) {
      if (p.in === "cookie") continue;
      const key = p["x-presign-name"] ?? camelCase(p.name);
      rows.push(`| ${code(key)} | ${p.in} ${code(p.name)} | ${typeOf(p.schema)}${constraints(p.schema)} | ${p.required ? "yes" : "no"} | ${cell(p.description ?? resolve(p.schema)?.description)} |`);
      const ex = exampleOf(p).found ? exampleOf(p) : exampleOf(resolve(p.schema));
      if (ex.found) input[key] = ex.value;
      else if (p.required) input[key] = typeOf(p.schema) === "number" ? (resolve(p.schema)?.minimum ?? 1) : `<${p.name}>`;
    }
    const json = resolve(op.requestBody)?.content?.["application/json"];
    if (json) {
      const schema = resolve(json.schema)!;
      const bodyExample = exampleOf(json);
      for (const [wire, raw] of Object.entries<Json>(schema.properties ?? {})) {
        const key = camelCase(wire);
        const required = (schema.required ?? []).includes(wire);
        rows.push(`| ${code(key)} | body ${code(wire)} | ${typeOf(raw)}${constraints(raw)} | ${required ? "yes" : "no"} | ${cell(resolve(raw)?.description)} |`);
        const ex = bodyExample.found ? { found: wire in (bodyExample.value as Json), value: (bodyExample.value as Json)[wire] } : exampleOf(resolve(raw));
        if (ex.found) input[key] = ex.value;
        else if (required) input[key] = typeOf(raw) === "number" ? (resolve(raw)?.minimum ?? 1) : `<${wire}>`;
      }
    }
    if (rows.length) push("| Input | Sent as | Type | Required | Description |", "|---|---|---|---|---|", ...rows, "");

    // The example call and the response it returns.
    const successCode = Object.keys(op.responses ?? {}).find((c) => /^2\d\d$/.test(c))!;
    const success = resolve(op.responses[successCode]);
    const successJson = success?.content?.["application/json"];
    const call = `${client}.${name}(${Object.keys(input).length ? literal(input) : ""})`;
    firstCall ??= { call, statuses: Object.keys(op.responses ?? {}).filter((c) => /^[45]\d\d$/.test(c)).map(Number) };
    push("```ts");
    if (successJson) {
      push(`const result = await ${call};`);
      const ex = exampleOf(successJson);
      if (ex.found) push(...`// result: ${JSON.stringify(ex.value, null, 2)}`.split("\n").map((l, i) => (i ? `// ${l}` : l)));
    } else push(`await ${call}; // ${successCode} ${cell(success?.description).replace(/\.$/, "")}: resolves to undefined`);
    push("```", "");

    const errors = Object.entries<Json>(op.responses ?? {}).filter(([c]) => /^[45]\d\d$/.test(c));
    if (errors.length) {
      push("| Status | Throws | Description |", "|---|---|---|");
      for (const [status, raw] of errors) {
        const s = Number(status);
        const retriedHere = retried.has(s) && (idempotent || s === 408 || s === 429 || s === 503);
        const when = !idempotent && s === 503 ? " (retried with `Retry-After`)" : " (retried)";
        push(`| ${status} | ${thrownBy(s, resolve(raw))}${retriedHere ? when : ""} | ${cell(resolve(raw)?.description)} |`);
      }
      push("");
    }
    const fallback = resolve(op.responses?.default);
    if (fallback) {
      push(`${errors.length ? "Any other error status" : "Error statuses"}: the class follows the status (see [Errors](#errors)).${fallback.description ? " The spec says:" : ""}`, "");
      if (fallback.description) push(fallback.description.trim(), "");
    }
  }

  // Errors: documented statuses, the general mapping, and failures without a response.
  push("## Errors", "");
  push(
    `Every error is a \`PresignError\` subclass with \`kind\`, \`provider\`, \`status\`, \`code\` (the provider's own), \`messages\`, \`requestId\`, \`retryAfter\`, \`attempts\` and \`request\` (method and redacted URL). Messages, \`toJSON()\` and logs never contain credentials or URL signatures.`,
    "",
  );
  const general: [string, number][] = [
    ["401", 401],
    ["403", 403],
    ["404", 404],
    ["408", 408],
    ["409", 409],
    ["429", 429],
    ["other 4xx", 400],
    ["5xx", 500],
  ];
  push(
    `Any status maps the same way: ${general.map(([label, s]) => `${label} → \`${className(kindOfStatus(s))}\``).join(", ")}. The provider's error body can name a more precise class or report an error inside a success status (see the notes at the top); its messages and code end up in \`messages\` and \`code\`. Statuses ${defaultRetryPolicy.statuses.join(", ")} are retried (up to \`maxRetries\` times, honouring \`Retry-After\`) before the error is thrown, as each operation's "Retries" line says: an operation that changes state is never sent again when the server may have acted on it.`,
    "",
  );
  push("Errors without a provider status:", "");
  push(
    `- \`${className("invalid_request")}\`: the input or the options are invalid (checked against the spec before anything is sent), or credentials are missing.`,
    `- \`${className("malformed_response")}\`: a success response whose body is not what the spec promises, a redirect (never followed, so credentials stay with the API), or a body larger than \`maxResponseBytes\` (default 1 MiB: reading stops there and the connection is closed; not retried).`,
    `- \`${className("connection")}\`, \`${className("timeout")}\`: the request could not complete (retried as each operation's "Retries" line says).`,
    `- \`${className("aborted")}\`: the call's \`signal\` fired. Never retried.`,
    "",
  );
  if (firstCall) {
    // The example catches the classes the first operation documents, most useful first.
    const documented = new Set(firstCall.statuses.map((s) => className(kindOfStatus(s))));
    const specific = ["NotFoundError", "RateLimitError", "AuthenticationError", "PermissionDeniedError"].filter((c) => documented.has(c)).slice(0, 2);
    const classes = [...specific, "PresignError"].sort();
    push("```ts", `import { ${classes.join(", ")} } from "${pkg}";`, "");
    push("try {", `  await ${firstCall.call.replaceAll("\n", "\n  ")};`, "} catch (error) {");
    specific.forEach((c, i) => {
      push(`  ${i ? "} else if" : "if"} (error instanceof ${c}) {`);
      push(c === "RateLimitError" ? "    console.log(`try again in ${error.retryAfter ?? \"a few\"} seconds`);" : "    console.log(error.status, error.messages);");
    });
    push(`  ${specific.length ? "} else if" : "if"} (error instanceof PresignError) {`, "    console.log(error.kind, error.requestId, error.message);", "  } else {", "    throw error;", "  }", "}", "```", "");
  }

  push("## License", "", "MIT", "");
  return out.join("\n");
}
