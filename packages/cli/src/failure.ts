/** How a failed run ends: its exit code, and what it says (a line on stderr, or with --json a document on stdout). */
import { PresignError } from "@presign/core";
import { CommanderError } from "commander";
import { EXIT_CODES, type Outcome } from "./exit-codes.js";
import type { Output } from "./io.js";
import type { ProviderCommands } from "./model.js";

/** Input the CLI itself refuses (a bad `--input`, an unreadable file): exit code 2, like commander's own. */
export class UsageError extends Error {
  override name = "UsageError";
}

const isUsage = (error: unknown) => error instanceof UsageError || (error instanceof CommanderError && error.exitCode !== 0);

/** The outcome a failure stands for: a presign error's kind, a usage error, or unexpected. */
export function outcomeOf(error: unknown): Outcome {
  if (error instanceof PresignError) return error.kind;
  return isUsage(error) ? "usage" : "unexpected";
}

/** A commander message without what follows `=` in a quoted option: a mistyped `--api-kye=<secret>` is not echoed. */
export const withoutOptionValues = (text: string): string => text.replace(/'(--?[\w-]+)=[^']*'/g, "'$1=…'");

/** commander's text without its `error: ` prefix. */
const usageMessage = (error: Error) => withoutOptionValues(error.message.replace(/^error: /, ""));

/** What the --json document says of a failure: a presign error's own safe details (its `toJSON`), else its kind and message. */
function errorDocument(error: unknown, outcome: Outcome): object {
  if (error instanceof PresignError) return error.toJSON();
  if (outcome === "usage") return { kind: outcome, message: usageMessage(error as Error) };
  return { kind: outcome, message: error instanceof Error ? error.message : String(error) };
}

/**
 * Reports a failure and returns the exit code. commander has printed its own usage errors already (off --json);
 * every other failure is reported here.
 */
export function reportFailure(error: unknown, output: Output, json: boolean, providers: readonly ProviderCommands[]): number {
  const outcome = outcomeOf(error);
  if (json) output.result(JSON.stringify({ error: errorDocument(error, outcome) }));
  else if (!(error instanceof CommanderError)) {
    output.note(`${output.errorLabel()}: ${humanMessage(error, outcome)}`);
    const hint = credentialHint(error, providers);
    if (hint) output.note(hint);
  }
  return EXIT_CODES[outcome];
}

/** After a 401: where the provider's credentials are read from (names only). */
function credentialHint(error: unknown, providers: readonly ProviderCommands[]): string | undefined {
  if (!(error instanceof PresignError) || error.kind !== "authentication") return undefined;
  const credentials = providers.find((p) => p.name === error.provider)?.clientFlags.filter((f) => f.kind === "credential") ?? [];
  if (!credentials.length) return undefined;
  return `hint: ${error.provider} reads its credentials from ${credentials.map((f) => `--${f.flag} or ${f.env}`).join(", ")}`;
}

function humanMessage(error: unknown, outcome: Outcome): string {
  if (!(error instanceof Error)) return String(error);
  if (outcome === "unexpected") return `${error.message} (an unexpected failure: please report it, with the command you ran)`;
  return error.message;
}
