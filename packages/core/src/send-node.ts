// On Node, node:http costs a fraction of what global fetch (undici) does per call, and its
// global agent keeps connections alive (Node >= 19). Selected through the `#send` import.
import http from "node:http";
import https from "node:https";
import type { Send } from "./transport.js";

export { fetchSender } from "./send-fetch.js";

export const defaultSend: Send = (url, { method, headers, body, signal }) =>
  new Promise((resolve, reject) => {
    const target = new URL(url);
    const outgoing: Record<string, string> = {};
    headers.forEach((value, name) => {
      outgoing[name] = value;
    });
    if (body) outgoing["content-length"] = String(body.byteLength);
    // Looked up per call, so interceptors such as msw that patch node:http apply whenever they start.
    const request = (target.protocol === "https:" ? https : http).request(target, { method, headers: outgoing, signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("close", () => {
        if (!res.complete) reject(new Error("the connection closed before the whole response arrived"));
      });
      res.on("end", () => {
        const responseHeaders = new Headers();
        for (let i = 0; i < res.rawHeaders.length; i += 2) responseHeaders.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
        const status = res.statusCode!;
        const hasBody = !(status === 204 || status === 205 || status === 304);
        resolve(new Response(hasBody ? Buffer.concat(chunks) : null, { status, statusText: res.statusMessage, headers: responseHeaders }));
      });
    });
    request.on("error", reject);
    request.end(body ? new Uint8Array(body) : undefined);
  });
