/**
 * Transfer progress on stderr. On a terminal, a cli-progress bar (bytes of total, percentage, rate). Off a terminal
 * (CI, a pipe, a log file), plain lines, one per 10 % or every 2 s at most, so a log stays short. Nothing with --quiet.
 */
import type { TransferProgress } from "@presign/core";
import { Presets, SingleBar } from "cli-progress";
import type { OutputStream } from "./io.js";
import { formatBytes, formatRate } from "./units.js";

export interface ProgressView {
  update(progress: TransferProgress): void;
  /** Draws the last state and releases the terminal; safe to call when nothing was shown. */
  finish(): void;
}

export interface ProgressSettings {
  stream: OutputStream;
  /** What the bytes went through: `downloaded`, `uploaded`. */
  verb: string;
  quiet: boolean;
  /** The clock the line throttle reads (tests pass their own). */
  now?: () => number;
}

/** A line at least this often, whatever the percentage did. */
const LINE_INTERVAL_MS = 2_000;
/** A line each time the percentage passes a multiple of this. */
const LINE_STEP_PERCENT = 10;

export function progressView({ stream, verb, quiet, now = Date.now }: ProgressSettings): ProgressView {
  if (quiet) return { update: () => {}, finish: () => {} };
  return stream.isTTY ? barView(stream, verb) : lineView(stream, verb, now);
}

/** `downloaded 4.0 MiB of 12.0 MiB (33%) at 8.1 MiB/s`; without a total, `downloaded 4.0 MiB at 8.1 MiB/s`. */
export function progressLine(verb: string, { bytes, total, rate }: TransferProgress): string {
  const of = total ? ` of ${formatBytes(total)} (${Math.floor(percentOf(bytes, total))}%)` : "";
  return `${verb} ${formatBytes(bytes)}${of} at ${formatRate(rate)}`;
}

const percentOf = (bytes: number, total: number) => Math.min(100, (bytes / total) * 100);

function lineView(stream: OutputStream, verb: string, now: () => number): ProgressView {
  let lastLineAt = Number.NEGATIVE_INFINITY;
  let lastStep = -1;
  let pending: TransferProgress | undefined;
  const print = (progress: TransferProgress, step: number) => {
    stream.write(`${progressLine(verb, progress)}\n`);
    lastLineAt = now();
    lastStep = step;
    pending = undefined;
  };
  return {
    update(progress) {
      const step = progress.total ? Math.floor(percentOf(progress.bytes, progress.total) / LINE_STEP_PERCENT) : lastStep;
      const passedStep = progress.bytes > 0 && step > lastStep;
      if (passedStep || now() - lastLineAt >= LINE_INTERVAL_MS) print(progress, step);
      else pending = progress;
    },
    finish() {
      if (pending) print(pending, lastStep);
    },
  };
}

function barView(stream: OutputStream, verb: string): ProgressView {
  let bar: SingleBar | undefined;
  const payload = ({ bytes, total, rate }: TransferProgress) => ({
    done: formatBytes(bytes),
    size: total ? formatBytes(total) : "?",
    speed: formatRate(rate),
  });
  return {
    update(progress) {
      if (!bar) {
        // Without a total there is nothing to fill: bytes and rate only.
        const format = progress.total ? `${verb} [{bar}] {percentage}% | {done} of {size} | {speed}` : `${verb} {done} | {speed}`;
        // cli-progress writes to the stream and moves its cursor, which is all an OutputStream on a TTY offers.
        bar = new SingleBar({ stream: stream as NodeJS.WritableStream, format, hideCursor: true, barsize: 30 }, Presets.shades_classic);
        bar.start(progress.total ?? 0, progress.bytes, payload(progress));
      }
      if (progress.total) bar.setTotal(progress.total);
      bar.update(progress.bytes, payload(progress));
    },
    finish() {
      bar?.stop();
      bar = undefined;
    },
  };
}
