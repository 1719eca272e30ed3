import { afterEach, describe, expect, it, vi } from "vitest";
import { ensureChromium } from "../../test-support/chromium.ts";

describe("the browser tests' Chromium", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("uses CHROMIUM_PATH when it names a file", async () => {
    vi.stubEnv("CHROMIUM_PATH", process.execPath);
    await expect(ensureChromium("The runtime matrix")).resolves.toBe(process.execPath);
  });

  it("fails, never skips, with what to run when CHROMIUM_PATH names nothing", async () => {
    vi.stubEnv("CHROMIUM_PATH", "/nowhere/chromium");
    const failure = ensureChromium("The runtime matrix");
    await expect(failure).rejects.toThrow("The runtime matrix: CHROMIUM_PATH is /nowhere/chromium, and there is no file there.");
    await expect(failure).rejects.toThrow("sudo apt-get install -y chromium");
    await expect(failure).rejects.toThrow("CHROMIUM_PATH=/path/to/chromium npx -y pnpm@10.34.9 test:all");
  });
});
