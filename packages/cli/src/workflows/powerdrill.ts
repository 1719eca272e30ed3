/** `presign powerdrill upload-data-source`: Powerdrill's multipart upload, then a data source from it (`uploadDataSource`). */
import { type PowerdrillClient, uploadDataSource } from "@presign/powerdrill";
import type { Command } from "commander";
import { printResult } from "../context.js";
import type { ProviderCommands } from "../model.js";
import { type ContextOf, providerCommand } from "../operations.js";
import { wholeNumberAtLeast } from "../values.js";
import { withProgress } from "./transfer.js";

interface UploadDataSourceFlags {
  datasetId: string;
  userId: string;
  file: string;
  name?: string;
  concurrency?: number;
}

export function addPowerdrillWorkflows(group: Command, provider: ProviderCommands, contextOf: ContextOf): void {
  const { command, createClient } = providerCommand(group, provider, "upload-data-source");
  command
    .summary("Upload a file and create a data source from it in a dataset")
    .description(
      "Runs Powerdrill's multipart upload (Powerdrill chooses the parts), then creates a data source from the stored file. Prints the new data source (its status is synching at first: poll get-data-source until synched).",
    )
    .requiredOption("--dataset-id <id>", "The dataset the data source is created in.")
    .requiredOption("--user-id <id>", "Your user ID, sent with every request.")
    .requiredOption("--file <path>", "The file to upload (.csv, .tsv, .md, .json, .txt, .pdf, .pptx, .docx, .xls, .xlsx…).")
    .option("--name <name>", "The name of the file and the data source (default: the file's own name; Powerdrill reads the type from its extension).")
    .option("--concurrency <n>", "Parts sent at once (default 4).", wholeNumberAtLeast(1));
  command.action(async (flags: UploadDataSourceFlags) => {
    const context = contextOf(command);
    // The cast holds: the generated powerdrill entry's factory is createPowerdrillClient.
    const client = createClient() as PowerdrillClient;
    const dataSource = await withProgress(context, "uploaded", (onProgress) =>
      uploadDataSource(client, { ...flags, signal: context.signal, onProgress }),
    );
    printResult(context, { data: dataSource, summary: `uploaded ${flags.file} as data source ${dataSource.id} (${dataSource.status})` });
  });
}
