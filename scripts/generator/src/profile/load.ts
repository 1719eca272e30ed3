/**
 * The `errorOf` of a package's hand-written profile (packages/<provider>/src/profile.ts), so the
 * README names the class a documented error body really turns into (Powerdrill's body `code` says
 * more than its status). The profile is imported as it is, with its real imports: tsx runs the
 * TypeScript, and resolve hooks point `@presign/core` at the core's sources, so nothing needs
 * building first.
 */
import { existsSync } from "node:fs";
import { register } from "node:module";
import { pathToFileURL } from "node:url";
import type { ErrorReader } from "../core-facts.js";

let registered = false;

/** Registers the resolve hooks once per process, for the workspace whose packages are in `packagesDir`. */
function registerSourceHooks(packagesDir: string): void {
  if (registered) return;
  register("./source-hooks.ts", { parentURL: import.meta.url, data: { packagesDir } });
  registered = true;
}

/**
 * @param profilePath the profile's file; undefined is returned when it does not exist
 * @param packagesDir where `@presign/core`'s sources are (packages/core/src under it)
 */
export async function loadErrorReader(profilePath: string, packagesDir: string): Promise<ErrorReader | undefined> {
  if (!existsSync(profilePath)) return undefined;
  registerSourceHooks(packagesDir);
  // A profile's userAgent reads the version the build bakes in; the README does not show it.
  if (!("__VERSION__" in globalThis)) Object.assign(globalThis, { __VERSION__: "0.0.0" });
  const module = (await import(pathToFileURL(profilePath).href)) as { profile?: { errorOf?: ErrorReader } };
  const errorOf = module.profile?.errorOf;
  if (typeof errorOf !== "function") throw new Error(`${profilePath} must export a profile with an errorOf function`);
  return errorOf;
}
