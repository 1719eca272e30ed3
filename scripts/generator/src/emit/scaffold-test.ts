/**
 * The test a new package starts with: what every presign client must do before the network,
 * checked for this provider's first operation and credentials.
 */
import type { ApiIR } from "../ir/types.js";
import { expandedLiteral } from "./format.js";

/** Credentials for the first operation's first alternative, as factory options. */
function credentials(api: ApiIR): Record<string, string> {
  const first = api.operations[0]?.security[0] ?? [];
  const options: Record<string, string> = {};
  for (const id of first) {
    const scheme = api.auth.find((s) => s.id === id);
    if (scheme) options[scheme.option] = `test-${scheme.option}`;
  }
  return options;
}

/** Credentials in the environment would stand in for missing options. */
function clearedEnvironment(envs: string[]): string {
  const stubs = envs.map((env) => `  vi.stubEnv(${JSON.stringify(env)}, undefined);`).join("\n");
  return `\n// Credentials in the environment would stand in for missing options.\nbeforeEach(() => {\n${stubs}\n});\nafterEach(() => vi.unstubAllEnvs());\n`;
}

export function starterTest(api: ApiIR): string {
  const factory = `create${api.typeName}Client`;
  const first = api.operations[0];
  const envs = api.auth.flatMap((s) => (s.env ? [s.env] : []));
  const options = expandedLiteral({ baseUrl: "https://api.example.test", ...credentials(api) });
  const needsCredentials = Boolean(first?.security.length && first.security.every((set) => set.length));
  const tests = [
    `  it("refuses a plain-http base URL: credentials would travel in clear", () => {
    expect(() => ${factory}({ ...options, baseUrl: "http://api.example.test" })).toThrow(InvalidRequestError);
  });`,
  ];
  if (first) {
    tests.push(`  it("refuses an unknown input field before any request", async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(async () => new Response("{}"));
    const client = ${factory}({ ...options, fetch });
    // The types refuse it already; the client must too, for callers the types do not reach.
    const input = { notAField: 1 } as never;
    await expect(async () => client.${first.methodName}(input)).rejects.toThrow(/notAField/);
    expect(fetch).not.toHaveBeenCalled();
  });`);
  }
  if (needsCredentials) {
    const option = Object.keys(credentials(api))[0]!;
    tests.push(`  it("refuses to start without credentials, naming the option", () => {
    const create = () => ${factory}({ baseUrl: "https://api.example.test" });
    expect(create).toThrow(InvalidRequestError);
    expect(create).toThrow(/${option}/);
  });`);
  }
  return `// Scaffolded by \`pnpm generate\` from ${api.specPath}: a starting point, yours to extend.
import { ${envs.length ? "afterEach, beforeEach, " : ""}describe, expect, it, vi } from "vitest";
import { ${factory}, InvalidRequestError } from "../src/index.js";

const options = ${options};
${envs.length ? clearedEnvironment(envs) : ""}
describe("${factory}", () => {
${tests.join("\n\n")}
});
`;
}
