/** `generated/schema.ts`: openapi-typescript's `paths`, `components` and `operations` types of the spec. */
import openapiTS, { astToString } from "openapi-typescript";
import type { ApiIR } from "../ir/types.js";
import { generatedNotice } from "./format.js";

export async function emitSchemaTypes(api: ApiIR): Promise<string> {
  // A copy: openapi-typescript may annotate the document it is given, and the model stays as read.
  // defaultNonNullable would make a field with a default (Powerdrill's expires_in) required in request bodies.
  const ast = await openapiTS(structuredClone(api.document), { alphabetize: false, exportType: false, defaultNonNullable: false });
  return `// ${generatedNotice(api.specPath)}\n${astToString(ast)}`;
}
