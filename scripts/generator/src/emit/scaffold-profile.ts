/** The profile a new package starts with: it reads the error fields most JSON APIs use. */
import type { ApiIR } from "../ir/types.js";

export function defaultProfile(api: ApiIR): string {
  return `import { field, type Profile, strings } from "@presign/core/internal";

/**
 * What ${api.title} says in an error body. Scaffolded by \`pnpm generate\` with the fields most APIs
 * use (\`message\`, \`error\` as a string or \`{ message, code }\`, \`detail\`, \`errors[].message\`, \`msg\`,
 * \`code\`): check them against the provider's documentation and make this file its own.
 */
export const profile: Profile = {
  provider: ${JSON.stringify(api.provider)},
  userAgent: \`@presign/${api.provider}/\${__VERSION__}\`,
  errorOf(status, body) {
    if (status < 400) return undefined;
    const error = field(body, "error");
    const errors = field(body, "errors");
    const messages = [
      ...strings(typeof body === "string" ? body : field(body, "message")),
      ...strings(error && typeof error === "object" ? field(error, "message") : error),
      ...strings(field(body, "detail")),
      ...(Array.isArray(errors) ? errors.flatMap((item) => strings(typeof item === "string" ? item : field(item, "message"))) : []),
      ...strings(field(body, "msg")),
    ];
    const code = field(error, "code") ?? field(body, "code");
    return { code: typeof code === "string" || typeof code === "number" ? code : undefined, messages };
  },
};
`;
}
