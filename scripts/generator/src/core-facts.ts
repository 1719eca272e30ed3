/**
 * What the README says about errors and retries comes from the runtime itself, read from its
 * sources (these two modules have no runtime imports, so nothing needs building first).
 */
import { errorClasses, kindOfStatus } from "../../../packages/core/src/errors.ts";
import { defaultRetryPolicy } from "../../../packages/core/src/retry.ts";

/** The kinds an API call ends in, each with its class (storage and task errors come from workflows, not responses). */
export type ErrorKind = keyof typeof errorClasses;

/** A profile's reading of an error body (`Profile["errorOf"]` in @presign/core). */
export type ErrorReader = (status: number, body: unknown) => { kind?: ErrorKind; code?: string | number } | undefined;

/** The name of the class an error kind is thrown as. */
export const className = (kind: ErrorKind): string => errorClasses[kind].name;

export { kindOfStatus };

/** Statuses retried by default. */
export const retriedStatuses: readonly number[] = defaultRetryPolicy.statuses;
