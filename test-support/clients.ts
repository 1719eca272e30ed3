/**
 * The discovered providers bound to their clients: each spec's factory (`factories[name]`) and
 * generated definition (`<name>Definition`) from @presign/all, with every operation's method name
 * and its sample input keyed as the method takes it. The caller passes @presign/all in (its own
 * dependency), so this module resolves no package and serves tests/ and bench/ alike.
 */

// Core's own definition types, from its sources: type-only, so nothing needs building or resolving.
import type { Field as RuntimeField, OperationDefinition as RuntimeOperation } from "../packages/core/src/definition.ts";
import type { Schema } from "../packages/core/src/validate.ts";
import { credentialsFor, discoverProviders, type SpecInput, type SpecOperation, type SpecProvider, secretsOf } from "./providers.ts";

export type { RuntimeField, RuntimeOperation, Schema };

/** What this module needs of `import * as all from "@presign/all"`. */
export interface AllPackage {
  factories: Readonly<Record<string, (options?: object) => unknown>>;
}

/** A client as the cross-provider suites drive it: methods by name. */
export type Client = Record<string, (input?: unknown, options?: object) => Promise<unknown>>;

export interface Operation extends SpecOperation {
  /** The client method, e.g. `getFileDownloadUrl`. */
  methodName: string;
  definition: RuntimeOperation;
  /** The input key of each spec input, by `in:name`. */
  keys: Map<string, string>;
  /** Every input that has a sample value, keyed as the method takes it. */
  input: Record<string, unknown>;
  /** The same, required inputs only. */
  requiredInput: Record<string, unknown>;
  /** Required inputs the spec gives no example for and whose schema yields no value. */
  unsampled: SpecInput[];
}

export interface Provider extends Omit<SpecProvider, "operations"> {
  operations: Operation[];
  /** A client with the fake credentials of one security alternative (default: the first operation's first). */
  create(options?: object, alternative?: readonly string[]): Client;
  /** The fake credentials of an alternative, as client options. */
  credentialsOf(alternative?: readonly string[]): Record<string, string>;
  /** The secret ones among them. */
  secretsOf(alternative?: readonly string[]): string[];
}

/** Every provider in specs/, bound to @presign/all. Fails with what to run when a spec has no client yet. */
export function bindClients(all: AllPackage, specs: SpecProvider[] = discoverProviders()): Provider[] {
  const names = specs.map((s) => s.name);
  const extra = Object.keys(all.factories).filter((name) => !names.includes(name));
  if (extra.length)
    throw new Error(`@presign/all has factories without a spec in specs/: ${extra.join(", ")}. Run \`pnpm generate\` and \`pnpm build\`.`);
  return specs.map((spec) => bindProvider(all, spec));
}

function bindProvider(all: AllPackage, spec: SpecProvider): Provider {
  const factory = all.factories[spec.name];
  const definition = (all as unknown as Record<string, { operations?: Record<string, RuntimeOperation> }>)[`${spec.name}Definition`];
  if (!factory || !definition?.operations) {
    throw new Error(
      `${spec.specFile}: @presign/all has no factories.${spec.name} or ${spec.name}Definition. Run \`pnpm generate\` and \`pnpm build\`.`,
    );
  }
  const operations = spec.operations.map((op) => bindOperation(spec, op, definition.operations!));
  const defaultAlternative = operations[0]?.security[0] ?? [];
  const credentialsOf = (alternative: readonly string[] = defaultAlternative) => credentialsFor(spec, alternative);
  return {
    ...spec,
    operations,
    credentialsOf,
    secretsOf: (alternative = defaultAlternative) => secretsOf(spec, alternative),
    create: (options = {}, alternative = defaultAlternative) => factory({ ...credentialsOf(alternative), ...options }) as Client,
  };
}

function bindOperation(spec: SpecProvider, op: SpecOperation, definitions: Record<string, RuntimeOperation>): Operation {
  const found = Object.entries(definitions).find(([, d]) => d.method === op.method && d.path === op.path);
  if (!found)
    throw new Error(
      `${op.where}: no generated method for ${op.method} ${op.path} in ${spec.name}Definition. Run \`pnpm generate\` and \`pnpm build\`.`,
    );
  const [methodName, definition] = found;
  const keys = new Map<string, string>();
  for (const input of op.inputs) {
    const field = definition.fields.find((f) => f.in === input.in && f.name === input.name);
    if (field) keys.set(`${input.in}:${input.name}`, field.key);
  }
  const sampled = op.inputs.filter((i) => i.sample && keys.has(`${i.in}:${i.name}`));
  const keyed = (inputs: SpecInput[]) => Object.fromEntries(inputs.map((i) => [keys.get(`${i.in}:${i.name}`)!, i.sample!.value]));
  return {
    ...op,
    methodName,
    definition,
    keys,
    input: keyed(sampled),
    requiredInput: keyed(sampled.filter((i) => i.required)),
    unsampled: op.inputs.filter((i) => i.required && !i.sample),
  };
}

/** Calls an operation on a client (with its sample input unless given another). */
export function call(client: Client, op: Operation, input: unknown = op.input, options?: object): Promise<unknown> {
  return client[op.methodName]!(input, options);
}

/**
 * Whether an operation hands out one URL to read from and may be repeated: what a demo, a runtime
 * check or a fault case may call as often as it likes. Its spec's `x-presign-url` says GET when it
 * has one; a spec without the extension is judged by its example holding a URL.
 */
export function readsPresignedUrl(op: Operation): boolean {
  if (!op.presignedUrlAt || !op.definition.idempotent) return false;
  return op.presignUrl ? op.presignUrl.method === "GET" && op.presignUrl.url !== undefined : true;
}

/**
 * The operation that hands out a presigned URL: the first that reads one (a download or presign
 * call, never an upload that creates something), else the first whose example response holds one.
 */
export function presignOperation(provider: Provider): Operation | undefined {
  return provider.operations.find(readsPresignedUrl) ?? provider.operations.find((op) => op.presignedUrlAt);
}
