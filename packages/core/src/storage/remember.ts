/**
 * What `presigned()` needs to know about a result, kept beside it (not in it), so a generated method's
 * result type stays what the spec says. This module is in every client bundle: keep it tiny.
 */
import type { PresignedUrlDefinition } from "../definition.js";

/** A result of an operation with `x-presign-url`, as it came back. */
export interface RememberedResult {
  provider: string;
  definition: PresignedUrlDefinition;
  /** The JSON request body as sent (wire names): some headers the URL is signed with are read from it. */
  body: Record<string, unknown> | undefined;
  /** The response's `Date` header, which an `expiresIn` counts from. */
  date: string | null;
  /** The local clock when the response arrived, for when `date` is missing or unreadable. */
  receivedAt: number;
}

/** Weak, so a result the app lets go of is not kept alive by it. */
const remembered = new WeakMap<object, RememberedResult>();

/** Remembers how to read the presigned URL of a result (ignored for anything but an object). */
export function rememberPresigned(result: unknown, facts: RememberedResult): void {
  if (Object(result) === result) remembered.set(result as object, facts);
}

/** What was remembered of a result, if it came from a method that returns a presigned URL. */
export const recallPresigned = (result: object): RememberedResult | undefined => remembered.get(result);
