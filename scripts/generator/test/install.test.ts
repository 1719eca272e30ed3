/** After a scaffold: `pnpm install --offline`, then `--prefer-offline` when that fails, run by a stand-in pnpm. */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { installWorkspace } from "../src/install.js";

let dir: string;

/** Puts a `pnpm` on PATH that logs its arguments and fails on the flags in `failOn`. */
function fakePnpm(failOn: string[]): void {
  const script = `#!/bin/sh\necho "$@" >> "${join(dir, "calls")}"\ncase " $* " in\n${failOn.map((flag) => `  *" ${flag} "*) exit 1 ;;\n`).join("")}esac\nexit 0\n`;
  writeFileSync(join(dir, "pnpm"), script);
  chmodSync(join(dir, "pnpm"), 0o755);
  vi.stubEnv("PATH", `${dir}${delimiter}${process.env.PATH}`);
  // As when the CLI runs outside `pnpm generate`: no npm_execpath to follow.
  vi.stubEnv("npm_execpath", undefined);
}
const calls = () => readFileSync(join(dir, "calls"), "utf8").trim().split("\n");

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "presign-install-"));
});
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

it("installs offline, and says so", () => {
  fakePnpm([]);
  const log: string[] = [];
  expect(installWorkspace(dir, (line) => log.push(line))).toBe(true);
  expect(calls()).toEqual(["install --offline --no-frozen-lockfile"]);
  expect(log).toEqual(["linking the new package into the workspace: pnpm install --offline --no-frozen-lockfile"]);
});

it("falls back to --prefer-offline when the store lacks something", () => {
  fakePnpm(["--offline"]);
  expect(installWorkspace(dir, () => {})).toBe(true);
  expect(calls()).toEqual(["install --offline --no-frozen-lockfile", "install --prefer-offline --no-frozen-lockfile"]);
});

it("reports failure when both fail", () => {
  fakePnpm(["--offline", "--prefer-offline"]);
  expect(installWorkspace(dir, () => {})).toBe(false);
});
