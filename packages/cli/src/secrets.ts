/**
 * The credentials a run could print by mistake: every secret client flag's value, from the command line or its
 * environment variable. Known before parsing, so even commander's own messages (an unknown `--api-kye=…`) are scrubbed.
 */
import type { Io } from "./io.js";
import type { ProviderCommands } from "./model.js";

export function knownSecrets(argv: readonly string[], env: Io["env"], providers: readonly ProviderCommands[]): string[] {
  const secretFlags = providers.flatMap((p) => p.clientFlags).filter((f) => f.secret);
  const fromEnv = secretFlags.map((f) => env[f.env]);
  const fromArgv = secretFlags.flatMap((f) => flagValues(argv, `--${f.flag}`));
  return [...fromEnv, ...fromArgv].filter((value): value is string => Boolean(value));
}

/** Every value given to a flag: `--api-key VALUE` and `--api-key=VALUE`. */
function flagValues(argv: readonly string[], flag: string): string[] {
  return argv.flatMap((token, i) => {
    if (token === flag) return argv[i + 1] === undefined ? [] : [argv[i + 1]!];
    return token.startsWith(`${flag}=`) ? [token.slice(flag.length + 1)] : [];
  });
}
