import { received } from "./request.js";
import { deadlineError, isDeadline, type Send, tooLargeError } from "./send.js";

/** Reads a body as text, stopping (and cancelling the stream) as soon as it passes `maxBytes`. */
async function readText(response: Response, status: number, maxBytes: number): Promise<string> {
  // A declared length over the limit is refused before a byte of the body is read.
  if (Number(response.headers.get("content-length")) > maxBytes) {
    response.body?.cancel().catch(() => {});
    throw tooLargeError(maxBytes, status);
  }
  if (!response.body) {
    // A fetch without streams (some polyfills) can only be read whole: refused after the fact.
    const text = await response.text();
    if (text.length > maxBytes) throw tooLargeError(maxBytes, status);
    return text;
  }
  const reader = response.body.getReader();
  const utf8 = new TextDecoder();
  let text = "";
  let size = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    if (size > maxBytes) {
      reader.cancel().catch(() => {});
      throw tooLargeError(maxBytes, status);
    }
    // Streaming decode: a character split across two chunks comes out whole.
    text += utf8.decode(read.value, { stream: true });
  }
  return text + utf8.decode();
}

/** Sends with fetch (the user's, or `globalThis.fetch` looked up at call time so msw and polyfills work whenever they load). */
export function fetchSender(custom?: typeof fetch): Send {
  return async (url, { timeout, maxBytes, signal, ...init }) => {
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
    const exchange = async () => {
      const response = await (custom ?? globalThis.fetch)(url, { ...init, signal: controller.signal, redirect: "manual" });
      // A browser hides a redirect behind an opaque status 0; report it as the redirect it is.
      const status = response.type === "opaqueredirect" ? 307 : response.status;
      const text = status === 204 || status === 307 ? "" : await readText(response, status, maxBytes);
      return received(status, response.statusText, response.headers, text);
    };
    try {
      return await Promise.race([exchange(), expired]);
    } catch (error) {
      // Runtimes differ in what an abort rejects with; the deadline is told by the reason.
      const reason = isDeadline(controller.signal.reason) ? controller.signal.reason : error;
      // Whatever failed, nothing more of this response is read: the connection is let go.
      controller.abort(reason);
      throw reason;
    } finally {
      clearTimeout(deadline);
      signal?.removeEventListener("abort", abort);
    }
  };
}

/** The default where no faster transport exists. */
export const defaultSend: Send = fetchSender();
