/** Progress of a transfer, reported to `onProgress` about ten times a second and once at the end. */

/** How far a transfer is. */
export interface TransferProgress {
  /** Bytes transferred so far (of the whole object, across resumes). */
  bytes: number;
  /** Bytes in all, when known. */
  total?: number;
  /** Bytes per second over the last few seconds. */
  rate: number;
}

/** Counts bytes and reports them, throttled. */
export interface ProgressMeter {
  /** Bytes counted so far. */
  readonly bytes: number;
  /** Counts bytes moved (negative to take back bytes of a part that will be sent again). */
  add(bytes: number): void;
  /** Sets the total once it is known. */
  setTotal(total: number | undefined): void;
  /** Reports the current state now, whatever the throttle says (at the end of a transfer). */
  flush(): void;
}

/** Least time between two reports. */
const REPORT_INTERVAL_MS = 100;
/** The rate is measured over this window: long enough to smooth bursts, short enough to follow a change. */
const RATE_WINDOW_MS = 3_000;

interface Sample {
  time: number;
  bytes: number;
}

/** A meter reporting to `onProgress` (a meter that reports nothing when there is none). */
export function progressMeter(onProgress: ((progress: TransferProgress) => void) | undefined, start = 0): ProgressMeter {
  let bytes = start;
  let total: number | undefined;
  let lastReport = Number.NEGATIVE_INFINITY;
  // A sample per report: at most window / interval of them, however many chunks arrive.
  const samples: Sample[] = [{ time: Date.now(), bytes }];

  function rate(now: number): number {
    while (samples.length > 1 && samples[0]!.time < now - RATE_WINDOW_MS) samples.shift();
    const oldest = samples[0]!;
    const seconds = (now - oldest.time) / 1000;
    return seconds > 0 ? Math.max(0, (bytes - oldest.bytes) / seconds) : 0;
  }

  function report(now: number) {
    lastReport = now;
    const progress: TransferProgress = { bytes, rate: rate(now), ...(total === undefined ? {} : { total }) };
    samples.push({ time: now, bytes });
    onProgress?.(progress);
  }

  return {
    get bytes() {
      return bytes;
    },
    add(count) {
      bytes += count;
      const now = Date.now();
      if (onProgress && now - lastReport >= REPORT_INTERVAL_MS) report(now);
    },
    setTotal(value) {
      total = value;
    },
    flush() {
      if (onProgress) report(Date.now());
    },
  };
}
