/**
 * A stand-in for the four providers' presign endpoints on 127.0.0.1: enough of each API (paths,
 * auth headers, body shapes) to show the clients working with no credentials and no internet.
 * It checks the demo credentials, so a client that sent the wrong header would fail the demo.
 */
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";

export const demoCredentials = {
  datadog: { apiKey: "demo-dd-api-key", appKey: "demo-dd-app-key" },
  spaaza: { accessToken: "3f1c2b1e-0000-4000-8000-000000000001:demo-secret" },
  datalab: { apiKey: "demo-datalab-key" },
  powerdrill: { apiKey: "demo-powerdrill-key" },
};

type Reply = { status: number; body?: unknown; headers?: Record<string, string> };
type Handler = (match: RegExpMatchArray, body: any, req: IncomingMessage, origin: string) => Reply;

const signed = (origin: string, file: string) =>
  `${origin}/storage/${file}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=600&X-Amz-Signature=0123456789abcdef`;

const routes: { method: string; path: RegExp; auth: (req: IncomingMessage) => boolean; handle: Handler }[] = [
  {
    method: "POST",
    path: /^\/api\/v2\/synthetics\/tests\/([^/]+)\/files\/download$/,
    auth: (req) => req.headers["dd-api-key"] === demoCredentials.datadog.apiKey && req.headers["dd-application-key"] === demoCredentials.datadog.appKey,
    handle: (_m, body, _r, origin) => ({ status: 200, body: { url: signed(origin, String(body?.bucketKey)) } }),
  },
  {
    method: "GET",
    path: /^\/tasks\/(\d+)\/download_url$/,
    auth: (req) => req.headers.authorization === `Bearer ${demoCredentials.spaaza.accessToken}`,
    handle: (m, _b, _r, origin) => ({ status: 200, body: { url: signed(origin, `Transaction_Export-${m[1]}.csv`) } }),
  },
  {
    method: "GET",
    path: /^\/api\/v1\/files\/(\d+)\/download$/,
    auth: (req) => req.headers["x-api-key"] === demoCredentials.datalab.apiKey,
    handle: (m, _b, req, origin) => {
      const expires = Number(new URL(req.url!, origin).searchParams.get("expires_in") ?? 3600);
      return {
        status: 200,
        body: { download_url: signed(origin, `report-${m[1]}.pdf`), expires_in: expires, file_id: Number(m[1]), original_filename: "report.pdf" },
      };
    },
  },
  {
    method: "POST",
    path: /^\/v2\/team\/datasets\/([^/]+)\/datasources\/([^/]+)\/presign$/,
    auth: (req) => req.headers["x-pd-api-key"] === demoCredentials.powerdrill.apiKey,
    handle: (m, body, _r, origin) => ({
      status: 200,
      headers: { "x-pd-trace-id": "demo-trace-1" },
      body: {
        code: 0,
        data: {
          presigned_url: signed(origin, `${decodeURIComponent(m[2]!)}.csv`),
          expires_at: new Date(Date.UTC(2030, 0, 1) + (body?.expires_in ?? 600) * 1000).toISOString(),
        },
      },
    }),
  },
];

// CORS, so a page on another loopback origin (the runtime matrix's Chromium) can call the mock.
// Only requests that carry an Origin get these headers; other callers see the mock as before.
const cors = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST",
  "access-control-allow-headers": [
    "accept",
    "authorization",
    "content-type",
    "dd-api-key",
    "dd-application-key",
    "x-api-key",
    "x-pd-api-key",
    "x-pd-external-trace-id",
    "x-spaaza-api-version",
    "x-spaaza-session-user-id",
    "x-spaaza-session-key",
    "x-spaaza-session-chain-id",
  ].join(", "),
  "access-control-expose-headers": "x-pd-trace-id, x-request-id, retry-after",
  "access-control-max-age": "600",
};

function reply(res: ServerResponse, { status, body, headers }: Reply, req?: IncomingMessage) {
  res.writeHead(status, { "content-type": "application/json", ...(req?.headers.origin ? cors : {}), ...headers });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

/** Starts the mock on a free loopback port; `close()` stops it. */
export async function startMockProviders() {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const origin = `http://${req.headers.host}`;
      const path = new URL(req.url!, origin).pathname;
      // A CORS preflight: answered for any path, without credentials (browsers send none on it).
      if (req.method === "OPTIONS" && req.headers.origin && req.headers["access-control-request-method"]) {
        res.writeHead(204, cors);
        return res.end();
      }
      const route = routes.find((r) => r.method === req.method && r.path.test(path));
      if (!route) return reply(res, { status: 404, body: { errors: ["Not found"] } }, req);
      if (!route.auth(req)) return reply(res, { status: 403, body: { errors: ["Forbidden"] } }, req);
      let body: unknown;
      try {
        body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : undefined;
      } catch {
        return reply(res, { status: 400, body: { errors: ["Bad Request"] } }, req);
      }
      reply(res, route.handle(path.match(route.path)!, body, req, origin), req);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
