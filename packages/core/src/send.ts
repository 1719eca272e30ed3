/**
 * What a sender is: one attempt on the wire, the response read whole. The two senders are
 * send-node.ts (node:http, chosen on Node through the `#send` import) and send-fetch.ts.
 */
import type { Received } from "./request.js";

/**
 * Sends one attempt. The response comes back whole (body buffered, at most `maxBytes`), so a reset
 * mid-body fails here. The sender enforces the deadline (rejecting with a deadlineError()), the size
 * limit (rejecting with a tooLargeError() and destroying the connection) and the caller's signal
 * (rejecting with its reason).
 */
export type Send = (
  url: string,
  init: {
    method: string;
    headers: Headers;
    body: ArrayBuffer | string | undefined;
    timeout: number;
    maxBytes: number;
    signal: AbortSignal | undefined;
  },
) => Promise<Received>;

// Branded, not classes: the ESM and CJS builds each bundle their own copy of this module.
const DEADLINE = Symbol.for("presign.deadline");
const TOO_LARGE = Symbol.for("presign.tooLarge");

/** How a sender says an attempt ran past its deadline. */
export const deadlineError = (ms: number) => Object.assign(new Error(`no response within ${ms} ms`), { [DEADLINE]: true });
export const isDeadline = (error: unknown) => typeof error === "object" && error !== null && DEADLINE in error;

/** How a sender says a response body was larger than it may read (`status` of the response). */
export const tooLargeError = (maxBytes: number, status: number) =>
  Object.assign(new Error(`the response body is larger than ${maxBytes} bytes (maxResponseBytes)`), { [TOO_LARGE]: status });
/** The status of the response a tooLargeError() stopped, or undefined for any other error. */
export const tooLargeStatus = (error: unknown): number | undefined =>
  typeof error === "object" && error !== null && TOO_LARGE in error ? (error as { [TOO_LARGE]: number })[TOO_LARGE] : undefined;
