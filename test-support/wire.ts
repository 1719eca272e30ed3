/**
 * The msw harness the provider wire tests share: a server per test file that fails on any request
 * nobody expected, a recorder of what arrived, and readers for the errors a call rejects with.
 */
import { HttpResponse, http, type JsonBodyType } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, expect, vi } from "vitest";

/** Headers the HTTP stack adds on its own (node:http sends them, fetch does not): not the client's choice. */
const STACK_HEADERS = ["host", "connection", "content-length", "transfer-encoding"];

/** What the server saw of one request; a JSON body is parsed, an empty one is undefined. */
export interface Seen {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

export type Reply = () => Response;
export const json =
  (body: JsonBodyType, status = 200, headers: Record<string, string> = {}): Reply =>
  () =>
    HttpResponse.json(body, { status, headers });

/**
 * Starts msw for this test file and returns `serve`, which answers every request with the next
 * reply in line (the last one repeats) and records what arrived. The given environment variables
 * are unset for every test: the machine running them may have real credentials set.
 */
export function mockApi(envVars: readonly string[] = []) {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  beforeEach(() => {
    for (const name of envVars) vi.stubEnv(name, undefined);
  });
  afterEach(() => {
    server.resetHandlers();
    vi.unstubAllEnvs();
  });
  afterAll(() => server.close());

  return function serve(...replies: Reply[]): Seen[] {
    const seen: Seen[] = [];
    server.use(
      http.all("*", async ({ request }) => {
        const text = await request.text();
        const headers = Object.fromEntries([...request.headers].filter(([name]) => !STACK_HEADERS.includes(name)));
        seen.push({ method: request.method, url: request.url, headers, body: text ? JSON.parse(text) : undefined });
        return replies[Math.min(seen.length, replies.length) - 1]!();
      }),
    );
    return seen;
  };
}

/** What every presign error carries (structurally, so this file needs no package of its own). */
interface Failure extends Error {
  kind: string;
  status?: number;
  provider: string;
  code?: string | number;
  messages: string[];
  requestId?: string;
  attempts: number;
}

/** The error a promise rejects with, failing the test if it resolves or throws something that is not a presign error. */
export async function rejection<E extends Failure>(promise: Promise<unknown>, base: abstract new (...args: never[]) => E): Promise<E> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!("error" in outcome)) throw new Error(`expected a rejection, got ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(base);
  return outcome.error as E;
}

/** The parts of an error a user looks at. */
export const facts = (error: Failure) => ({
  type: error.constructor,
  status: error.status,
  provider: error.provider,
  code: error.code,
  messages: error.messages,
  requestId: error.requestId,
  attempts: error.attempts,
});

/** The facts of an error thrown before anything was sent: no status, no provider code, no attempt. */
export const refusedBeforeSending = (provider: string, type: abstract new (...args: never[]) => unknown) => ({
  type,
  status: undefined,
  provider,
  code: undefined,
  messages: [],
  requestId: undefined,
  attempts: 0,
});
