import { type Send, deadlineError, isDeadline } from "./transport.js";

const NULL_BODY_STATUS = [101, 204, 205, 304];

/** Sends with fetch (the user's, or `globalThis.fetch` looked up at call time so msw and polyfills work whenever they load). */
export function fetchSender(custom?: typeof fetch): Send {
  return async (url, { timeout, signal, ...init }) => {
    const controller = new AbortController();
    const deadline = setTimeout(() => controller.abort(deadlineError(timeout)), timeout);
    const abort = () => controller.abort(signal!.reason);
    signal?.addEventListener("abort", abort);
    try {
      const response = await (custom ?? globalThis.fetch)(url, { ...init, signal: controller.signal, redirect: "manual" });
      // A browser hides a redirect behind an opaque status 0; report it as the redirect it is.
      if (response.type === "opaqueredirect") return new Response(null, { status: 307 });
      return new Response(NULL_BODY_STATUS.includes(response.status) ? null : await response.arrayBuffer(), response);
    } catch (error) {
      // Runtimes differ in what an abort rejects with; the deadline is told by the reason.
      throw isDeadline(controller.signal.reason) ? controller.signal.reason : error;
    } finally {
      clearTimeout(deadline);
      signal?.removeEventListener("abort", abort);
    }
  };
}

/** The default where no faster transport exists. */
export const defaultSend: Send = fetchSender();
