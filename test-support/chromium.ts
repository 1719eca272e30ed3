import { existsSync } from "node:fs";
import { runQuietly } from "./tools.ts";

/** Flags for a headless Chromium that runs in a container and reaches nothing but what a test serves. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/** Where Chromium or Chrome usually is, after `CHROMIUM_PATH`. */
const KNOWN_PATHS = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/snap/bin/chromium",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
];

export const CHROMIUM_INSTRUCTION =
  "Install Chromium (Debian/Ubuntu: `sudo apt-get install -y chromium`; macOS: `brew install --cask chromium`), " +
  "or point CHROMIUM_PATH at a Chromium or Chrome binary: `CHROMIUM_PATH=/path/to/chromium npx -y pnpm@10.34.9 test:all`.";

/**
 * The browser for the browser tests, which never skip: `CHROMIUM_PATH`, else a usual install, else Debian's package
 * (apt-get, when running as root on Linux, as CI does), else an error that says exactly what to run.
 */
export async function ensureChromium(suite: string): Promise<string> {
  const chosen = process.env.CHROMIUM_PATH;
  if (chosen) {
    if (existsSync(chosen)) return chosen;
    throw new Error(`${suite}: CHROMIUM_PATH is ${chosen}, and there is no file there. ${CHROMIUM_INSTRUCTION}`);
  }
  const found = KNOWN_PATHS.find((path) => existsSync(path));
  if (found) return found;
  if (process.platform === "linux" && process.getuid?.() === 0) {
    await aptGetInstallChromium(suite);
    if (existsSync("/usr/bin/chromium")) return "/usr/bin/chromium";
  }
  throw new Error(`${suite} needs Chromium and does not skip without it; none was found in ${KNOWN_PATHS.join(", ")}. ${CHROMIUM_INSTRUCTION}`);
}

/** apt-get update and install on a slow mirror. */
const APT_GET_TIMEOUT_MS = 300_000;

async function aptGetInstallChromium(suite: string): Promise<void> {
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [
    ["update", "-qq"],
    ["install", "-y", "-qq", "--no-install-recommends", "chromium"],
  ]) {
    const { code, output } = await runQuietly("apt-get", args, { env, timeoutMs: APT_GET_TIMEOUT_MS });
    if (code !== 0) throw new Error(`${suite}: apt-get ${args.join(" ")} failed (exit ${code}). ${CHROMIUM_INSTRUCTION}\n${output}`);
  }
}
