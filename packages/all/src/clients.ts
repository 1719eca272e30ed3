import type { ClientOptions } from "@presign/core";
import { factories } from "./generated/providers.js";

type Factories = typeof factories;
type ProviderName = keyof Factories;

/** Settings shared by every provider's client: middleware, fetch, timeouts, retries, debug. */
export type SharedClientOptions = Omit<ClientOptions, "baseUrl" | "allowInsecureHttp">;

/** Shared settings, and each provider's own options (credentials, server) under its name. */
export type PresignClientsOptions = SharedClientOptions & { [Name in ProviderName]?: Parameters<Factories[Name]>[0] };

/** One client per provider, by provider name. */
export type PresignClients = { readonly [Name in ProviderName]: ReturnType<Factories[Name]> };

/**
 * Clients for every provider with one set of shared settings, so one middleware (a logger, a
 * tracer) sees every call to every provider. Each client is made when first used: a provider
 * whose credentials are missing throws its InvalidRequestError then, not before. A provider's own
 * options win over the shared ones; its middleware runs inside the shared middleware.
 */
export function createClients(options: PresignClientsOptions = {}): PresignClients {
  const made = new Map<ProviderName, unknown>();
  const clients = {} as Record<ProviderName, unknown>;
  for (const name of Object.keys(factories) as ProviderName[]) {
    Object.defineProperty(clients, name, {
      enumerable: true,
      get() {
        if (!made.has(name)) made.set(name, createClient(name, options));
        return made.get(name);
      },
    });
  }
  return clients as PresignClients;
}

function createClient(name: ProviderName, options: PresignClientsOptions): unknown {
  const { middleware: shared = [], ...settings } = options;
  const own = (options[name] ?? {}) as ClientOptions;
  for (const provider of Object.keys(factories)) delete (settings as Record<string, unknown>)[provider];
  const factory = factories[name] as (options: ClientOptions) => unknown;
  return factory({ ...settings, ...own, middleware: [...shared, ...(own.middleware ?? [])] });
}
