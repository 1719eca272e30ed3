/** What the workflow commands share: a progress view around a transfer, and the provider's typed client. */
import type { TransferProgress } from "@presign/core";
import type { RunContext } from "../context.js";
import { progressView } from "../progress.js";

/** Runs a transfer with progress on stderr (a bar on a terminal, lines elsewhere, nothing with --quiet). */
export async function withProgress<T>(
  context: RunContext,
  verb: string,
  transfer: (onProgress: (p: TransferProgress) => void) => Promise<T>,
): Promise<T> {
  const view = progressView({ stream: context.output.io.stderr, verb, quiet: context.quiet });
  try {
    return await transfer((progress) => view.update(progress));
  } finally {
    view.finish();
  }
}
