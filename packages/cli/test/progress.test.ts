/**
 * The progress renderer on its own: a cli-progress bar on a (fake) terminal, throttled plain lines elsewhere on
 * a fake clock, nothing with --quiet. What the user sees is the text written to the stream.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import type { OutputStream } from "../src/io.js";
import { progressLine, progressView } from "../src/progress.js";

const MiB = 1024 * 1024;

/** A stream that keeps what is written; `isTTY` makes it a terminal as cli-progress sees one. */
function streamOf(isTTY: boolean): OutputStream & { text: string } {
  const stream = {
    text: "",
    isTTY,
    columns: 100,
    write(chunk: string) {
      stream.text += chunk;
      return true;
    },
  };
  return stream;
}

afterEach(() => {
  vi.useRealTimers();
});

describe("off a terminal", () => {
  it("prints a line when bytes first flow, then each time the transfer passes 10 %", () => {
    const stream = streamOf(false);
    const now = 1_000;
    const view = progressView({ stream, verb: "downloaded", quiet: false, now: () => now });
    // 100 updates within the same instant: only the 10 % steps print.
    for (let i = 1; i <= 100; i++) view.update({ bytes: (12 * MiB * i) / 100, total: 12 * MiB, rate: 8.1 * MiB });
    view.finish();
    const lines = stream.text.trimEnd().split("\n");
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe("downloaded 122.9 KiB of 12.0 MiB (1%) at 8.1 MiB/s");
    expect(lines[1]).toBe("downloaded 1.2 MiB of 12.0 MiB (10%) at 8.1 MiB/s");
    expect(lines[3]).toBe("downloaded 3.6 MiB of 12.0 MiB (30%) at 8.1 MiB/s");
    expect(lines.at(-1)).toBe("downloaded 12.0 MiB of 12.0 MiB (100%) at 8.1 MiB/s");
  });

  it("without a total, prints a line every 2 s at most, and the last state at the end", () => {
    const stream = streamOf(false);
    let now = 0;
    const view = progressView({ stream, verb: "uploaded", quiet: false, now: () => now });
    for (let second = 0; second <= 5; second++) {
      now = second * 1_000;
      view.update({ bytes: second * MiB, rate: MiB });
    }
    view.update({ bytes: 5.5 * MiB, rate: MiB });
    view.finish();
    expect(stream.text).toBe(
      [
        "uploaded 0 B at 1.0 MiB/s", // t = 0 s
        "uploaded 2.0 MiB at 1.0 MiB/s", // t = 2 s
        "uploaded 4.0 MiB at 1.0 MiB/s", // t = 4 s
        "uploaded 5.5 MiB at 1.0 MiB/s", // the end
        "",
      ].join("\n"),
    );
  });

  it("reads as the brief's example", () => {
    expect(progressLine("downloaded", { bytes: 4 * MiB, total: 12 * MiB, rate: 8.1 * MiB })).toBe(
      "downloaded 4.0 MiB of 12.0 MiB (33%) at 8.1 MiB/s",
    );
  });
});

describe("on a terminal", () => {
  it("draws a cli-progress bar with bytes of total, percentage and rate, and releases the cursor at the end", () => {
    vi.useFakeTimers();
    const stream = streamOf(true);
    const view = progressView({ stream, verb: "downloaded", quiet: false });
    view.update({ bytes: 3 * MiB, total: 12 * MiB, rate: 2 * MiB });
    vi.advanceTimersByTime(200);
    view.update({ bytes: 12 * MiB, total: 12 * MiB, rate: 4 * MiB });
    view.finish();
    expect(stream.text).toContain("downloaded [████████░░░░░░░░░░░░░░░░░░░░░░] 25% | 3.0 MiB of 12.0 MiB | 2.0 MiB/s");
    expect(stream.text).toContain("downloaded [██████████████████████████████] 100% | 12.0 MiB of 12.0 MiB | 4.0 MiB/s");
    // The cursor is hidden while the bar draws, and shown again.
    expect(stream.text).toContain("\u001b[?25l");
    expect(stream.text).toContain("\u001b[?25h");
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("with --quiet", () => {
  it.each([true, false])("writes nothing (terminal: %s)", (isTTY) => {
    const stream = streamOf(isTTY);
    const view = progressView({ stream, verb: "downloaded", quiet: true });
    view.update({ bytes: MiB, total: 2 * MiB, rate: MiB });
    view.finish();
    expect(stream.text).toBe("");
  });
});
