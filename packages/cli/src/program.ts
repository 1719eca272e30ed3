/**
 * The `presign` program: a command group per provider (generated), the workflow commands, `download`, and how a
 * run ends: the exit code of its outcome, errors on stderr (or as the one JSON document of --json).
 */
import { Command, CommanderError } from "commander";
import type { RunContext } from "./context.js";
import { EXIT_CODES } from "./exit-codes.js";
import { reportFailure, withoutOptionValues } from "./failure.js";
import { createOutput, type Io, type Output } from "./io.js";
import type { ProviderCommands } from "./model.js";
import { addProviderGroup } from "./operations.js";
import { knownSecrets } from "./secrets.js";
import { addDownloadCommand, workflowsByProvider } from "./workflows/index.js";

interface ProgramSettings {
  io: Io;
  output: Output;
  /** --json was given: commander's usage errors are left to the JSON document. */
  json: boolean;
  providers: readonly ProviderCommands[];
}

/** The settings every command inherits: set before any is added, since commander copies them at `command()`. */
function configure(program: Command, { io, output, json }: ProgramSettings): void {
  program
    .name("presign")
    .version(__VERSION__)
    .description("Every operation of every presign provider, and the uploads, downloads and exports around their presigned URLs.")
    .option("--json", 'Print exactly one JSON document on stdout: the result, or {"error": {...}}.')
    .option("-q, --quiet", "No progress on stderr.")
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({
      writeOut: (text) => io.stdout.write(output.redact(text)),
      writeErr: (text) => io.stderr.write(output.redact(text)),
      outputError: (text, write) => {
        if (!json) write(withoutOptionValues(text));
      },
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    })
    .showHelpAfterError(json ? false : "(add --help for usage)")
    .exitOverride();
}

export function buildProgram(settings: ProgramSettings): Command {
  const program = new Command();
  configure(program, settings);
  const contextOf = (command: Command): RunContext => {
    const globals = command.optsWithGlobals();
    return { output: settings.output, signal: settings.io.signal, json: globals.json === true, quiet: globals.quiet === true };
  };
  for (const provider of settings.providers) {
    const group = addProviderGroup(program, provider, settings.io, contextOf);
    workflowsByProvider[provider.name]?.(group, provider, contextOf);
  }
  addDownloadCommand(program, contextOf);
  return program;
}

/** Runs `presign` with these arguments (those after the program's name); resolves to the exit code. */
export async function run(argv: readonly string[], io: Io, providers: readonly ProviderCommands[]): Promise<number> {
  const json = argv.includes("--json");
  const output = createOutput(io, knownSecrets(argv, io.env, providers));
  try {
    await buildProgram({ io, output, json, providers }).parseAsync([...argv], { from: "user" });
    return EXIT_CODES.ok;
  } catch (error) {
    // --help and --version end the same way, with exit code 0.
    if (error instanceof CommanderError && error.exitCode === 0) return EXIT_CODES.ok;
    return reportFailure(error, output, json, providers);
  }
}
