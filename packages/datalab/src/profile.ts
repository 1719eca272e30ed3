import { field, type Profile, strings } from "@presign/core/internal";

/** Datalab's errors are `{ detail: string }`, or for 422 a list of `{ loc, msg, type }`. */
export const profile: Profile = {
  provider: "datalab",
  userAgent: `@presign/datalab/${__VERSION__}`,
  errorOf(status, body) {
    if (status < 400) return undefined;
    const detail = field(body, "detail");
    if (!Array.isArray(detail)) return { messages: strings(detail) };
    const items = detail.filter((d) => d && typeof d === "object");
    return {
      code: strings(items.map((d) => field(d, "type")))[0],
      messages: items.map((d) => {
        const loc = field(d, "loc");
        return `${Array.isArray(loc) ? `${loc.join(".")}: ` : ""}${String(field(d, "msg"))}`;
      }),
    };
  },
};
