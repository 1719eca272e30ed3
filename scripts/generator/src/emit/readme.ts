/**
 * A provider package's README.md: install, credentials and their environment variables, the
 * server, every operation with an example built from the spec's examples, and the errors it
 * raises (read through the package's profile, so Powerdrill's body codes name the right class).
 */
import { className, type ErrorReader, kindOfStatus, retriedStatuses } from "../core-facts.js";
import type { ApiIR } from "../ir/types.js";
import { camelCase } from "../spec/names.js";
import { expandedLiteral, generatedNotice } from "./format.js";
import { exampleCall, operationSection, type ReadmeContext } from "./readme-operation.js";
import { testingSection } from "./readme-testing.js";
import { cell, code } from "./readme-text.js";

/** Hand-written parts of a package README, kept beside the package's sources. */
export interface ReadmeDocs {
  /** `packages/<name>/docs/workflows.md`: the package's hand-written workflows, shown as they are. */
  workflows?: string;
}

/** Until the first release: the README's install line would answer 404, so it says how to try a clone instead. */
const NOT_ON_NPM_YET =
  "Not on npm yet: until the first release, `npm install` answers 404. Try it from a clone with the packed tarballs: see [Use](../../README.md#use).";

export function emitReadme(api: ApiIR, errorOf: ErrorReader | undefined, docs: ReadmeDocs = {}): string {
  const context: ReadmeContext = { api, client: camelCase(api.provider), errorOf };
  const pkg = `@presign/${api.provider}`;
  const out = [`<!-- ${generatedNotice(api.specPath)} -->`, "", `# ${pkg}`, ""];
  out.push(`Typed client for the ${api.title} API, generated from [\`${api.specPath}\`](../../${api.specPath}).`, "");
  if (api.description) out.push(api.description.trim(), "");
  out.push("## Install", "", NOT_ON_NPM_YET, "", "```sh", `npm install ${pkg}`, "```", "");
  out.push(
    `ESM and CommonJS, with TypeScript types. Runs on Node.js 20 or later and on any runtime with \`fetch\`. It depends on the shared runtime \`@presign/core\` and on \`openapi-fetch\`; the error classes are re-exported from \`${pkg}\`, so \`instanceof\` works with this package alone.`,
    "",
  );
  out.push(...credentialsSection(api), ...serverSection(api), ...usageSection(context), ...workflowsSection(docs.workflows), "## Operations", "");
  for (const op of api.operations) out.push(...operationSection(op, context));
  out.push(...errorsSection(context), ...testingSection(api), "## License", "", "MIT", "");
  return out.join("\n");
}

function credentialsSection({ auth }: ApiIR): string[] {
  if (!auth.length) return ["## Credentials", "", "The API needs no credentials.", ""];
  const out = ["## Credentials", "", "| Option | Sent as | Environment variable | Description |", "|---|---|---|---|"];
  for (const s of auth) {
    const sentAs = s.in === "bearer" ? "`Authorization: Bearer …`" : `\`${s.name}\` header`;
    const note = s.secret ? "" : " An identifier rather than a secret: it is not redacted from errors and logs.";
    out.push(`| ${code(s.option)} | ${sentAs} | ${s.env ? code(s.env) : "—"} | ${cell(s.description)}${note} |`);
  }
  out.push(
    "",
    `An option given to the factory wins over its environment variable. Credentials are checked when the client is created (an \`InvalidRequestError\` names what is missing) and are only ever sent to the API's own origin; ${auth.every((s) => s.secret) ? "they" : "secret ones"} never appear in error messages or debug logs.`,
    "",
  );
  return out;
}

function serverSection({ server }: ApiIR): string[] {
  const out = ["## Server", "", `Requests go to ${code(server.url)}${server.description ? `: ${cell(server.description)}` : "."}`, ""];
  if (server.variables.length) {
    out.push("| Option | Default | Allowed values | Environment variable | Description |", "|---|---|---|---|---|");
    for (const v of server.variables) {
      const fallback = v.required ? `none: give \`${v.name}\` or \`baseUrl\`` : code(v.default);
      const allowed = v.enum ? v.enum.map(code).join(", ") : "any";
      out.push(`| ${code(v.name)} | ${fallback} | ${allowed} | ${v.env ? code(v.env) : "—"} | ${cell(v.description)} |`);
    }
    out.push("");
  }
  out.push(
    "`baseUrl` replaces the server altogether (a proxy, a local mock). It must be https, except for loopback hosts or with `allowInsecureHttp: true`.",
    "",
  );
  return out;
}

