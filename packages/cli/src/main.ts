#!/usr/bin/env node
/** The `presign` executable: the process's streams and environment, and Ctrl-C as an abort of the call in flight. */
import { text } from "node:stream/consumers";
import { EXIT_CODES } from "./exit-codes.js";
import { providers } from "./generated/commands.js";
import { run } from "./program.js";

const interrupted = new AbortController();
function onInterrupt(): void {
  // A second Ctrl-C doesn't wait for the cleanup the first one started (an upload being aborted).
  if (interrupted.signal.aborted) process.exit(EXIT_CODES.aborted);
  interrupted.abort(new Error("interrupted (Ctrl-C)"));
}
process.on("SIGINT", onInterrupt);

const io = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  readStdin: () => text(process.stdin),
  signal: interrupted.signal,
};
process.exitCode = await run(process.argv.slice(2), io, providers);
process.off("SIGINT", onInterrupt);
