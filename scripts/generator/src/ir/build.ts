/** Reads one spec into the model every emitter works from. Throws a SpecError listing every problem. */
import { parseSpec, SpecDocument } from "../spec/document.js";
import { pascalCase } from "../spec/names.js";
import { Problems } from "../spec/problems.js";
import { credentialOption, readAuth } from "./auth.js";
import { stringExtension } from "./extensions.js";
import { readOperations } from "./operations.js";
import { optional } from "./optional.js";
import { readServer, variableOption } from "./server.js";
import type { ApiIR, ClientOptionIR } from "./types.js";

/**
 * @param specText the spec's YAML
 * @param specPath how generated files name the spec (`specs/datadog.yaml`)
 * @param provider the provider's name, which names the package and the factory
 */
export function buildIR(specText: string, specPath: string, provider: string): ApiIR {
  const document = parseSpec(specText, specPath);
  const spec = new SpecDocument(document, new Problems(specPath));
  const server = readServer(spec);
  const auth = readAuth(spec);
  const operations = readOperations(spec, auth);
  const credentialsHelp = stringExtension(document.info, "x-presign-credentials", "#/info", spec.problems);
  spec.problems.throwIfAny();
  // Server variables first, then one option per credential (two schemes may share one).
  const clientOptions: ClientOptionIR[] = server.variables.map(variableOption);
  for (const scheme of auth) {
    if (!clientOptions.some((option) => option.key === scheme.option)) clientOptions.push(credentialOption(scheme));
  }
  return {
    provider,
    typeName: pascalCase(provider),
    title: document.info.title,
    ...optional("description", document.info.description),
    ...optional("summary", document.info.summary),
    ...optional("credentialsHelp", credentialsHelp),
    specPath,
    server,
    auth,
    clientOptions,
    operations,
    document,
  };
}
