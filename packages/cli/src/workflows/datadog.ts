/** `presign datadog upload-test-file`: Datadog's multipart upload of a Synthetic test's file (`uploadTestFile`). */
import { stat } from "node:fs/promises";
import { type DatadogClient, uploadTestFile } from "@presign/datadog";
import type { Command } from "commander";
import { printResult } from "../context.js";
import type { ProviderCommands } from "../model.js";
import { type ContextOf, providerCommand } from "../operations.js";
import { formatBytes } from "../units.js";
import { wholeNumberAtLeast } from "../values.js";
import { withProgress } from "./transfer.js";

interface UploadTestFileFlags {
  publicId: string;
  file: string;
  bucketKeyPrefix: "api-upload-file" | "browser-upload-file-step";
  partSize?: number;
  concurrency?: number;
}

export function addDatadogWorkflows(group: Command, provider: ProviderCommands, contextOf: ContextOf): void {
  const { command, createClient } = providerCommand(group, provider, "upload-test-file");
  command
    .summary("Upload a file for a Synthetic test (multipart, never left open on failure)")
    .description(
      "Hashes the file's parts, asks Datadog for their presigned URLs, uploads them, and completes the upload; on any failure or Ctrl-C, the upload is aborted first. Prints the bucketKey a test's request refers to.",
    )
    .requiredOption("--public-id <id>", "Public ID of the Synthetic test.")
    .requiredOption("--file <path>", "The file to upload.")
    .option(
      "--bucket-key-prefix <prefix>",
      "api-upload-file for an API test, browser-upload-file-step for a browser test's upload step.",
      "api-upload-file",
    )
    .option("--part-size <bytes>", "Bytes per part (default 8 MiB; at least 5 MiB).", wholeNumberAtLeast(1))
    .option("--concurrency <n>", "Parts sent at once (default 4).", wholeNumberAtLeast(1));
  command.action(async (flags: UploadTestFileFlags) => {
    const context = contextOf(command);
    // The cast holds: the generated datadog entry's factory is createDatadogClient.
    const client = createClient() as DatadogClient;
    const { file, ...input } = flags;
    const { bucketKey } = await withProgress(context, "uploaded", (onProgress) =>
      uploadTestFile(client, { ...input, file, signal: context.signal, onProgress }),
    );
    const { size } = await stat(file);
    printResult(context, { data: { bucketKey }, summary: `uploaded ${file} (${formatBytes(size)}) as bucketKey ${bucketKey}` });
  });
}
