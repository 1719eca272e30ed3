// Node, Bun and Deno: `<runtime> server-side.mjs '{"baseUrl":…,"calls":[…]}'` prints one line
// `PRESIGN_RESULT {json}`. It also counts node:http requests, to tell which transport `#send` chose.
import http from "node:http";
import { countFetch, errorText, presignAll } from "./calls.mjs";

const counts = { fetch: 0, nodeHttp: 0 };
countFetch(counts);
let patched = false;
try {
  const original = http.request;
  http.request = function countedRequest(...args) {
    counts.nodeHttp++;
    return original.apply(this, args);
  };
  patched = http.request !== original;
} catch {
  // A runtime whose node:http cannot be patched leaves nodeHttp unknown (null below).
}

const runtime =
  typeof Deno !== "undefined" ? `deno ${Deno.version.deno}` : typeof Bun !== "undefined" ? `bun ${Bun.version}` : `node ${process.version}`;
let result;
try {
  const { baseUrl, calls } = JSON.parse(process.argv[2]);
  result = { runtime, ...(await presignAll(baseUrl, calls)) };
} catch (error) {
  result = { runtime, urls: {}, errors: { program: errorText(error) } };
}
console.log(`PRESIGN_RESULT ${JSON.stringify({ ...result, transport: { fetch: counts.fetch, nodeHttp: patched ? counts.nodeHttp : null } })}`);
