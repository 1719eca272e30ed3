/** @presign/all's package.json with every provider among its dependencies (sorted); the rest of the file as it was. */

interface Manifest {
  dependencies?: Record<string, string>;
}

export function withProviderDependencies(text: string, providers: string[]): string {
  const manifest = JSON.parse(text) as Manifest;
  const dependencies = { ...manifest.dependencies };
  const missing = providers.map((p) => `@presign/${p}`).filter((name) => !(name in dependencies));
  if (!missing.length) return text;
  for (const name of missing) dependencies[name] = "workspace:^";
  const sorted = Object.fromEntries(Object.entries(dependencies).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${JSON.stringify({ ...manifest, dependencies: sorted }, null, 2)}\n`;
}
