/**
 * Where a run writes and what it reads: the process's streams and environment in `main.ts`, stand-ins in tests.
 * Everything written goes through `redact`, so no credential the run knows of reaches the terminal or a log.
 */
/** The part of a stream the CLI writes to (a TTY stream has `isTTY` and `columns`; cli-progress reads them). */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Io {
  stdout: OutputStream;
  stderr: OutputStream;
  /** Read for the secrets to scrub and for NO_COLOR (commander reads the flags' environment variables from process.env itself). */
  env: Readonly<Record<string, string | undefined>>;
  /** The text of `--input -`. */
  readStdin(): Promise<string>;
  /** Fires on Ctrl-C: the call in flight is aborted. */
  signal: AbortSignal;
}

/** What a run writes: stdout for the result only, stderr for the rest; each line scrubbed of known secrets. */
export interface Output {
  io: Io;
  /** Writes the result (one JSON document with --json). */
  result(text: string): void;
  /** A line for the person at the terminal: progress, summaries of what happened besides the result, errors. */
  note(text: string): void;
  /** `error` in red on a colour terminal. */
  errorLabel(): string;
  redact(text: string): string;
}

const REDACTED = "[redacted]";
/** Shorter values would be scrubbed out of ordinary words; no real credential is this short. */
const SHORTEST_SECRET = 6;

export function createOutput(io: Io, secrets: readonly string[]): Output {
  const known = [...new Set(secrets.filter((s) => s.length >= SHORTEST_SECRET))].sort((a, b) => b.length - a.length);
  const redact = (text: string) => known.reduce((scrubbed, secret) => scrubbed.replaceAll(secret, REDACTED), text);
  return {
    io,
    redact,
    result: (text) => io.stdout.write(`${redact(text)}\n`),
    note: (text) => io.stderr.write(`${redact(text)}\n`),
    errorLabel: () => (usesColour(io.stderr, io.env) ? red("error") : "error"),
  };
}

/** Written here rather than with util.styleText, which decides by process.stdout, not by the stream written to. */
const red = (text: string) => `\u001b[31m${text}\u001b[39m`;

/** Colour only for a person at a terminal: never in a pipe or a log, nor when NO_COLOR is set (https://no-color.org). */
export function usesColour(stream: OutputStream, env: Io["env"]): boolean {
  return stream.isTTY === true && !env.NO_COLOR && env.TERM !== "dumb";
}
