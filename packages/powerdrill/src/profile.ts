import type { ErrorKind } from "@presign/core";
import { field, type Profile, strings } from "@presign/core/internal";

/** What Powerdrill's error codes mean; they say more than its HTTP statuses, which are often 200. */
const kindOfCode: Record<number, ErrorKind> = {
  201: "rate_limit",
  1002: "authentication", // credentials expired
  1003: "permission_denied", // insufficient
  1004: "authentication", // bad credentials
  9999: "server",
  300001: "invalid_request",
  300002: "permission_denied",
  300003: "not_found",
  300008: "server", // could not generate the presigned URL
};

/** Every body is `{ code, msg?, data? }`; any `code` other than 0 is an error, whatever the HTTP status. */
export const profile: Profile = {
  provider: "powerdrill",
  userAgent: `@presign/powerdrill/${__VERSION__}`,
  errorOf(status, body) {
    const code = field(body, "code");
    if (status < 400 && (code === 0 || code === undefined)) return undefined;
    return {
      kind: typeof code === "number" ? kindOfCode[code] : undefined,
      code: typeof code === "number" ? code : undefined,
      messages: strings(field(body, "msg")),
    };
  },
  requestIdHeaders: ["x-pd-trace-id"],
};
