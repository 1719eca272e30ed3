/**
 * Every operation of every spec as a command, against the mock of every provider (each operation answers its
 * spec's example): found by `pnpm generate`, so a new spec's operations are tested here with no edit. Then what a
 * user sees of one command: typed flags, help from the spec, --json, and the exit codes of the usage errors.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockProviders } from "../../../scripts/mock-providers.js";
import { type AllPackage, bindClients, type Operation, type Provider } from "../../../test-support/clients.js";
import { dig } from "../../../test-support/providers.js";
import { EXIT_CODES } from "../src/exit-codes.js";
import { providers as generated } from "../src/generated/commands.js";
import type { ProviderCommands } from "../src/model.js";
import { jsonOf, presign } from "./cli.js";

let mock: Awaited<ReturnType<typeof startMockProviders>>;
let bound: Provider[];

/** What bindClients reads of @presign/all, from the CLI's own provider dependencies. */
async function providerPackages(): Promise<AllPackage> {
  const all: Record<string, unknown> = { factories: Object.fromEntries(generated.map((p) => [p.name, p.createClient])) };
  for (const provider of generated)
    all[`${provider.name}Definition`] = ((await import(`@presign/${provider.name}`)) as { definition: unknown }).definition;
  return all as unknown as AllPackage;
}

beforeAll(async () => {
  mock = await startMockProviders();
  bound = bindClients(await providerPackages());
});
afterAll(() => mock.close());

const commandsOf = (name: string): ProviderCommands => generated.find((p) => p.name === name)!;

/** The credential flags of an operation's first security alternative, with the mock's fake values. */
function credentialArgs(provider: Provider, op: Operation): string[] {
  const flags = commandsOf(provider.name).clientFlags;
  return Object.entries(provider.credentialsOf(op.security[0])).flatMap(([key, value]) => [`--${flags.find((f) => f.key === key)!.flag}`, value]);
}

describe("every operation of every spec", () => {
  it("has a command that sends the spec's sample input and prints the answer as JSON", async () => {
    const runs = bound.flatMap((provider) =>
      provider.operations.map(async (op) => {
        const command = commandsOf(provider.name).operations.find((c) => c.method === op.methodName)!;
        const args = [
          provider.name,
          command.name,
          "--input",
          JSON.stringify(op.input),
          ...credentialArgs(provider, op),
          "--base-url",
          mock.url,
          "--json",
        ];
        return { op: `${provider.name} ${command.name}`, presignedUrlAt: op.presignedUrlAt, run: await presign(args) };
      }),
    );
    const results = await Promise.all(runs);
    expect(results.length).toBe(bound.reduce((n, p) => n + p.operations.length, 0));
    for (const { op, presignedUrlAt, run } of results) {
      expect({ op, code: run.code, stderr: run.stderr }).toEqual({ op, code: 0, stderr: "" });
      const body = jsonOf(run);
      // The mock hands out URLs it signed itself: the answer came from it, through the client.
      if (presignedUrlAt) expect(String(dig(body, presignedUrlAt))).toMatch(new RegExp(`^${mock.url}/storage/`));
    }
  });
});

describe.concurrent("an operation command", () => {
  const credentials = ["--api-key", "test-apiKey-secret-1234"];

  it("parses typed flags, and prints the result as indented JSON", async () => {
    const run = await presign(["datalab", "get-file-download-url", "--file-id", "42", "--expires-in", "900", ...credentials, "--base-url", mock.url]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\{\n {2}"download_url": "http:\/\/127\.0\.0\.1:\d+\/storage\/datalab\/report\.pdf\?/);
    expect(JSON.parse(run.stdout)).toMatchObject({ file_id: 12345, original_filename: "report.pdf" });
  });

  it("takes the input as JSON with --input, a flag overriding its key", async () => {
    const run = await presign([
      "datalab",
      "list-files",
      "--input",
      '{"limit": 5, "offset": 0}',
      "--limit",
      "7",
      ...credentials,
      "--base-url",
      mock.url,
      "--json",
    ]);
    expect(run.code).toBe(0);
    expect(jsonOf(run)).toHaveProperty("files");
  });

  it("shows the spec's summary, description and field docs in --help, with the environment variable of each credential", async () => {
    const run = await presign(["datalab", "get-file-download-url", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Usage: presign datalab get-file-download-url [options]");
    expect(run.stdout).toContain("Get a presigned download URL for a file");
    expect(run.stdout).toContain("GET /api/v1/files/{file_id}/download");
    expect(run.stdout).toMatch(/--file-id <integer>\s+ID of the file, as returned when it was uploaded\.\s+\(required\)/);
    expect(run.stdout).toMatch(/--expires-in <integer>[\s\S]*\(60 to 86400; server default: 3600\)/);
    expect(run.stdout).toMatch(/--api-key <secret>[\s\S]*\(env: DATALAB_API_KEY\)/);
  });

  it("lists the operations and the workflow of a provider in its help", async () => {
    const run = await presign(["spaaza", "--help"]);
    expect(run.code).toBe(0);
    for (const command of ["get-task-download-url", "create-task", "get-task", "execute-task", "export"])
      expect(run.stdout).toContain(`  ${command} `);
  });

  it("prints its version", async () => {
    const run = await presign(["--version"]);
    expect(run).toEqual({ code: 0, stdout: "0.0.0\n", stderr: "" });
  });

  it("refuses a flag that is not of its type with exit code 2, naming the flag, and sends nothing", async () => {
    const run = await presign(["datalab", "get-file", "--file-id", "forty-two", ...credentials, "--base-url", "http://127.0.0.1:9"]);
    expect(run.code).toBe(EXIT_CODES.usage);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("error: option '--file-id <integer>' argument 'forty-two' is invalid. Expected a whole number.");
  });

  it("reports a usage error as the JSON document with --json", async () => {
    const run = await presign(["datalab", "get-file", "--file-id", "4.5", "--json"]);
    expect(run.code).toBe(2);
    expect(jsonOf(run)).toEqual({
      error: { kind: "usage", message: "option '--file-id <integer>' argument '4.5' is invalid. Expected a whole number." },
    });
    expect(run.stderr).toBe("");
  });

  it("refuses an unknown command and an unknown option with exit code 2", async () => {
    const [command, option] = await Promise.all([presign(["datalab", "get-files"]), presign(["datalab", "get-file", "--file-idd", "4"])]);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain("error: unknown command 'get-files'");
    expect(command.stderr).toContain("(Did you mean get-file?)");
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("error: unknown option '--file-idd'");
  });

  it("refuses bad JSON in --input with exit code 2", async () => {
    const run = await presign(["datalab", "list-files", "--input", "{limit: 5}", ...credentials, "--base-url", mock.url]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("error: --input is not valid JSON\n");
  });
});
