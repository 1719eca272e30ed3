/** What every part of the bench agrees on: paths, every provider's presign call (from specs/), and statistics. */
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as all from "@presign/all";
import { bindClients, type Client, presignOperation } from "../test-support/clients.ts";
import { dig } from "../test-support/providers.ts";

export const benchDir = dirname(fileURLToPath(import.meta.url));
export const root = resolve(benchDir, "..");
/** Resolves the bench's own dependencies (the official Datadog client, playwright-core). */
export const requireHere = createRequire(import.meta.url);
/** @presign/all's folder: it depends on every provider package, so `@presign/<name>` resolves from there. */
export const allPackageDir = dirname(requireHere.resolve("@presign/all/package.json"));

export interface Provider {
  name: string;
  /** The factory's export name, in @presign/<name> as in @presign/all. */
  factory: string;
  method: string;
  input: Record<string, unknown>;
  credentials: Record<string, string>;
  /** A client with those credentials and the given options. */
  client(options: object): Client;
  /** The presigned URL in the operation's result. */
  urlOf(result: unknown): unknown;
}

/** The export of @presign/all that is this provider's factory (`createDatalabClient`, …). */
function factoryName(name: string): string {
  const entry = Object.entries(all).find(([key, value]) => key !== "factories" && value === all.factories[name as keyof typeof all.factories]);
  if (!entry) throw new Error(`@presign/all exports no factory for ${name}`);
  return entry[0];
}

/** Each provider's presign operation with the spec's example input: what the loopback mock answers. */
export const providers: Provider[] = bindClients(all).map((provider) => {
  const op = presignOperation(provider);
  if (!op) throw new Error(`${provider.specFile}: no operation's example success response holds a presigned URL (an http(s) string)`);
  return {
    name: provider.name,
    factory: factoryName(provider.name),
    method: op.methodName,
    input: op.input,
    credentials: provider.credentialsOf(op.security[0] ?? []),
    client: (options) => provider.create(options, op.security[0] ?? []),
    urlOf: (result) => dig(result, op.presignedUrlAt!),
  };
});

export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, n: sorted.length };
}
