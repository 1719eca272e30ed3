/** `presign datalab upload-file`: Datalab's upload URL, PUT and confirm (`uploadFile`). */
import { basename, extname } from "node:path";
import { type DatalabClient, uploadFile } from "@presign/datalab";
import type { Command } from "commander";
import { printResult } from "../context.js";
import type { ProviderCommands } from "../model.js";
import { type ContextOf, providerCommand } from "../operations.js";
import { withProgress } from "./transfer.js";

interface UploadFileFlags {
  file: string;
  filename?: string;
  contentType?: string;
}

/** The Content-Type of the documents Datalab takes, by extension; anything else is sent as bytes unless --content-type says. */
const CONTENT_TYPES: Record<string, string> = {
  ".pdf": "application/pdf",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
  ".gif": "image/gif",
  ".tif": "image/tiff",
  ".tiff": "image/tiff",
  ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  ".html": "text/html",
  ".txt": "text/plain",
  ".csv": "text/csv",
  ".json": "application/json",
};

const contentTypeOf = (file: string) => CONTENT_TYPES[extname(file).toLowerCase()] ?? "application/octet-stream";

export function addDatalabWorkflows(group: Command, provider: ProviderCommands, contextOf: ContextOf): void {
  const { command, createClient } = providerCommand(group, provider, "upload-file");
  command
    .summary("Upload a file to Datalab and confirm it (the pending record is deleted on failure)")
    .description(
      "Asks Datalab for a presigned upload URL, PUTs the file with the Content-Type the URL was signed for, then confirms it. On any failure or Ctrl-C after the record was created, it is deleted first. Prints the file's reference (datalab://file-…). At most 200 MiB.",
    )
    .requiredOption("--file <path>", "The file to upload.")
    .option("--filename <name>", "Its name at Datalab (default: the file's own name).")
    .option("--content-type <type>", "Its MIME type (default: from the extension, e.g. application/pdf for .pdf).");
  command.action(async (flags: UploadFileFlags) => {
    const context = contextOf(command);
    // The cast holds: the generated datalab entry's factory is createDatalabClient.
    const client = createClient() as DatalabClient;
    const input = {
      file: flags.file,
      filename: flags.filename ?? basename(flags.file),
      contentType: flags.contentType ?? contentTypeOf(flags.file),
      signal: context.signal,
    };
    const confirmed = await withProgress(context, "uploaded", (onProgress) => uploadFile(client, { ...input, onProgress }));
    printResult(context, { data: confirmed, summary: `uploaded ${flags.file} as ${confirmed.reference} (file_id ${confirmed.file_id})` });
  });
}
