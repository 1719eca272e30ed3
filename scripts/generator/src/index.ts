/** The generator as a library: the model of a spec, its emitters, and the workspace run behind `pnpm generate`. */
export { emitClient, runtimeDefinition } from "./emit/client.js";
export { emitProviders } from "./emit/providers.js";
export { emitReadme } from "./emit/readme.js";
export { emitScaffold } from "./emit/scaffold.js";
export { emitSchemaTypes } from "./emit/schema-types.js";
export { type GeneratedFile, generatedSources, generatePackage } from "./generate.js";
export { buildIR } from "./ir/build.js";
export type * from "./ir/types.js";
export { SpecError } from "./spec/problems.js";
export { generateWorkspace } from "./workspace.js";
