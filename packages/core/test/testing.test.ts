/**
 * The testing kit's building blocks under a plain fetch: what a generated handler answers by default, with an
 * override, with a fault that runs out, and when the spec had no example; and the storage server behind msw.
 */
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createFault, faults, type OperationTypes, operationHandler, passthroughTo, startStorageServer } from "../src/testing/index.js";

interface GetThing extends OperationTypes {
  params: { id: string };
  query: { verbose?: string };
  body: undefined;
  response: { id: number; name: string };
}

const getThing = operationHandler<GetThing>({
  name: "acme.getThing",
  method: "GET",
  path: "*/things/:id",
  status: 200,
  json: true,
  example: { id: 1, name: "example" },
  errorExamples: { 429: { error: "slow down" } },
});
const deleteThing = operationHandler({ name: "acme.deleteThing", method: "DELETE", path: "*/things/:id", status: 204, json: false });
const createThing = operationHandler({ name: "acme.createThing", method: "POST", path: "*/things", status: 201, json: true });

const server = setupServer(getThing(), deleteThing(), createThing());
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const answer = async (path: string, init?: RequestInit) => {
  const response = await fetch(`https://any.example${path}`, init);
  const text = await response.text();
  return { status: response.status, retryAfter: response.headers.get("retry-after"), body: text ? JSON.parse(text) : undefined };
};

describe("operation handlers", () => {
  it("answer the example on any origin; a 204 with no body", async () => {
    expect(await answer("/things/5")).toEqual({ status: 200, retryAfter: null, body: { id: 1, name: "example" } });
    expect(await answer("/things/5", { method: "DELETE" })).toEqual({ status: 204, retryAfter: null, body: undefined });
  });

  it("answer 501 naming the operation when the spec has no example and none is given", async () => {
    expect(await answer("/things", { method: "POST" })).toEqual({
      status: 501,
      retryAfter: null,
      body: { message: "acme.createThing: the spec has no example success body; pass one to the handler" },
    });
  });

  it("give a resolver the path, the query and the request", async () => {
    server.use(getThing(({ params, query, request }) => ({ id: Number(params.id), name: `${query.verbose}:${request.method}` })));
    expect((await answer("/things/9?verbose=yes")).body).toEqual({ id: 9, name: "yes:GET" });
  });

  it("answer a fault `times` times, then the default", async () => {
    server.use(getThing(faults.rateLimited({ retryAfter: 3, times: 2 })));
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push(await answer("/things/1"));
    expect(statuses).toEqual([
      { status: 429, retryAfter: "3", body: { error: "slow down" } },
      { status: 429, retryAfter: "3", body: { error: "slow down" } },
      { status: 200, retryAfter: null, body: { id: 1, name: "example" } },
    ]);
  });

  it("answer a status the spec documents no body for with a message", async () => {
    server.use(getThing(faults.serverError({ status: 502 })));
    expect(await answer("/things/1")).toEqual({ status: 502, retryAfter: null, body: { message: "Internal Server Error" } });
  });

  it("refuse a times that is not a positive integer, and a status that is not an error", () => {
    expect(() => createFault(() => new Response(), { times: 0 })).toThrow(RangeError);
    expect(() => faults.httpError({ status: 200 })).toThrow(RangeError);
  });
});

describe("the storage server behind msw", () => {
  it("is reached through passthroughTo; without it msw refuses the request (a key msw does not take for a static asset)", async () => {
    const storage = await startStorageServer();
    try {
      storage.putObject("blob.bin", new TextEncoder().encode("hello"));
      const url = storage.presign({ method: "GET", key: "blob.bin" });
      const printed = vi.spyOn(console, "error").mockImplementation(() => {});
      await expect(fetch(url)).rejects.toThrow();
      expect(String(printed.mock.calls[0]?.[0])).toContain("without a matching request handler");
      printed.mockRestore();
      server.use(passthroughTo(storage.origin));
      expect(await (await fetch(url)).text()).toBe("hello");
    } finally {
      await storage.close();
    }
  });

  it("leaves other handlers alone", async () => {
    server.use(http.get("https://other.example/x", () => HttpResponse.text("x")));
    expect(await (await fetch("https://other.example/x")).text()).toBe("x");
  });
});
