/**
 * Credentials: read once when the client is made (options, else environment variables), checked,
 * and turned into the headers of each operation's security requirement.
 */
import { env, type Invalid } from "./config.js";
import type { ApiDefinition, OperationDefinition } from "./definition.js";
import { HEADER_SAFE } from "./request.js";

export interface Credentials {
  /** The credential headers an operation needs; throws when its requirement cannot be met. */
  headersFor(operation: Pick<OperationDefinition, "security">): Record<string, string>;
  /** Every secret value (and each long part of an `id:secret` token), for the redactor. */
  secrets: string[];
}

/**
 * Credentials passed as options are used as a set; environment variables only when none is passed,
 * so DD_API_KEY in the environment never overrides an explicit accessToken.
 */
export function readCredentials(definition: ApiDefinition, options: Record<string, unknown>, invalid: Invalid): Credentials {
  const schemes = Object.entries(definition.auth);
  const explicit = schemes.some(([, auth]) => options[auth.option] !== undefined);
  const values: Record<string, string> = {};
  const secrets: string[] = [];
  for (const [scheme, auth] of schemes) {
    const value = explicit ? options[auth.option] : env(auth.env);
    if (value === undefined) continue;
    if (typeof value !== "string" || !value) throw invalid(`${auth.option} must be a non-empty string`);
    if (!HEADER_SAFE.test(value)) throw invalid(`${auth.option} contains characters a header cannot carry (CR, LF or beyond Latin-1)`);
    values[scheme] = value;
    // A token made of parts ("id:secret") is redacted whole and part by part.
    if (auth.secret !== false) secrets.push(value, ...value.split(":").filter((part) => part.length >= 8));
  }

  /** How to pass a scheme's credential, for the "missing credentials" message. */
  const optionOf = (scheme: string) => {
    const auth = definition.auth[scheme]!;
    return auth.option + (auth.env ? ` (or ${auth.env})` : "");
  };

  function headersFor({ security }: Pick<OperationDefinition, "security">): Record<string, string> {
    const headers: Record<string, string> = {};
    if (!security.length) return headers;
    // The first alternative whose credentials are all at hand; an empty one ("no auth") only as a last resort.
    const complete = security.filter((set) => set.every((scheme) => scheme in values));
    const chosen = complete.find((set) => set.length) ?? complete[0];
    if (!chosen) throw invalid(`missing credentials: pass ${security.map((set) => set.map(optionOf).join(" + ")).join(", or ")}`);
    for (const scheme of chosen) {
      const auth = definition.auth[scheme]!;
      if (auth.in === "bearer") headers.Authorization = `Bearer ${values[scheme]}`;
      else headers[auth.name!] = values[scheme]!;
    }
    return headers;
  }

  return { headersFor, secrets };
}
