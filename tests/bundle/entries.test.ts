/**
 * @presign/core has two entries: the public one users import, and "internal", which generated
 * clients call. An error made behind one must be an instance of the class the other exports, in
 * both builds: ESM through `import`, CommonJS through `require`.
 */
import { createRequire } from "node:module";
import { expect, it } from "vitest";

type Core = typeof import("@presign/core");
type Internal = typeof import("@presign/core/internal");

const api = { server: { url: "https://api.example", variables: {} }, auth: {}, operations: {} };
const profile = { provider: "acme", userAgent: "test", errorOf: () => undefined };

/** The error a client made through `internal` throws for a timeout no timer can honour. */
function refusal(internal: Internal): unknown {
  try {
    internal.createPresignClient(api, profile, { timeout: 0 });
  } catch (error) {
    return error;
  }
  throw new Error("expected the client to be refused");
}

it.each([
  { build: "ESM", load: async () => [await import("@presign/core"), await import("@presign/core/internal")] as const },
  {
    build: "CommonJS",
    load: async () => [createRequire(import.meta.url)("@presign/core"), createRequire(import.meta.url)("@presign/core/internal")] as const,
  },
])("$build: an error made behind the internal entry is an instance of the public class", async ({ load }) => {
  const [core, internal] = (await load()) as [Core, Internal];
  const error = refusal(internal);
  expect(error).toBeInstanceOf(core.InvalidRequestError);
  expect(error).toBeInstanceOf(core.PresignError);
});
