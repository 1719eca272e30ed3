import { type Received, type Send, deadlineError, isDeadline } from "./transport.js";

/** Sends with fetch (the user's, or `globalThis.fetch` looked up at call time so msw and polyfills work whenever they load). */
export function fetchSender(custom?: typeof fetch): Send {
  return async (url, { timeout, signal, ...init }) => {
    if (signal?.aborted) throw signal.reason;
    const controller = new AbortController();
    // The deadline also wins over a fetch that ignores its signal.
    let expire!: (reason: unknown) => void;
    const expired = new Promise<never>((_, reject) => (expire = reject));
    const stop = (reason: unknown) => {
      controller.abort(reason);
      expire(reason);
    };
    const deadline = setTimeout(() => stop(deadlineError(timeout)), timeout);
    const abort = () => stop(signal!.reason);
    signal?.addEventListener("abort", abort);
    const exchange = async (): Promise<Received> => {
      const response = await (custom ?? globalThis.fetch)(url, { ...init, signal: controller.signal, redirect: "manual" });
      // A browser hides a redirect behind an opaque status 0; report it as the redirect it is.
      const status = response.type === "opaqueredirect" ? 307 : response.status;
      const text = status === 204 || status === 307 ? "" : await response.text();
      return { status, statusText: response.statusText, headers: response.headers, text: () => Promise.resolve(text) };
    };
    try {
      return await Promise.race([exchange(), expired]);
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
