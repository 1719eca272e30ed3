/** Colour only for a person at a terminal, and every written line scrubbed of the run's secrets. */
import { describe, expect, it } from "vitest";
import { createOutput, type Io } from "../src/io.js";

function ioOf(isTTY: boolean, env: Record<string, string> = {}) {
  const written = { stdout: "", stderr: "" };
  const io: Io = {
    stdout: { isTTY, write: (text: string) => (written.stdout += text) },
    stderr: { isTTY, write: (text: string) => (written.stderr += text) },
    env,
    readStdin: async () => "",
    signal: new AbortController().signal,
  };
  return { io, written };
}

describe("the error label", () => {
  it("is red on a terminal", () => {
    expect(createOutput(ioOf(true).io, []).errorLabel()).toBe("\u001b[31merror\u001b[39m");
  });

  it.each<{ where: string; isTTY: boolean; env: Record<string, string> }>([
    { where: "off a terminal", isTTY: false, env: {} },
    { where: "with NO_COLOR", isTTY: true, env: { NO_COLOR: "1" } },
    { where: "on a dumb terminal", isTTY: true, env: { TERM: "dumb" } },
  ])("has no colour $where", ({ isTTY, env }) => {
    expect(createOutput(ioOf(isTTY, env).io, []).errorLabel()).toBe("error");
  });
});

describe("what is written", () => {
  it("has every known secret replaced, the longest first, on stdout and stderr", () => {
    const { io, written } = ioOf(false);
    const output = createOutput(io, ["sk_live_abcdef", "sk_live_abcdef_longer", "short"]);
    output.result('{"echo":"sk_live_abcdef_longer"}');
    output.note("sent sk_live_abcdef and short");
    expect(written.stdout).toBe('{"echo":"[redacted]"}\n');
    // Values under 6 characters are not secrets anyone uses, and would scrub ordinary words.
    expect(written.stderr).toBe("sent [redacted] and short\n");
  });
});
