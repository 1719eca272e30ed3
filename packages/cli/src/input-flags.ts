/**
 * An operation's input from the command line: `--input` (a whole JSON object: inline, `@file` or `-` for stdin),
 * then one flag per field, a flag winning over the same key of `--input`.
 */
import { readFile } from "node:fs/promises";
import { type Command, Option } from "commander";
import { UsageError } from "./failure.js";
import type { Io } from "./io.js";
import type { InputFlag, OperationCommand } from "./model.js";
import { PARSERS } from "./values.js";

const INPUT_GROUP = "Input options:";

/** What the spec says of a field besides its description: required, the range, the server's default. */
function facts(flag: InputFlag): string {
  const range =
    flag.minimum !== undefined && flag.maximum !== undefined
      ? `${flag.minimum} to ${flag.maximum}`
      : flag.minimum !== undefined
        ? `at least ${flag.minimum}`
        : flag.maximum !== undefined
          ? `at most ${flag.maximum}`
          : undefined;
  const listed = flag.enum && flag.type !== "string" ? `one of ${flag.enum.map((v) => JSON.stringify(v)).join(", ")}` : undefined;
  const serverDefault = flag.serverDefault === undefined ? undefined : `server default: ${JSON.stringify(flag.serverDefault)}`;
  const all = [flag.required ? "required" : undefined, range, listed, serverDefault, flag.type === "json" ? "JSON" : undefined].filter(Boolean);
  return all.length ? ` (${all.join("; ")})` : "";
}

function inputOption(flag: InputFlag): Option {
  const value = flag.type === "boolean" ? `[${flag.type}]` : `<${flag.type}>`;
  const option = new Option(`--${flag.flag} ${value}`, `${flag.description ?? ""}${facts(flag)}`.trim()).helpGroup(INPUT_GROUP);
  if (flag.type === "string" && flag.enum) return option.choices(flag.enum.map(String));
  option.argParser(PARSERS[flag.type]);
  // `--flag` alone means true.
  return flag.type === "boolean" ? option.preset("true") : option;
}

/** Adds the operation's input flags and `--input`; the function it returns builds the input after parsing. */
export function addInputFlags(command: Command, operation: OperationCommand, io: Io): () => Promise<Record<string, unknown>> {
  const fields = operation.flags.map((flag) => ({ key: flag.key, option: inputOption(flag) }));
  for (const { option } of fields) command.addOption(option);
  const whole = new Option(
    "--input <json|@file|->",
    "The whole input as a JSON object (inline, from a file, or - for stdin); flags override its keys.",
  );
  command.addOption(whole.helpGroup(INPUT_GROUP));
  return async () => {
    const values = command.opts();
    const base = await readInput(values[whole.attributeName()] as string | undefined, io);
    const given = fields.filter(({ option }) => values[option.attributeName()] !== undefined);
    return { ...base, ...Object.fromEntries(given.map(({ key, option }) => [key, values[option.attributeName()]])) };
  };
}

async function readInput(source: string | undefined, io: Io): Promise<Record<string, unknown>> {
  if (source === undefined) return {};
  const text = source === "-" ? await io.readStdin() : source.startsWith("@") ? await readInputFile(source.slice(1)) : source;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError("--input is not valid JSON");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new UsageError("--input must be a JSON object");
  return value as Record<string, unknown>;
}

async function readInputFile(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new UsageError(`--input: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? "unreadable"})`);
  }
}
