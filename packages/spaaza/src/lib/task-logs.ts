/**
 * A Spaaza task's `logs` as lines fit to put in an error: Spaaza does not document their shape, and a
 * server may send anything there, so every shape is read, the lines are cut, and secrets are removed.
 */

/** The last lines are kept: a task that failed says why at the end. */
const MAX_LINES = 50;
const MAX_LINE_LENGTH = 500;
/** Read no further into a huge string than the kept lines could need. */
const MAX_TEXT_LENGTH = MAX_LINES * (MAX_LINE_LENGTH + 1);

/** The task's log lines: at most 50 (the last), each at most 500 characters, each cleaned by `redact`. */
export function logLinesOf(logs: unknown, redact: (text: string, maxLength: number) => string): string[] {
  return rawLinesOf(logs)
    .slice(-MAX_LINES)
    .map((line) => redact(line, MAX_LINE_LENGTH))
    .filter((line) => line.trim() !== "");
}

/** The lines of a string, of a list of strings or entries, or of a single entry. */
function rawLinesOf(logs: unknown): string[] {
  if (logs === undefined || logs === null) return [];
  if (typeof logs === "string") return logs.slice(-MAX_TEXT_LENGTH).split(/\r?\n/);
  if (Array.isArray(logs)) return logs.slice(-MAX_LINES).flatMap((entry) => rawLinesOf(entry).slice(-MAX_LINES));
  return [entryText(logs)];
}

/** One entry that is not a string (an object with a time and a message, a number…) as text. */
function entryText(entry: unknown): string {
  if (typeof entry !== "object") return String(entry);
  try {
    return JSON.stringify(entry) ?? "";
  } catch {
    return ""; // cannot come from JSON, but a client's validateResponses: false lets anything through
  }
}
