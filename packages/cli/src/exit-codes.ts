/**
 * The exit status of `presign`, one per error kind. Stable: scripts switch on them. The README's table is
 * generated from this list (scripts/generator/src/emit/cli.ts), so the two cannot drift. The generator reads this
 * file from its sources, before any build: hence core's error kinds come by a type-only import of core's source.
 */
import type { ErrorKind } from "../../core/src/errors.ts";

/** What ended a run, as the exit status's name: an error kind of @presign/core, or the CLI's own outcomes. */
export type Outcome = "ok" | "unexpected" | "usage" | ErrorKind;

export interface ExitCode {
  outcome: Outcome;
  code: number;
  meaning: string;
}

export const EXIT_CODE_TABLE: readonly ExitCode[] = [
  { outcome: "ok", code: 0, meaning: "Done." },
  { outcome: "unexpected", code: 1, meaning: "A failure that is not one of the kinds below (a bug: please report it)." },
  { outcome: "usage", code: 2, meaning: "A flag that can't be parsed, an unknown command or option." },
  {
    outcome: "invalid_request",
    code: 2,
    meaning: "Input refused before any request (missing or out-of-range values, missing credentials), or a 4xx not listed below.",
  },
  { outcome: "authentication", code: 3, meaning: "401: the credentials are missing, wrong or expired." },
  { outcome: "permission_denied", code: 4, meaning: "403: the credentials may not do this." },
  { outcome: "not_found", code: 5, meaning: "404: no such resource." },
  { outcome: "conflict", code: 6, meaning: "409: the resource is not in a state that allows this." },
  { outcome: "rate_limit", code: 7, meaning: "429, after the client's retries." },
  { outcome: "server", code: 8, meaning: "5xx after the retries, or a success body that reports an error." },
  { outcome: "malformed_response", code: 9, meaning: "A success whose body is not what the spec promises." },
  { outcome: "connection", code: 10, meaning: "The connection failed or broke." },
  { outcome: "timeout", code: 11, meaning: "An attempt (or a Spaaza export) ran past its timeout." },
  { outcome: "storage", code: 12, meaning: "The storage host refused a presigned-URL request (expired, access denied, bad digest…)." },
  { outcome: "task_failed", code: 13, meaning: "A provider task (a Spaaza export) ended in error." },
  { outcome: "aborted", code: 130, meaning: "Interrupted (Ctrl-C): the call in flight was aborted." },
];

/** The exit status of each outcome. */
export const EXIT_CODES = Object.fromEntries(EXIT_CODE_TABLE.map(({ outcome, code }) => [outcome, code])) as Readonly<Record<Outcome, number>>;
