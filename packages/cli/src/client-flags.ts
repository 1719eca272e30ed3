/**
 * The flags that make a provider's client: its server variables and credentials (each also read from its
 * environment variable, the flag winning), and the connection flags every provider shares.
 */
import { type Command, Option } from "commander";
import type { ClientFlag, ClientSettings, ProviderCommands } from "./model.js";
import { wholeNumberAtLeast } from "./values.js";

const CLIENT_GROUP = "Client options:";

function clientOption(flag: ClientFlag): Option {
  const placeholder = flag.kind === "server" ? "value" : flag.secret ? "secret" : "id";
  const facts = [flag.default === undefined ? undefined : `default: ${flag.default}`, flag.secret ? "secret: never shown" : undefined].filter(
    Boolean,
  );
  const description = [flag.description, facts.length ? `(${facts.join("; ")})` : undefined].filter(Boolean).join(" ");
  // commander shows the variable's name in help, never its value.
  const option = new Option(`--${flag.flag} <${placeholder}>`, description).env(flag.env);
  return flag.enum ? option.choices(flag.enum) : option;
}

/** The options every client takes, whatever its provider. */
const connectionOptions = () => [
  {
    key: "baseUrl",
    option: new Option("--base-url <url>", "Send API calls here instead of the provider's server (a proxy, a local mock)."),
  },
  {
    key: "timeout",
    option: new Option("--timeout <ms>", "Milliseconds per attempt before it is abandoned (default 10000).").argParser(wholeNumberAtLeast(1)),
  },
  {
    key: "maxRetries",
    option: new Option("--max-retries <n>", "Retries after the first attempt, on 408, 429, 5xx and broken connections (default 2).").argParser(
      wholeNumberAtLeast(0),
    ),
  },
];

/** Adds the client's flags to a command; the function it returns reads them, after parsing, as the factory's options. */
export function addClientFlags(command: Command, provider: ProviderCommands): () => ClientSettings {
  const options = [...provider.clientFlags.map((flag) => ({ key: flag.key, option: clientOption(flag) })), ...connectionOptions()];
  for (const { option } of options) command.addOption(option.helpGroup(CLIENT_GROUP));
  return () => {
    const values = command.opts();
    const given = options.map(({ key, option }) => ({ key, value: values[option.attributeName()] })).filter(({ value }) => value !== undefined);
    return Object.fromEntries(given.map(({ key, value }) => [key, value]));
  };
}
