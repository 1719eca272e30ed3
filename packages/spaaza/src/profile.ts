import { field, type Profile, strings } from "@presign/core/internal";

/**
 * The Services API's error body is not documented: it may be plain text, a JSON string, a JSON
 * object with a message, or the main API's `{ error: { code, name, description } }`.
 */
export const profile: Profile = {
  provider: "spaaza",
  userAgent: `@presign/spaaza/${__VERSION__}`,
  errorOf(status, body) {
    if (status < 400) return undefined;
    const error = field(body, "error");
    if (error && typeof error === "object") {
      const code = field(error, "code");
      return {
        code: typeof code === "number" || typeof code === "string" ? code : undefined,
        messages: strings(field(error, "description") ?? field(error, "name")),
      };
    }
    return { messages: strings(typeof body === "string" ? body : (error ?? field(body, "message"))) };
  },
};
