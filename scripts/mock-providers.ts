/**
 * A stand-in for every provider in specs/ on 127.0.0.1: each operation of each spec answers with
 * the spec's example success response, whose presigned URLs (a download URL, an upload URL, every
 * part URL) are replaced by ones this mock signs (`<mock>/storage/<provider>/<file>?…&X-Amz-Signature=…`,
 * valid for 600 s from now), so a caller can tell they came from here.
 * It checks the fake credentials of test-support/providers.ts (one of the operation's security
 * alternatives, complete), the required parameters and a JSON body with its required fields, so a
 * client that sent the wrong request fails the demo, the runtime matrix or the bench.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { credentialOf, discoverProviders, type SpecOperation, type SpecProvider } from "../test-support/providers.ts";

interface Route {
  provider: SpecProvider;
  op: SpecOperation;
  pattern: RegExp;
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** `/tasks/{id}/download_url` → a pattern whose groups are the path parameters. */
function pathPattern(template: string): RegExp {
  const parts = template.split(/\{[^}]+\}/).map((literal) => literal.replace(/[.*+?^$()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${parts.join("([^/]+)")}$`);
}

/** Whether the request carries every credential of one of the operation's security alternatives. */
function authorized(req: IncomingMessage, route: Route): boolean {
  return route.op.security.some((alternative) =>
    alternative.every((scheme) => {
      const credential = credentialOf(route.provider, scheme);
      return req.headers[credential.header] === credential.sent;
    }),
  );
}

/** What the request lacks of what the spec requires: parameters, a JSON body, its required fields. */
function problems(req: IncomingMessage, url: URL, text: string, op: SpecOperation): string[] {
  const found: string[] = [];
  let body: unknown;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      return ["the body is not JSON"];
    }
  }
  if (op.body?.required && (body === null || typeof body !== "object")) found.push("a JSON object body is required");
  for (const input of op.inputs.filter((i) => i.required)) {
    const present =
      input.in === "query"
        ? url.searchParams.has(input.name)
        : input.in === "header"
          ? req.headers[input.name.toLowerCase()] !== undefined
          : input.in === "body"
            ? body !== null && typeof body === "object" && input.name in body
            : true;
    if (!present) found.push(`${input.in} ${input.name} is required`);
  }
  return found;
}

/** An error answer: the spec's example for that status when it has one. */
function errorReply(op: SpecOperation | undefined, status: number, message: string): Reply {
  const documented = op?.responses.find((r) => r.status === status) ?? op?.responses.find((r) => r.status === 0);
  return { status, body: documented?.body ?? { errors: [message], message } };
}

/** `20260526T143600Z`: the SigV4 form of a date. */
const amzDate = (date: Date) =>
  date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");

/** A URL on this mock standing in for `url`: same file name, signed now for 600 s. */
function signedHere(url: string, provider: string, origin: string): string {
  const file = new URL(url).pathname.split("/").filter(Boolean).at(-1) ?? "file";
  const query = `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=${amzDate(new Date())}&X-Amz-Expires=600&X-Amz-Signature=0123456789abcdef`;
  return `${origin}/storage/${provider}/${file}?${query}`;
}

/** A copy of a JSON value with every http(s) URL in it replaced by `replace(url)`. */
function withUrls(value: unknown, replace: (url: string) => string): unknown {
  if (typeof value === "string") return /^https?:\/\/[^\s/]+/.test(value) ? replace(value) : value;
  if (Array.isArray(value)) return value.map((item) => withUrls(item, replace));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, withUrls(inner, replace)]));
  return value;
}

/** The example success response, its presigned URLs pointing here with a signature. */
function successReply(route: Route, origin: string): Reply {
  const { op, provider } = route;
  const body = withUrls(op.success.body, (url) => signedHere(url, provider.name, origin));
  return { status: op.success.status, body: op.success.json ? body : undefined, headers: op.success.headers };
}

/** CORS, so a page on another loopback origin (the runtime matrix's Chromium) can call the mock. */
function corsHeaders(providers: SpecProvider[]): Record<string, string> {
  const allowed = new Set(["accept", "authorization", "content-type"]);
  const exposed = new Set(["x-request-id", "retry-after"]);
  for (const provider of providers) {
    for (const credential of provider.credentials) allowed.add(credential.header);
    for (const op of provider.operations) {
      for (const input of op.inputs) if (input.in === "header") allowed.add(input.name.toLowerCase());
      for (const header of Object.keys(op.success.headers)) exposed.add(header);
    }
  }
  return {
    "access-control-allow-origin": "*",
    "access-control-allow-methods": "GET, POST, PUT, PATCH, DELETE",
    "access-control-allow-headers": [...allowed].join(", "),
    "access-control-expose-headers": [...exposed].join(", "),
    "access-control-max-age": "600",
  };
}

/** Answers one request: the first route of that method and path whose credentials it carries. */
function answer(routes: Route[], req: IncomingMessage, text: string, origin: string): Reply {
  const url = new URL(req.url!, origin);
  const matching = routes.filter((r) => r.op.method === req.method && r.pattern.test(url.pathname));
  if (!matching.length) return errorReply(undefined, 404, `no operation for ${req.method} ${url.pathname}`);
  const route = matching.find((r) => authorized(req, r));
  if (!route) return errorReply(matching[0]!.op, 401, "missing or wrong credentials");
  const wrong = problems(req, url, text, route.op);
  if (wrong.length) return errorReply(route.op, 400, wrong.join("; "));
  return successReply(route, origin);
}

/** Starts the mock of every spec's operations on a free loopback port; `close()` stops it. */
export async function startMockProviders(providers: SpecProvider[] = discoverProviders()) {
  const routes = providers.flatMap((provider) => provider.operations.map((op) => ({ provider, op, pattern: pathPattern(op.path) })));
  const cors = corsHeaders(providers);
  const send = (req: IncomingMessage, res: ServerResponse, { status, body, headers }: Reply) => {
    const type = body === undefined ? {} : { "content-type": "application/json" };
    res.writeHead(status, { ...type, ...(req.headers.origin ? cors : {}), ...headers });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      // A CORS preflight: answered for any path, without credentials (browsers send none on it).
      if (req.method === "OPTIONS" && req.headers.origin && req.headers["access-control-request-method"]) {
        res.writeHead(204, cors);
        return res.end();
      }
      send(req, res, answer(routes, req, Buffer.concat(chunks).toString("utf8"), `http://${req.headers.host}`));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
