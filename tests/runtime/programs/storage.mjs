// Node, Bun and Deno: `<runtime> storage.mjs '{"apiBase":…}'` prints one line `PRESIGN_STORAGE {json}` (see storage-run.mjs).
import { describeError, runStorage } from "./storage-run.mjs";

const runtime =
  typeof Deno !== "undefined" ? `deno ${Deno.version.deno}` : typeof Bun !== "undefined" ? `bun ${Bun.version}` : `node ${process.version}`;
let result;
try {
  result = { runtime, ...(await runStorage(JSON.parse(process.argv[2]))) };
} catch (error) {
  result = { runtime, program: describeError(error) };
}
console.log(`PRESIGN_STORAGE ${JSON.stringify(result)}`);
