import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { it } from "vitest";
import { createDatadogClient } from "../src/index.js";
const server = setupServer(http.all("*", ({ request }) => { console.log("SEEN", [...request.headers.keys()].join(",")); return HttpResponse.json({ url: "x" }); }));
it("x", async () => {
  server.listen({ onUnhandledRequest: "error" });
  const patched = globalThis.fetch;
  globalThis.fetch = ((i: any, o: any) => { console.log("WRAPPER CALLED", i instanceof Request, i.constructor.name, i.constructor === Request); return patched(i, o); }) as any;
  const c = createDatadogClient({ apiKey: "a", appKey: "b" });
  await c.getTestFileDownloadUrl({ publicId: "p", bucketKey: "k" });
  globalThis.fetch = patched;
  server.close();
});
