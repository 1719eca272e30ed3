/**
 * The time a workflow may take and the caller's AbortSignal, as one signal for every call and wait
 * inside it. Whichever fires first is remembered, so the workflow can say "timed out" or "aborted".
 */

/** Why a deadline's signal fired: the time ran out, or the caller aborted. */
export type Ending = "expired" | "aborted";

export class Deadline {
  readonly #controller = new AbortController();
  readonly #caller: AbortSignal | undefined;
  readonly #timer: ReturnType<typeof setTimeout>;
  #ending: Ending | undefined;

  constructor(ms: number, caller?: AbortSignal) {
    this.#caller = caller;
    this.#timer = setTimeout(() => this.#end("expired", new Error(`the deadline of ${ms} ms passed`)), ms);
    if (caller?.aborted) this.#end("aborted", caller.reason);
    else caller?.addEventListener("abort", this.#onCallerAbort, { once: true });
  }

  /** Fires when the time runs out or the caller aborts: pass it to every call and wait. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Undefined while running; then why the signal fired. */
  get ending(): Ending | undefined {
    return this.#ending;
  }

  /** Resolves after `ms`, or rejects as soon as the signal fires (at once if it already has). */
  sleep(ms: number): Promise<void> {
    const { signal } = this;
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const wake = () => {
        signal.removeEventListener("abort", stop);
        resolve();
      };
      const stop = () => {
        clearTimeout(timer);
        reject(signal.reason);
      };
      const timer = setTimeout(wake, ms);
      signal.addEventListener("abort", stop, { once: true });
    });
  }

  /** Stops the clock and lets go of the caller's signal; call it once the deadline no longer applies. */
  dispose(): void {
    clearTimeout(this.#timer);
    this.#caller?.removeEventListener("abort", this.#onCallerAbort);
  }

  readonly #onCallerAbort = () => this.#end("aborted", this.#caller?.reason);

  #end(ending: Ending, reason: unknown): void {
    if (this.#ending) return;
    this.#ending = ending;
    this.dispose();
    this.#controller.abort(reason);
  }
}
