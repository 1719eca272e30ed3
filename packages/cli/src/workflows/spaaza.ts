/** `presign spaaza export`: an export task run now, waited for, and its file downloaded (`exportTask`). */
import { EXPORT_INDEXES, type ExportTaskOptions, exportTask, type SpaazaClient } from "@presign/spaaza";
import { type Command, Option } from "commander";
import { printResult } from "../context.js";
import type { ProviderCommands } from "../model.js";
import { type ContextOf, providerCommand } from "../operations.js";
import { formatBytes } from "../units.js";
import { wholeNumberAtLeast } from "../values.js";
import { withProgress } from "./transfer.js";

interface ExportFlags {
  chain: number;
  index: ExportTaskOptions["index"];
  format: ExportTaskOptions["format"];
  out?: string;
  desc?: string;
  segmentId?: string;
  apiVersion?: string;
  exportTimeout?: number;
  pollInterval?: number;
}

export function addSpaazaWorkflows(group: Command, provider: ProviderCommands, contextOf: ContextOf): void {
  const { command, createClient } = providerCommand(group, provider, "export");
  command
    .summary("Export an index of a chain, wait for it, and download the file")
    .description(
      "Creates an export task, runs it now, polls it until it is DONE, then downloads the file to --out (resuming, with a fresh URL if it expires) or, without --out, prints the file's presigned URL. A task that ends in ERROR fails with its last log line.",
    )
    .requiredOption("--chain <id>", "The chain whose data is exported.", wholeNumberAtLeast(1))
    .addOption(new Option("--index <index>", "What to export.").choices(EXPORT_INDEXES).makeOptionMandatory())
    .addOption(new Option("--format <format>", "The file's format.").choices(["csv", "json"]).makeOptionMandatory())
    .option("--out <file>", "Download the exported file here (default: print its URL).")
    .option("--desc <text>", "The task's description, shown in Spaaza.")
    .option("--segment-id <id>", "Export only the records of this saved segment.")
    .option("--api-version <version>", "Sent as X-Spaaza-API-Version on every call.")
    .option("--export-timeout <ms>", "Milliseconds until the task must be done (default 600000); the download is not counted.", wholeNumberAtLeast(1))
    .option("--poll-interval <ms>", "Milliseconds before the first poll (default 1000); each next wait is 1.5 times longer.", wholeNumberAtLeast(1));
  command.action(async (flags: ExportFlags) => {
    const context = contextOf(command);
    // The cast holds: the generated spaaza entry's factory is createSpaazaClient.
    const client = createClient() as SpaazaClient;
    const { out, exportTimeout, ...input } = flags;
    const options = { ...input, ...(exportTimeout !== undefined && { timeout: exportTimeout }), signal: context.signal };
    const result = await withProgress(context, "downloaded", (onProgress) =>
      exportTask(client, { ...options, ...(out !== undefined && { download: out }), onProgress }),
    );
    const summary = result.download ? `exported task ${result.task.id} to ${out} (${formatBytes(result.download.bytes)})` : result.url.url;
    printResult(context, { data: result, summary });
  });
}
