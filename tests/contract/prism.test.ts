// Contract test: every operation of every provider in specs/, through its built client
// (@presign/all), is sent to a Prism mock of its spec (`prism mock specs/<p>.yaml --errors`), once
// per security alternative. The input comes from the spec's examples; Prism validates each request
// (auth, path, query, headers, body) against the spec and answers with the spec's example, which
// the client must return. Requests that break the spec in one place (no credentials, half an
// alternative, a field missing, unknown, of the wrong type or past its bound) are shown to be
// rejected by Prism, so a client that sent them would fail here; and the client refuses the same
// out-of-bound values itself, before the network.
//
// Prism 5.14.2 behaviour this relies on (pinned in the last describe block):
// - an invalid request is answered with the spec's 401 / 422 / 400 response (or a Prism
//   problem+json 401 / 422 when the spec has none), with or without --errors;
// - --errors additionally turns a mocked response that violates the spec's response schema
//   (a wrong example) into a 500, instead of sending it with only an `sl-violations` header.
import { AuthenticationError, InvalidRequestError, type Middleware, PresignError } from "@presign/all";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credentialOf } from "../../test-support/providers.ts";
import { call, type Operation, type Provider, providers } from "../providers.ts";
import { boundsOf, expectedRequest, integerInputs, missingExamples, rewrite, withBody } from "./cases.ts";
import { type PrismMock, runningCount, startAll } from "./prism-mock.ts";

const FIXTURE = "tests/contract/fixtures/prism-errors-probe.yaml";
let mocks: Record<string, PrismMock>;

beforeAll(async () => {
  mocks = await startAll({
    ...Object.fromEntries(providers.map((p) => [p.name, { spec: p.specFile }])),
    "fixture-probe": { spec: FIXTURE },
    "fixture-probe-no-errors": { spec: FIXTURE, errors: false },
  });
}, 60_000);

afterAll(async () => {
  await Promise.all(Object.values(mocks ?? {}).map((mock) => mock.stop()));
  expect(runningCount(), "Prism processes left running").toBe(0);
}, 30_000);

// ---------------------------------------------------------------------------------------------
// Wire recording: what reached Prism, what it answered, and the violations it reported.

interface Exchange {
  provider: string;
  /** The security alternative the client held, e.g. `apiKeyAuth+appKeyAuth`. */
  alternative: string;
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  /** Names (lower case) of the request headers as the hooks see them (credentials are added later). */
  headers: string[];
  /** Prism's `sl-violations` header: request/response spec violations, warnings included. */
  violations?: { location: string[]; severity: string; code: string | number; message: string }[];
}

const exchanges: Exchange[] = [];

function recorder(provider: string, alternative: string): Middleware {
  return {
    async onResponse({ request, response }) {
      const url = new URL(request.url);
      const violations = await violationsOf(response);
      exchanges.push({
        provider,
        alternative,
        method: request.method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        status: response.status,
        headers: [...request.headers.keys()],
        violations,
      });
    },
  };
}

/**
 * What Prism found wrong: its `sl-violations` header, or, for a request it refuses on an operation
 * that documents no 400 or 422 answer, the `validation` list of its own problem-JSON 422.
 */
async function violationsOf(response: Response): Promise<Exchange["violations"]> {
  const header = response.headers.get("sl-violations");
  if (header) return JSON.parse(header);
  if (!/problem\+json/.test(response.headers.get("content-type") ?? "")) return undefined;
  const problem = (await response.clone().json()) as { validation?: unknown[] };
  // Its list may nest one level, and its locations start at the part of the request ("query", "body").
  const found = (problem.validation?.flat() ?? []) as NonNullable<Exchange["violations"]>;
  return found.map((violation) => ({
    ...violation,
    location: violation.location[0] === "request" ? violation.location : ["request", ...violation.location],
  }));
}

const nameOf = (alternative: readonly string[]) => alternative.join("+") || "no auth";

/** A client against the provider's mock: no retries (every request reaches Prism once), the recorder, extra middleware first. */
function clientFor(p: Provider, alternative: readonly string[], middleware: Middleware[] = []) {
  const transport = {
    baseUrl: mocks[p.name]!.baseUrl,
    maxRetries: 0,
    timeout: 5_000,
    middleware: [...middleware, recorder(p.name, nameOf(alternative))],
  };
  return p.create(transport, alternative);
}

/**
 * Runs one call that must succeed: exactly one request reached Prism, Prism found nothing wrong
 * with it or with its own answer, and the call resolved.
 */
async function accepted(op: Operation, run: () => Promise<unknown>): Promise<{ result: unknown; exchange: Exchange }> {
  const hints = missingExamples(op);
  const before = exchanges.length;
  let result: unknown;
  try {
    result = await run();
  } catch (error) {
    const exchange = exchanges.length > before ? exchanges.at(-1) : undefined;
    const detail = exchange ? ` Prism answered ${exchange.status}, violations: ${JSON.stringify(exchange.violations)}` : "";
    throw new Error(`${op.where}: the call was rejected: ${error}.${detail}${hints.length ? `\n${hints.join("\n")}` : ""}`, { cause: error });
  }
  expect(exchanges.length - before, "requests that reached Prism").toBe(1);
  const exchange = exchanges.at(-1)!;
  expect(exchange.violations, `${op.where}: Prism reported spec violations`).toBeUndefined();
  expect(exchange.status).toBe(op.success.status);
  return { result, exchange };
}

