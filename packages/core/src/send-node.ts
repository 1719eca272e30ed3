// On Node, node:http costs a fraction of what global fetch (undici) does per call, and its
// global agent keeps connections alive (Node >= 19). Selected through the `#send` import.
import http from "node:http";
import https from "node:https";
import { type Received, received } from "./request.js";
import { deadlineError, type Send, tooLargeError } from "./send.js";

export { fetchSender } from "./send-fetch.js";

const utf8 = new TextDecoder();

/**
 * A response's headers and declared body length, read once from the raw list (node's own `headers`
 * object would be a second copy).
 */
function headersOf(res: http.IncomingMessage): { headers: Headers; length: number } {
  const headers = new Headers();
  let length = Number.NaN;
  for (let i = 0; i < res.rawHeaders.length; i += 2) {
    const name = res.rawHeaders[i]!;
    headers.append(name, res.rawHeaders[i + 1]!);
    if (name.length === 14 && name.toLowerCase() === "content-length") length = Number(res.rawHeaders[i + 1]);
  }
  return { headers, length };
}

/** Reads a response whole, within `maxBytes`: every outcome goes to `fail` or `done`, none is thrown. */
function readResponse(res: http.IncomingMessage, maxBytes: number, fail: (error: unknown) => void, done: (response: Received) => void) {
  const tooLarge = () => fail(tooLargeError(maxBytes, res.statusCode!));
  let head: ReturnType<typeof headersOf>;
  try {
    head = headersOf(res);
  } catch (error) {
    return fail(error);
  }
  // A declared length over the limit is refused before a byte of the body is read.
  if (head.length > maxBytes) return tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  res.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > maxBytes) tooLarge();
    else chunks.push(chunk);
  });
  res.on("error", fail);
  res.on("close", () => {
    if (!res.complete) fail(new Error("the connection closed before the whole response arrived"));
  });
  res.on("end", () => {
    try {
      // No Response (and no web stream) here: the body is read already; toResponse() makes one when asked.
      done(received(res.statusCode!, res.statusMessage ?? "", head.headers, utf8.decode(Buffer.concat(chunks))));
    } catch (error) {
      fail(error);
    }
  });
}

/**
 * Every listener below settles the promise instead of throwing: an exception in a socket event
 * would escape to the process, where no caller can catch it.
 */
export const defaultSend: Send = (url, { method, headers, body, timeout, maxBytes, signal }) =>
  new Promise<Received>((resolve, reject) => {
    let request: http.ClientRequest | undefined;
    let settled = false;
    // The deadline is a plain timer that destroys the request: no AbortController per attempt.
    const timer = setTimeout(() => fail(deadlineError(timeout)), timeout);
    const abort = () => fail(signal!.reason);
    const settle = () => {
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", abort);
    };
    function done(response: Received) {
      if (settled) return;
      settle();
      resolve(response);
    }
    function fail(error: unknown) {
      if (settled) return;
      settle();
      reject(error);
      // Destroying the request closes its socket: nothing more is read, and it is not reused.
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
      request = (url.startsWith("https:") ? https : http).request(url, { method, headers: outgoing }, (res) =>
        readResponse(res, maxBytes, fail, done),
      );
      request.on("error", fail);
      request.end(typeof body === "string" || body === undefined ? body : new Uint8Array(body));
    } catch (error) {
      // node:http throws at once on a header it cannot send: settle, so no timer outlives the call.
      fail(error);
    }
  });