/** Creating the client with the credentials of the first operation's first alternative. */
function usageSection({ api, client }: ReadmeContext): string[] {
  const schemes = api.operations[0]?.security[0]?.map((id) => api.auth.find((s) => s.id === id)) ?? [];
  const options: Record<string, unknown> = {};
  for (const s of schemes) if (s) options[s.option] = `<${s.option}>`;
  for (const v of api.server.variables) if (v.required) options[v.name] = v.default;
  const envs = schemes.map((s) => s?.env).filter((env): env is string => Boolean(env));
  const out = ["## Usage", "", "```ts", `import { create${api.typeName}Client } from "@presign/${api.provider}";`, ""];
  if (envs.length && envs.length === schemes.length)
    out.push(`// ${envs.join(" and ")} ${envs.length > 1 ? "are" : "is"} read when the option is not given.`);
  out.push(`const ${client} = create${api.typeName}Client(${Object.keys(options).length ? expandedLiteral(options) : ""});`, "```", "");
  out.push(
    "Every method takes an input object and optional call options (`{ signal, timeout, maxRetries }`), and resolves to the response body, checked against the spec. Factory options shared by all providers: `timeout` (ms per attempt, default 10 000), `maxRetries` (default 2), `retry`, `maxResponseBytes` (default 1 MiB), `validateResponses` (default `true`), `middleware`, `debug`, `fetch`. `client.raw` is the underlying [openapi-fetch](https://openapi-ts.dev/openapi-fetch/) client, sharing credentials, retries and timeouts.",
    "",
  );
  return out;
}

/**
 * The package's hand-written workflows, verbatim under a "## Workflows" heading (the file's own, when
 * it starts with one). Regenerating is what brings an edit of the file into the README.
 */
function workflowsSection(workflows: string | undefined): string[] {
  const text = workflows?.trim();
  if (!text) return [];
  const ownHeading = /^## Workflows\s*$/.test(text.split("\n", 1)[0]!);
  return [...(ownHeading ? [] : ["## Workflows", ""]), text, ""];
}

/** Statuses named in the general mapping, each with the status that stands for it. */
const GENERAL_STATUSES: { label: string; status: number }[] = [
  ...[401, 403, 404, 408, 409, 429].map((status) => ({ label: String(status), status })),
  { label: "other 4xx", status: 400 },
  { label: "5xx", status: 500 },
];

function errorsSection({ api, client }: ReadmeContext): string[] {
  const out = ["## Errors", ""];
  out.push(
    "Every error is a `PresignError` subclass with `kind`, `provider`, `status`, `code` (the provider's own), `messages`, `requestId`, `retryAfter`, `attempts` and `request` (method and redacted URL). Messages, `toJSON()` and logs never contain credentials or URL signatures.",
    "",
    `Any status maps the same way: ${GENERAL_STATUSES.map(({ label, status }) => `${label} → \`${className(kindOfStatus(status))}\``).join(", ")}. The provider's error body can name a more precise class or report an error inside a success status (see the notes at the top); its messages and code end up in \`messages\` and \`code\`. Statuses ${retriedStatuses.join(", ")} are retried (up to \`maxRetries\` times, honouring \`Retry-After\`) before the error is thrown, as each operation's "Retries" line says: an operation that changes state is never sent again when the server may have acted on it.`,
    "",
    "Errors without a provider status:",
    "",
    `- \`${className("invalid_request")}\`: the input or the options are invalid (checked against the spec before anything is sent), or credentials are missing.`,
    `- \`${className("malformed_response")}\`: a success response whose body is not what the spec promises, a redirect (never followed, so credentials stay with the API), or a body larger than \`maxResponseBytes\` (default 1 MiB: reading stops there and the connection is closed; not retried).`,
    `- \`${className("connection")}\`, \`${className("timeout")}\`: the request could not complete (retried as each operation's "Retries" line says).`,
    `- \`${className("aborted")}\`: the call's \`signal\` fired. Never retried.`,
    "",
  );
  const first = api.operations[0];
  return first
    ? [
        ...out,
        ...catchExample(
          exampleCall(first, client),
          first.errors.map((e) => e.status),
          `@presign/${api.provider}`,
        ),
      ]
    : out;
}

/** A try/catch around the first operation's call, catching the classes it documents, most useful first. */
function catchExample(call: string, statuses: number[], pkg: string): string[] {
  const documented = new Set(statuses.map((s) => className(kindOfStatus(s))));
  const specific = ["NotFoundError", "RateLimitError", "AuthenticationError", "PermissionDeniedError"].filter((c) => documented.has(c)).slice(0, 2);
  const classes = [...specific, "PresignError"].sort();
  const out = [
    "```ts",
    `import { ${classes.join(", ")} } from "${pkg}";`,
    "",
    "try {",
    `  await ${call.replaceAll("\n", "\n  ")};`,
    "} catch (error) {",
  ];
  specific.forEach((c, i) => {
    out.push(`  ${i ? "} else if" : "if"} (error instanceof ${c}) {`);
    out.push(
      c === "RateLimitError"
        ? // biome-ignore lint/suspicious/noTemplateCurlyInString: a template literal in the example code the README shows.
          '    console.log(`try again in ${error.retryAfter ?? "a few"} seconds`);'
        : "    console.log(error.status, error.messages);",
    );
  });
  out.push(
    `  ${specific.length ? "} else if" : "if"} (error instanceof PresignError) {`,
    "    console.log(error.kind, error.requestId, error.message);",
    "  } else {",
    "    throw error;",
    "  }",
    "}",
    "```",
    "",
  );
  return out;
}
