import type { Send } from "./transport.js";

const NULL_BODY_STATUS = [101, 204, 205, 304];

/** Sends with fetch (the user's, or `globalThis.fetch` looked up at call time so msw and polyfills work whenever they load). */
export function fetchSender(custom?: typeof fetch): Send {
  return async (url, init) => {
    const response = await (custom ?? globalThis.fetch)(url, { ...init, redirect: "manual" });
    // A browser hides a redirect behind an opaque status 0; report it as the redirect it is.
    if (response.type === "opaqueredirect") return new Response(null, { status: 307 });
    return new Response(NULL_BODY_STATUS.includes(response.status) ? null : await response.arrayBuffer(), response);
  };
}

/** The default where no faster transport exists. */
export const defaultSend: Send = fetchSender();
