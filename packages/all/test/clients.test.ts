import type { Middleware } from "@presign/core";
import type { ApiDefinition } from "@presign/core/internal";
import { describe, expect, it } from "vitest";
import * as all from "../src/index.js";

type Name = keyof typeof all.factories;
const names = Object.keys(all.factories) as Name[];
const definitionOf = (name: Name) => (all as unknown as Record<string, ApiDefinition>)[`${name}Definition`]!;

/** Every provider's credential options filled in, and a base URL, so each client can be made. */
function providerOptions(name: Name) {
  const options: Record<string, string> = { baseUrl: `https://${name}.api.example` };
  for (const scheme of Object.values(definitionOf(name).auth)) options[scheme.option] = `${name}-credential-0001`;
  return options;
}

describe("createClients", () => {
  it("runs one shared middleware around every provider's calls, inside-out with a provider's own", async () => {
    const seen: string[] = [];
    const answer: Middleware = {
      onRequest: ({ request }) => {
        seen.push(`shared ${new URL(request.url).host}`);
        return Response.json({});
      },
    };
    const options = Object.fromEntries(names.map((name) => [name, providerOptions(name)]));
    const clients = all.createClients({ middleware: [answer], ...options });
    for (const name of names) {
      const [operation] = Object.values(definitionOf(name).operations);
      // Each provider's raw client is typed by its own paths; any path of the spec serves here.
      const raw = clients[name].raw as unknown as { request(method: string, path: string, init: object): Promise<unknown> };
      await raw.request(operation!.method.toLowerCase(), operation!.path, {});
    }
    expect(seen).toEqual(names.map((name) => `shared ${name}.api.example`));
  });

  it("makes each client when first used, a provider's own options winning over the shared ones", () => {
    const [first, second] = names as [Name, Name];
    // A shared timeout of 0 is refused; the first provider overrides it, the second does not.
    const clients = all.createClients({ timeout: 0, [first]: { ...providerOptions(first), timeout: 5000 }, [second]: providerOptions(second) });
    expect(clients[first].baseUrl).toBe(`https://${first}.api.example`);
    expect(() => clients[second]).toThrow(/timeout must be a number of milliseconds/);
  });
});
