/**
 * The README's "## Testing" section: the package's `/testing` entry and an example test built from the spec
 * (its first operation with an example success body). The example is real: each package's
 * test/readme-testing.test.ts runs the code block as the README shows it.
 */
import type { ApiIR, OperationIR } from "../ir/types.js";
import { expandedLiteral } from "./format.js";
import { exampleValue } from "./readme-text.js";
import { testingNames } from "./testing.js";

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** The first operation a test can check by its example, and the value it checks. */
function exampleOperation(api: ApiIR): { op: OperationIR; leaf: { path: string; value: unknown } } | undefined {
  for (const op of api.operations) {
    const example = op.success.json?.example;
    const leaf = example && exampleLeaf(example.value);
    if (leaf) return { op, leaf };
  }
  return undefined;
}

/** Fake credentials for the operation's first security alternative, and the server variables that have no safe default. */
function testOptions(api: ApiIR, op: OperationIR): string {
  const options: string[] = [];
  for (const id of op.security[0] ?? []) {
    const scheme = api.auth.find((s) => s.id === id);
    if (scheme) options.push(`${scheme.option}: "test"`);
  }
  for (const v of api.server.variables) if (v.required) options.push(`${v.name}: ${JSON.stringify(v.default)}`);
  return options.length ? `{ ${options.join(", ")} }` : "";
}

/** A primitive of the example that says it came from the spec: `{ path: ".file_id", value: 12345 }` (URLs skipped). */
function exampleLeaf(value: unknown, path = ""): { path: string; value: unknown } | undefined {
  if (value === null || typeof value !== "object") {
    const isUrl = typeof value === "string" && /^https?:/.test(value);
    return path && !isUrl ? { path, value } : undefined;
  }
  for (const [key, inner] of Object.entries(value)) {
    const step = Array.isArray(value) ? `[${key}]` : IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
    const leaf = exampleLeaf(inner, `${path}${step}`);
    if (leaf) return leaf;
  }
  return undefined;
}

/** The operation's input built from the spec's examples, as a literal; undefined when it takes none. */
function exampleInput(op: OperationIR): string | undefined {
  const input: Record<string, unknown> = {};
  for (const field of op.fields) {
    const example = exampleValue(field);
    if (example) input[field.key] = example.value;
  }
  return Object.keys(input).length ? expandedLiteral(input) : undefined;
}

/** The example test: default handlers, a 429 retried then the spec's example, a 5xx as a ServerError. */
export function testingExample(api: ApiIR): string | undefined {
  const found = exampleOperation(api);
  if (!found) return undefined;
  const { op, leaf } = found;
  const { operations, defaults } = testingNames(api);
  const pkg = `@presign/${api.provider}`;
  const options = testOptions(api, op);
  const input = exampleInput(op);
  const call = `client.${op.methodName}(${input ? "input" : ""})`;
  return [
    `import { create${api.typeName}Client, ${input ? `type ${op.inputName}, ` : ""}ServerError } from "${pkg}";`,
    `import { ${operations}, ${defaults}, faults } from "${pkg}/testing";`,
    `import { setupServer } from "msw/node";`,
    `import { afterAll, afterEach, beforeAll, expect, test } from "vitest";`,
    "",
    "// Every operation answers its example from the spec; a test overrides what it needs.",
    `const server = setupServer(...${defaults}());`,
    `beforeAll(() => server.listen({ onUnhandledRequest: "error" }));`,
    "afterEach(() => server.resetHandlers());",
    "afterAll(() => server.close());",
    "",
    ...(input ? [`const input: ${op.inputName} = ${input};`, ""] : []),
    `test("a 429 is retried, then the spec's example comes back", async () => {`,
    `  server.use(${operations}.${op.methodName}(faults.rateLimited({ retryAfter: 0, times: 1 })));`,
    `  const client = create${api.typeName}Client(${options});`,
    `  const result = await ${call};`,
    `  expect(result${leaf.path}).toBe(${JSON.stringify(leaf.value)});`,
    "});",
    "",
    `test("a server that keeps failing is a ServerError", async () => {`,
    `  server.use(${operations}.${op.methodName}(faults.serverError({ status: 503 })));`,
    `  const client = create${api.typeName}Client(${options ? `${options.slice(0, -2)}, maxRetries: 0 }` : "{ maxRetries: 0 }"});`,
    `  await expect(${call}).rejects.toBeInstanceOf(ServerError);`,
    "});",
  ].join("\n");
}

export function testingSection(api: ApiIR): string[] {
  const { operations, defaults } = testingNames(api);
  const pkg = `@presign/${api.provider}`;
  const out = [
    "## Testing",
    "",
    `\`${pkg}/testing\` has [msw](https://mswjs.io) handlers for every operation, generated from the spec, so your tests run without the network. msw is an optional peer dependency (\`npm install -D msw\`): the package's main entry never imports it.`,
    "",
    `- \`${defaults}()\`: every operation answering the spec's example, whatever \`baseUrl\` or server the client uses.`,
    `- \`${operations}.<operation>(override?)\`: one operation's handler, for \`server.use(…)\`. The override is the success body (typed: a wrong field does not compile), a resolver \`({ params, query, body, request }) => body | Response\` with the path and query parameters by wire name and the JSON body typed, or a fault.`,
    '- `faults`: `rateLimited({ retryAfter })` (429 with `Retry-After`), `serverError({ status })`, `httpError({ status })` (the spec\'s error example for that status), `networkError()`, `malformed()`; each takes `times`, after which the default answer comes back, so "retried, then succeeded" is one line. `createFault` makes your own.',
    "- `startStorageServer()`: the loopback S3-like storage server (Node only, loaded when called), for the workflows: presign URLs on it in a resolver (`storage.presign(…)`, `storage.presignPart(…)`), let its requests through msw with `server.use(passthroughTo(storage.origin))`, then check `storage.getObject(key)`.",
    "",
  ];
  const example = testingExample(api);
  if (example) out.push("```ts", example, "```", "");
  out.push(
    "The client looks its transport up per request, so msw sees the requests of a client made before `server.listen()` too; a `fetch` you pass to the client yourself is yours to mock.",
    "",
  );
  return out;
}
