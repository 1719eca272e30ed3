/**
 * `presign <provider> <operation>`: a command per operation of the generated data, each calling the method of the
 * same name on the provider's client. The client checks the input against the spec before any request.
 */
import type { Command } from "commander";
import { addClientFlags } from "./client-flags.js";
import { printResult, type RunContext } from "./context.js";
import { addInputFlags } from "./input-flags.js";
import type { Io } from "./io.js";
import type { OperationCommand, ProviderCommands } from "./model.js";

/** Reads the run's shared settings (--json, --quiet, the output) for a command, once it is parsed. */
export type ContextOf = (command: Command) => RunContext;

type OperationMethod = (input: unknown, options: { signal: AbortSignal }) => Promise<unknown>;

/** The client's method for an operation: generated from the same spec as the command, so it exists. */
function methodOf(client: object, name: string): OperationMethod {
  const method = (client as Record<string, OperationMethod>)[name];
  if (typeof method !== "function") throw new Error(`the client has no method ${name}: rebuild @presign/cli after \`pnpm generate\``);
  return method.bind(client);
}

/** A leaf command of a provider: its client's flags, then its own. */
export function providerCommand(group: Command, provider: ProviderCommands, name: string) {
  const command = group.command(name);
  const clientSettings = addClientFlags(command, provider);
  return { command, createClient: () => provider.createClient(clientSettings()) };
}

function describe(operation: OperationCommand): string {
  return [operation.summary, operation.description, operation.route].filter(Boolean).join("\n\n");
}

function addOperation(group: Command, provider: ProviderCommands, operation: OperationCommand, io: Io, contextOf: ContextOf): void {
  const { command, createClient } = providerCommand(group, provider, operation.name);
  command.summary(operation.summary ?? operation.route).description(describe(operation));
  const readInput = addInputFlags(command, operation, io);
  command.action(async () => {
    const context = contextOf(command);
    const call = methodOf(createClient(), operation.method);
    const data = await call(await readInput(), { signal: context.signal });
    printResult(context, { data });
  });
}

/** `presign <provider>`: the group of a provider's commands, one per operation. */
export function addProviderGroup(program: Command, provider: ProviderCommands, io: Io, contextOf: ContextOf): Command {
  const group = program.command(provider.name).summary(provider.title).description([provider.title, provider.summary].filter(Boolean).join("\n\n"));
  for (const operation of provider.operations) addOperation(group, provider, operation, io, contextOf);
  return group;
}
