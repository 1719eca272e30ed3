// On Node, node:http costs a fraction of what global fetch (undici) does per call, and its
// global agent keeps connections alive (Node >= 19). Selected through the `#send` import.
import http from "node:http";
import https from "node:https";
import { type Send, deadlineError } from "./transport.js";

export { fetchSender } from "./send-fetch.js";

const utf8 = new TextDecoder();

export const defaultSend: Send = (url, { method, headers, body, timeout, signal }) =>
  new Promise((resolve, fail) => {
    // The deadline is a plain timer that destroys the request: no AbortController per attempt.
    const timer = setTimeout(() => {
      reject(deadlineError(timeout));
      request.destroy();
    }, timeout);
    const abort = () => {
      reject(signal!.reason);
      request.destroy();
    };
    const settled = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", abort);
    };
    const reject = (error: unknown) => {
      settled();
      fail(error);
    };
    signal?.addEventListener("abort", abort, { once: true });
    const target = new URL(url);
    const outgoing: Record<string, string> = {};
    headers.forEach((value, name) => {
      outgoing[name] = value;
    });
    if (body !== undefined) outgoing["content-length"] = String(typeof body === "string" ? Buffer.byteLength(body) : body.byteLength);
    // Looked up per call, so interceptors such as msw that patch node:http apply whenever they start.
    const request = (target.protocol === "https:" ? https : http).request(target, { method, headers: outgoing }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("close", () => {
        if (!res.complete) reject(new Error("the connection closed before the whole response arrived"));
      });
      res.on("end", () => {
        const responseHeaders = new Headers();
        for (let i = 0; i < res.rawHeaders.length; i += 2) responseHeaders.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
        // No Response (and no web stream) here: the body is read already; toResponse() makes one when asked.
        const text = utf8.decode(Buffer.concat(chunks));
        settled();
        resolve({ status: res.statusCode!, statusText: res.statusMessage ?? "", headers: responseHeaders, text: () => Promise.resolve(text) });
      });
    });
    request.on("error", reject);
    request.end(typeof body === "string" || body === undefined ? body : new Uint8Array(body));
  });
