/**
 * A flag's text as a value of the type its field has. Text that is not of that type is a usage error naming the
 * flag (commander adds the flag's name to the message), before any request. Ranges, lengths and enums are the
 * client's to check: its InvalidRequestError says what the spec allows.
 */
import { InvalidArgumentError } from "commander";
import type { ValueType } from "./model.js";

const WHOLE_NUMBER = /^-?\d+$/;

function parseInteger(text: string): number {
  const value = Number(text);
  if (!WHOLE_NUMBER.test(text.trim()) || !Number.isSafeInteger(value)) throw new InvalidArgumentError("Expected a whole number.");
  return value;
}

function parseNumber(text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value)) throw new InvalidArgumentError("Expected a number.");
  return value;
}

function parseBoolean(text: string): boolean {
  // `--flag` alone arrives here as its preset, "true".
  if (text === "true") return true;
  if (text === "false") return false;
  throw new InvalidArgumentError("Expected true or false.");
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidArgumentError("Expected JSON (an array or object in quotes, e.g. '[1, 2]').");
  }
}

/** The parser of each type, as commander's `argParser` takes it. */
export const PARSERS: Record<ValueType, (text: string) => unknown> = {
  string: (text) => text,
  integer: parseInteger,
  number: parseNumber,
  boolean: parseBoolean,
  json: parseJson,
};

/** A whole number of at least `min` (a CLI setting such as `--timeout`). */
export function wholeNumberAtLeast(min: number): (text: string) => number {
  return (text) => {
    const value = parseInteger(text);
    if (value < min) throw new InvalidArgumentError(`Expected a whole number of at least ${min}.`);
    return value;
  };
}
