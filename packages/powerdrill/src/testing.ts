// The testing kit, `@presign/powerdrill/testing`: msw handlers generated from the spec (every operation answers its
// example; a test overrides one with a typed body, a resolver or a fault), the shared fault presets plus Powerdrill's
// own, and the loopback S3-like storage server for the workflows.
import { createFault, type Fault, type FaultOptions, faults as sharedFaults } from "@presign/core/testing";

export * from "@presign/core/testing";
export * from "./generated/testing.js";

export interface ApiErrorOptions extends FaultOptions {
  /** Powerdrill's error code: 300003 (not found), 1004 (bad credentials), 300008 (no presigned URL), … */
  code: number;
  /** Its `msg`. */
  message?: string;
  /** The HTTP status it comes with: Powerdrill often says 200. Default 200. */
  status?: number;
}

export const faults = {
  ...sharedFaults,
  /**
   * Powerdrill's own failure: `{ code, msg }` with a code other than 0, in an HTTP 200 by default. The client reads
   * the code, as Powerdrill means it: 300003 → `NotFoundError`, 1004 → `AuthenticationError`, 300008 → `ServerError`.
   */
  apiError({ code, message = `error ${code}`, status = 200, ...options }: ApiErrorOptions): Fault {
    if (code === 0) throw new RangeError("code 0 is Powerdrill's success: give the error's code");
    return createFault(() => Response.json({ code, msg: message }, { status }), options);
  },
};
