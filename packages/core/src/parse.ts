/**
 * What a response means: the typed success body of an operation, or the typed error it stands
 * for. Every string in an error came from the server, so every one is redacted and cut to an
 * excerpt: the API (or whatever answers in its place) may echo a key, a signed URL or a megabyte of HTML.
 */
import type { OperationDefinition, Profile } from "./definition.js";
import { describeError, type ErrorDetails, type ErrorKind, kindOfStatus, type PresignError } from "./errors.js";
import type { Redactor } from "./redact.js";
import type { CallState } from "./transport.js";
import { MAX_PROBLEMS, validate } from "./validate.js";

/** Longest excerpt of server-sent text kept in an error: a message, a status text, a request id. */
const EXCERPT = 300;

/** The parts of a response the reader looks at; the body is read already. */
export interface ResponseHead {
  status: number;
  statusText: string;
  headers: Headers;
}

export interface ReaderSettings {
  profile: Profile;
  redact: Redactor;
  /** Check a success body against the operation's schema. */
  validateResponses: boolean;
}

export type ReadResponse = (operation: OperationDefinition, response: ResponseHead, text: string | undefined, call: CallState) => unknown;

export function createResponseReader({ profile, redact, validateResponses }: ReaderSettings): ReadResponse {
  const requestIdHeaders = [...(profile.requestIdHeaders ?? []), "x-request-id"];

  /** A typed error from what a response said; its message is the provider's messages, else `what`. */
  function responseError(kind: ErrorKind, what: string, details: ErrorDetails): PresignError {
    const messages = (details.messages ?? []).slice(0, MAX_PROBLEMS).map((message) => redact(message, EXCERPT));
    const code = typeof details.code === "string" ? redact(details.code, EXCERPT) : details.code;
    const requestId = details.requestId === undefined ? undefined : redact(details.requestId, EXCERPT);
    const message = messages.length ? messages.join("; ") : redact(what, 4 * EXCERPT);
    return describeError(kind, message, { ...details, messages, code, requestId });
  }

  return (operation, response, text, call) => {
    const { status, headers } = response;
    const ok = status >= 200 && status < 300;
    // Only an error needs these (the redacted request is computed when read).
    const details = (): ErrorDetails => ({
      provider: profile.provider,
      status,
      requestId: requestIdHeaders.map((name) => headers.get(name)).find(Boolean) ?? undefined,
      attempts: call.attempts,
      request: call.request,
      retryAfter: call.retryAfter,
    });
    const malformed = (what: string) => responseError("malformed_response", what, details());
    const body = parseBody(text, ok, headers.get("content-type"));
    if (body === MALFORMED) throw malformed("the response body is not valid JSON");
    const info = profile.errorOf(status, body);
    if (info || !ok) {
      const fallback = ok ? "the provider reported an error" : response.statusText || "request failed";
      throw responseError(info?.kind ?? (ok ? "server" : kindOfStatus(status)), fallback, {
        ...details(),
        code: info?.code,
        messages: info?.messages,
      });
    }
    if (!validateResponses || !operation.response) return body;
    if (body === undefined) throw malformed("the response has no body");
    const problems = validate(body, operation.response, "response");
    if (problems.length) throw malformed(`the response is not what the API promises (${problems.join("; ")})`);
    return body;
  };
}

const MALFORMED = Symbol("malformed JSON");

/**
 * A success body must be JSON; an error body is read as JSON when it says so (or says nothing),
 * else kept as text. The parser's message quotes the body, so it is never kept.
 */
function parseBody(text: string | undefined, ok: boolean, type: string | null): unknown {
  if (!text) return undefined;
  if (!ok && type && !/json/i.test(type)) return text;
  try {
    return JSON.parse(text);
  } catch {
    return ok ? MALFORMED : text;
  }
}