/** Runs one call that must be rejected with a typed error, and returns it. */
async function rejected(run: () => Promise<unknown>): Promise<PresignError> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PresignError);
  return error as PresignError;
}

/** Checks what reached Prism against what the input asks for, and the result against the spec's example. */
function expectRoundTrip(op: Operation, input: Record<string, unknown>, { result, exchange }: { result: unknown; exchange: Exchange }) {
  const expected = expectedRequest(op, input);
  expect(exchange).toMatchObject({ method: op.method, path: expected.path });
  expect(exchange.query).toEqual(expected.query);
  for (const header of expected.headers) expect(exchange.headers.includes(header.name), `header ${header.name} sent`).toBe(header.sent);
  if (!op.success.json) expect(result).toBeUndefined();
  else if (op.success.exampled) expect(result).toEqual(op.success.body);
}

// ---------------------------------------------------------------------------------------------
// Every operation, once per security alternative, through the typed clients.

const cases = providers.flatMap((provider) =>
  provider.operations.flatMap((op) =>
    op.security.map((alternative) => ({ provider, op, alternative, label: `${provider.name}.${op.methodName}`, auth: nameOf(alternative) })),
  ),
);

// Prism checks the security requirement of every operation, so a 2xx proves the credentials of
// that alternative were sent. (Middleware never sees credential headers: the transport adds them
// after the hooks, so the recorder cannot list them.)
for (const { provider, op, alternative, label, auth } of cases)
  describe(`${label} through Prism (${auth})`, () => {
    it("sends the spec's example input and returns the spec's example response", async () => {
      const outcome = await accepted(op, () => call(clientFor(provider, alternative), op, op.input));
      expectRoundTrip(op, op.input, outcome);
    });

    if (Object.keys(op.requiredInput).length < Object.keys(op.input).length) {
      it("works with the required inputs alone", async () => {
        const outcome = await accepted(op, () => call(clientFor(provider, alternative), op, op.requiredInput));
        expectRoundTrip(op, op.requiredInput, outcome);
      });
    }
  });

/** Each numeric input with bounds in the spec, on the first security alternative. */
const bounded = providers.flatMap((provider) =>
  provider.operations.flatMap((op) =>
    op.inputs.flatMap((input) => {
      const bounds = boundsOf(input);
      const key = op.keys.get(`${input.in}:${input.name}`);
      return bounds && key ? [{ provider, op, input, key, bounds, label: `${provider.name}.${op.methodName} ${key}` }] : [];
    }),
  ),
);

for (const { provider, op, input, key, bounds, label } of bounded)
  describe(`${label}: the client's bounds are the spec's`, () => {
    const alternative = op.security[0] ?? [];

    it.each(bounds.inside)("accepts %s, and so does Prism", async (value) => {
      await accepted(op, () => call(clientFor(provider, alternative), op, { ...op.input, [key]: value }));
    });

    it.each(bounds.outside)("refuses %s before sending, and Prism refuses it too", async (value) => {
      const before = exchanges.length;
      const refused = await rejected(() => call(clientFor(provider, alternative), op, { ...op.input, [key]: value }));
      expect(refused).toBeInstanceOf(InvalidRequestError);
      expect(exchanges.length).toBe(before);
      // The same value forced onto the wire behind the client's back.
      const bend: Middleware = { onRequest: ({ request }) => rewrite(request, op, input, value) };
      await expectSpecRejects(() => call(clientFor(provider, alternative, [bend]), op), input.in);
    });
  });

