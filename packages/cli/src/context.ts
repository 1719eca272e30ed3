/** What every command's action needs besides its own flags: where to write, how, and the Ctrl-C signal. */
import type { Output } from "./io.js";

export interface RunContext {
  output: Output;
  /** Fires on Ctrl-C: passed to every call and transfer. */
  signal: AbortSignal;
  /** `--json`: exactly one JSON document on stdout. */
  json: boolean;
  /** `--quiet`: no progress. */
  quiet: boolean;
}

/** What a command produced: the result (printed as JSON), and for a workflow a one-line summary shown instead off --json. */
export interface CommandResult {
  data: unknown;
  summary?: string;
}

/** Prints a result: `--json` prints the data as one JSON document, else the summary, else the data as indented JSON. */
export function printResult({ output, json }: RunContext, { data, summary }: CommandResult): void {
  if (json) output.result(JSON.stringify(data ?? null));
  else if (summary !== undefined) output.result(summary);
  else if (data === undefined) output.note("done (the API answered with no content)");
  else output.result(JSON.stringify(data, null, 2));
}
