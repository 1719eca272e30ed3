/**
 * A credential given by flag or by environment variable never shows: not in --help, not in an error (even one
 * whose server echoes the key back), not in --json, not in commander's message about a mistyped flag.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type JsonApi, startJsonApi } from "../../../test-support/loopback-api.js";
import { presign, type Run } from "./cli.js";

const FROM_ENV = "dl_sk_live_from_env_4b8d1f0c9a";
const FROM_FLAG = "dl_sk_live_from_flag_7e2a6c3d15";
let api: JsonApi;

beforeAll(async () => {
  // A careless API: it quotes the key it was sent in its error message, and in a success body.
  api = await startJsonApi(({ path, headers }) => {
    const key = String(headers["x-api-key"]);
    if (path.endsWith("/401")) return { status: 401, body: { detail: `Invalid API key ${key}` } };
    return { status: 200, body: { message: `deleted with ${key}`, success: true } };
  });
});
afterAll(() => api.close());

const shown = (run: Run) => run.stdout + run.stderr;

interface Given {
  by: string;
  args: string[];
  env: Record<string, string>;
  secret: string;
}

describe("a credential", () => {
  it.concurrent.each<Given>([
    { by: "environment variable", args: [], env: { DATALAB_API_KEY: FROM_ENV }, secret: FROM_ENV },
    { by: "flag", args: ["--api-key", FROM_FLAG], env: {}, secret: FROM_FLAG },
    { by: "flag=value", args: [`--api-key=${FROM_FLAG}`], env: {}, secret: FROM_FLAG },
  ])("given by $by never shows in an error, human or --json", async ({ args, env, secret }) => {
    const base = ["datalab", "get-file", "--file-id", "401", "--base-url", api.origin, ...args];
    const [human, json] = await Promise.all([presign(base, env), presign([...base, "--json"], env)]);
    expect(human.code).toBe(3);
    expect(human.stderr).toContain("error: datalab 401: Invalid API key");
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout).error.messages[0]).toMatch(/^Invalid API key /);
    expect(shown(human) + shown(json)).not.toContain(secret);
  });

  it("never shows in a result, even one the server put it in", async () => {
    const run = await presign(["datalab", "delete-file", "--file-id", "7", "--base-url", api.origin, "--json"], { DATALAB_API_KEY: FROM_ENV });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ message: "deleted with [redacted]", success: true });
  });

  it("shows only its variable's name in --help", async () => {
    const run = await presign(["datalab", "get-file", "--help"], { DATALAB_API_KEY: FROM_ENV });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("(env: DATALAB_API_KEY)");
    expect(shown(run)).not.toContain(FROM_ENV);
  });

  it("never shows when its flag is mistyped", async () => {
    const run = await presign(["datalab", "get-file", "--file-id", "7", `--api-kye=${FROM_FLAG}`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("error: unknown option '--api-kye=…'");
    expect(shown(run)).not.toContain(FROM_FLAG);
  });
});