describe("coverage", () => {
  it("every operation of every provider got a clean 2xx from Prism with every security alternative", () => {
    expect(providers.length).toBeGreaterThan(0);
    const gaps: string[] = [];
    for (const { provider, op, alternative } of cases) {
      const pattern = new RegExp(`^${op.path.replace(/\{[^}]+\}/g, "[^/]+")}$`);
      const hit = exchanges.some(
        (e) =>
          e.provider === provider.name &&
          e.alternative === nameOf(alternative) &&
          e.method === op.method &&
          pattern.test(e.path) &&
          e.status < 300 &&
          !e.violations,
      );
      if (!hit)
        gaps.push(
          [
            `${provider.name}.${op.methodName} (${op.method} ${op.path}, ${nameOf(alternative)}) was never accepted by Prism`,
            ...missingExamples(op),
          ].join("\n  "),
        );
    }
    expect(gaps, `\n${gaps.join("\n")}`).toEqual([]);
  });

  it("every JSON success response has an example to compare the result with", () => {
    const gaps = cases.flatMap(({ op }) => missingExamples(op).filter((hint) => hint.includes("response")));
    expect([...new Set(gaps)], "what the specs must gain").toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// The test can fail: requests that break the spec in one place are rejected by Prism, and a
// client that sent them would see its call fail.

/** Sends the client's own request straight to Prism from a hook: the transport's credentials never get added. */
const withoutCredentials = (extra: Record<string, string> = {}): Middleware => ({
  onRequest: ({ request }) => {
    const bare = new Request(request);
    for (const [name, value] of Object.entries(extra)) bare.headers.set(name, value);
    return globalThis.fetch(bare);
  },
});

/** Expects a rejection Prism answered with 4xx, naming the part of the request it found wrong. */
async function expectSpecRejects(run: () => Promise<unknown>, place: string) {
  const before = exchanges.length;
  const error = await rejected(run);
  expect(error).toBeInstanceOf(InvalidRequestError);
  expect(exchanges.length - before).toBe(1);
  const exchange = exchanges.at(-1)!;
  expect(exchange.status).toBeGreaterThanOrEqual(400);
  expect(exchange.violations, "Prism's violations").toEqual(
    expect.arrayContaining([expect.objectContaining({ location: expect.arrayContaining(["request", place]) })]),
  );
}

const operations = providers.flatMap((provider) => provider.operations.map((op) => ({ provider, op, label: `${provider.name}.${op.methodName}` })));

for (const { provider, op, label } of operations)
  describe(`${label}: Prism rejects requests that break the spec`, () => {
    const alternative = op.security[0] ?? [];
    const client = (middleware: Middleware[] = []) => clientFor(provider, alternative, middleware);
    const requiredBody = op.inputs.filter((i) => i.in === "body" && i.required);

    if (alternative.length) {
      it("a call without credentials gets 401: AuthenticationError", async () => {
        const error = await rejected(() => call(client([withoutCredentials()]), op));
        expect(error).toBeInstanceOf(AuthenticationError);
        expect(error.status).toBe(401);
      });
    }

    for (const whole of op.security.filter((a) => a.length > 1)) {
      it(`a call with only part of ${nameOf(whole)} gets 401: AuthenticationError`, async () => {
        const headers = Object.fromEntries(
          whole
            .slice(0, -1)
            .map((scheme) => credentialOf(provider, scheme))
            .map((c) => [c.header, c.sent]),
        );
        const error = await rejected(() => call(client([withoutCredentials(headers)]), op));
        expect(error).toBeInstanceOf(AuthenticationError);
        expect(error.status).toBe(401);
      });
    }

    if (requiredBody.length) {
      it("a body that loses its required fields on the way gets 4xx: InvalidRequestError", async () => {
        const dropBody: Middleware = { onRequest: ({ request }) => withBody(request, {}) };
        await expectSpecRejects(() => call(client([dropBody]), op), "body");
      });
    }

    if (op.body) {
      it("a body with a field the spec does not list gets 4xx: InvalidRequestError", async () => {
        const extra: Middleware = { onRequest: async ({ request }) => withBody(request, { ...(await request.clone().json()), unlisted_field: "x" }) };
        await expectSpecRejects(() => call(client([extra]), op), "body");
      });
    }

    for (const input of integerInputs(op)) {
      it(`${input.in} ${input.name} as text instead of an integer gets 4xx: InvalidRequestError`, async () => {
        const bend: Middleware = { onRequest: ({ request }) => rewrite(request, op, input, "abc") };
        await expectSpecRejects(() => call(client([bend]), op), input.in);
      });
    }
  });

// ---------------------------------------------------------------------------------------------
// What --errors does on Prism 5.14.2, against a fixture spec.

describe("Prism 5.14.2 --errors behaviour (fixture spec)", () => {
  it("with --errors, a response example that breaks its own schema becomes a 500", async () => {
    const response = await fetch(`${mocks["fixture-probe"]!.baseUrl}/broken-example`);
    expect(response.status).toBe(500);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({ type: "https://stoplight.io/prism/errors#VIOLATIONS", status: 500 });
  });

  it("without --errors, the same broken example is sent as a 200 with only an sl-violations header", async () => {
    const response = await fetch(`${mocks["fixture-probe-no-errors"]!.baseUrl}/broken-example`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ link: 1 });
    expect(JSON.parse(response.headers.get("sl-violations") ?? "[]")).toEqual(
      expect.arrayContaining([expect.objectContaining({ location: expect.arrayContaining(["response", "body"]) })]),
    );
  });

  it.each(["fixture-probe", "fixture-probe-no-errors"])("an invalid request is rejected with 422 either way (%s)", async (name) => {
    const response = await fetch(`${mocks[name]!.baseUrl}/items/abc`);
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ type: "https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY" });
    expect((await fetch(`${mocks[name]!.baseUrl}/items/7`)).status).toBe(200);
  });

  it("the mocks listen on 127.0.0.1 only", () => {
    for (const mock of Object.values(mocks)) {
      expect(mock.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(mock.log()).toContain(`Prism is listening on ${mock.baseUrl}`);
    }
  });
});
