import { field, type Profile, strings } from "@presign/core/internal";

/** Datadog facts the spec cannot carry: its error body, and the rate-limit header that says when to come back. */
export const profile: Profile = {
  provider: "datadog",
  userAgent: `@presign/datadog/${__VERSION__}`,
  // Every documented error is `{ "errors": ["…"] }`.
  errorOf: (status, body) => (status >= 400 ? { messages: strings(field(body, "errors")) } : undefined),
  // Seconds until the rate-limit window resets, sent with 429.
  rateLimitResetHeaders: ["x-ratelimit-reset"],
};
