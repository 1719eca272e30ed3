// The runtime matrix's program: one presign call per provider, against the built packages through
// @presign/all (imported by its package name, so each runtime resolves the `exports` maps and core's
// `#send`). The test hands it the calls — provider, method, input, client options, where the URL
// is in the result — so it names no provider and a new spec needs no edit here.
import { factories } from "@presign/all";

/** Counts calls to `globalThis.fetch`: the fetch transport looks it up on every request. */
export function countFetch(counts) {
  const original = globalThis.fetch;
  globalThis.fetch = function countedFetch(...args) {
    counts.fetch++;
    return original.apply(this, args);
  };
}

const errorText = (error) =>
  `${error?.name ?? "Error"}: ${error?.message ?? String(error)}${error?.cause ? ` (cause: ${error.cause?.message ?? error.cause})` : ""}`;

const dig = (value, keys) => keys.reduce((at, key) => (at && typeof at === "object" ? at[key] : undefined), value);

/** Makes every call; each provider's result is its presigned URL, or its error text. */
export async function presignAll(baseUrl, calls) {
  const urls = {};
  const errors = {};
  for (const { provider, method, input, options, urlAt } of calls) {
    try {
      const client = factories[provider]({ ...options, baseUrl });
      urls[provider] = dig(await client[method](input), urlAt);
    } catch (error) {
      errors[provider] = errorText(error);
    }
  }
  return { urls, errors };
}

export { errorText };
