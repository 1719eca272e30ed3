/**
 * What the generator tells the CLI about each provider (src/generated/commands.ts): data, not code.
 * commands.ts turns it into commander commands; scripts/generator/src/emit/cli.ts writes it from the specs.
 */

/** How a flag's text becomes a value of the operation's input. `json` is any array or object, written as JSON. */
export type ValueType = "string" | "integer" | "number" | "boolean" | "json";

/** One flag of an operation: a field of its input. */
export interface InputFlag {
  /** `file-id`: the kebab-case of the input key (prefixed with its place when it would clash with a CLI flag). */
  flag: string;
  /** `fileId`: the key in the client method's input object. */
  key: string;
  type: ValueType;
  required: boolean;
  description?: string;
  /** The values the spec allows. */
  enum?: readonly (string | number | boolean)[];
  minimum?: number;
  maximum?: number;
  /** What the server uses when the flag is left out, as the spec documents it. */
  serverDefault?: unknown;
}

/** One operation of a provider's API, as a command. */
export interface OperationCommand {
  /** `get-file-download-url`: the kebab-case of the operationId. */
  name: string;
  /** `getFileDownloadUrl`: the method on the client. */
  method: string;
  /** `GET /api/v1/files/{file_id}/download` */
  route: string;
  summary?: string;
  description?: string;
  flags: readonly InputFlag[];
}

/** A client option as a flag: a server variable (`--site`) or a credential (`--api-key`). */
export interface ClientFlag {
  /** `api-key` */
  flag: string;
  /** `apiKey`: the option of the provider's client factory. */
  key: string;
  kind: "server" | "credential";
  /** Read when the flag is not given: the spec's `x-presign-env`, else `<PROVIDER>_<OPTION>`, read by the CLI alone. */
  env: string;
  /** Never shown: not in help, errors or output. */
  secret: boolean;
  description?: string;
  enum?: readonly string[];
  /** The server variable's default, when it is safe to use. */
  default?: string;
}

/** The options of a provider's client factory, as the CLI builds them. */
export type ClientSettings = Record<string, unknown>;

/** A provider's command group. */
export interface ProviderCommands {
  /** `datalab`: the spec's file name. */
  name: string;
  title: string;
  summary?: string;
  /** The provider package's client factory. A method, so a factory with narrower options fits. */
  createClient(options: ClientSettings): object;
  clientFlags: readonly ClientFlag[];
  operations: readonly OperationCommand[];
}

/**
 * Flags every operation command has besides its input's. An input field whose flag would be one of these (or a
 * client flag) is offered with its place as a prefix instead (`--query-timeout`).
 */
export const RESERVED_FLAGS: readonly string[] = ["help", "version", "json", "quiet", "input", "base-url", "timeout", "max-retries"];
