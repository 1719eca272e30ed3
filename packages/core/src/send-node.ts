// On Node, node:http costs a fraction of what global fetch (undici) does per call, and its
// global agent keeps connections alive (Node >= 19). Selected through the `#send` import.
import http from "node:http";
import https from "node:https";
import { type Received, type Send, deadlineError } from "./transport.js";

export { fetchSender } from "./send-fetch.js";

const utf8 = new TextDecoder();

export const defaultSend: Send = (url, { method, headers, body, timeout, signal }) =>
  new Promise<Received>((resolve, reject) => {
    let request: http.ClientRequest | undefined;
    // The deadline is a plain timer that destroys the request: no AbortController per attempt.
    const timer = setTimeout(() => fail(deadlineError(timeout)), timeout);
    const abort = () => fail(signal!.reason);
    const settle = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", abort);
    };
    function fail(error: unknown) {
      settle();
      reject(error);
      request?.destroy();
    }
    if (signal?.aborted) return abort();
    signal?.addEventListener("abort", abort, { once: true });

    const outgoing: Record<string, string> = {};
    headers.forEach((value, name) => {
      outgoing[name] = value;
    });
    if (body !== undefined) outgoing["content-length"] = String(typeof body === "string" ? Buffer.byteLength(body) : body.byteLength);
    try {
      // Looked up per call, so interceptors such as msw that patch node:http apply whenever they start.
      request = (url.startsWith("https:") ? https : http).request(url, { method, headers: outgoing }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", fail);
        res.on("close", () => {
          if (!res.complete) fail(new Error("the connection closed before the whole response arrived"));
        });
        res.on("end", () => {
          settle();
          const received = new Headers();
          for (let i = 0; i < res.rawHeaders.length; i += 2) received.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
          // No Response (and no web stream) here: the body is read already; toResponse() makes one when asked.
          const text = utf8.decode(Buffer.concat(chunks));
          resolve({ status: res.statusCode!, statusText: res.statusMessage ?? "", headers: received, text: () => Promise.resolve(text) });
        });
      });
      request.on("error", fail);
      request.end(typeof body === "string" || body === undefined ? body : new Uint8Array(body));
    } catch (error) {
      // node:http throws at once on a header it cannot send: settle, so no timer outlives the call.
      fail(error);
    }
  });
