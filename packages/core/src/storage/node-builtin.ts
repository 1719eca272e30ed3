/**
 * A Node built-in, imported only when a Node-only path runs. Its name is not a literal, so a browser bundler neither
 * bundles it nor fails on it: esbuild and webpack refuse to build `import("node:fs")` for the browser.
 */
export function importNodeBuiltin<T>(name: "node:fs" | "node:os" | "node:path"): Promise<T> {
  return import(/* webpackIgnore: true */ /* @vite-ignore */ name);
}
