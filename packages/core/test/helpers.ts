import { expect } from "vitest";
import { type ClientOptions, InvalidRequestError, type PresignClientBase } from "../src/index.js";
import { type ApiDefinition, createPresignClient, type Profile } from "../src/internal.js";

/** A one-operation API in the shape the generator emits, so the runtime can be tested on its own. */
export const definition = {
  server: { url: "https://api.{site}", variables: { site: { default: "example.com", enum: ["example.com", "example.eu"] } } },
  auth: { key: { option: "apiKey", in: "header", name: "X-Key" } },
  operations: {
    presign: {
      method: "POST",
      path: "/files/{file_id}/presign",
      fields: [
        { key: "fileId", name: "file_id", in: "path", required: true, schema: { type: "string", minLength: 1 } },
        { key: "traceId", name: "x-trace-id", in: "header", required: false, schema: { type: "string", maxLength: 128 } },
        { key: "expiresIn", name: "expires_in", in: "body", required: false, schema: { type: "integer", minimum: 60 } },
      ],
      json: true,
      // Presigning reads state: safe to repeat after a timeout or a 5xx.
      idempotent: true,
      security: [["key"]],
      response: { type: "object", required: ["url"], properties: { url: { type: "string" } } },
    },
  },
} as const satisfies ApiDefinition;

export const profile: Profile = {
  provider: "acme",
  userAgent: "@presign/acme/1.0.0",
  errorOf: (status, body) => (status >= 400 ? { messages: [String((body as { message?: string })?.message ?? "")].filter(Boolean) } : undefined),
};

export interface TestClient extends PresignClientBase<Record<string, never>> {
  presign(
    input: { fileId: string; traceId?: string; expiresIn?: number },
    options?: { signal?: AbortSignal; maxRetries?: number },
  ): Promise<{ url: string }>;
}

/** A recording fake fetch that answers from a list of responses (the last one repeats). */
export function fakeFetch(...responses: (() => Response | Promise<Response>)[]) {
  const requests: Request[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    requests.push(request);
    return responses[Math.min(requests.length, responses.length) - 1]!();
  };
  return { fetch: fetch as typeof globalThis.fetch, requests };
}

export const ok = () => Response.json({ url: "https://bucket.example/f?X-Amz-Signature=abc" });
export const status =
  (code: number, headers: Record<string, string> = {}) =>
  () =>
    Response.json({ message: `status ${code}` }, { status: code, headers });

export function client(options: ClientOptions & { apiKey?: string; site?: string } = {}) {
  return createPresignClient<TestClient>(definition, profile, { apiKey: SECRET, ...options });
}

export const SECRET = "secret-key-123";

/** Creates a test client with options the generated types would name (credentials, server variables). */
export const make = (api: ApiDefinition, p: Profile, options: Record<string, unknown>) =>
  createPresignClient<TestClient>(api, p, options as ClientOptions);

/** Expects a typed InvalidRequestError whose text never contains the secret. */
export function expectInvalid(fn: () => unknown, message: RegExp) {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(InvalidRequestError);
  expect(String(error)).toMatch(message);
  expect(JSON.stringify(error)).not.toContain(SECRET);
}
