/** `presign download <url> <target>`: core's `download`, with resumes after a broken connection, and progress. */
import { download } from "@presign/core";
import type { Command } from "commander";
import { printResult } from "../context.js";
import type { ContextOf } from "../operations.js";
import { formatBytes } from "../units.js";
import { wholeNumberAtLeast } from "../values.js";
import { withProgress } from "./transfer.js";

interface DownloadFlags {
  maxResumes?: number;
  idleTimeout?: number;
}

export function addDownloadCommand(program: Command, contextOf: ContextOf): void {
  const command = program
    .command("download")
    .summary("Download a presigned URL to a file, resuming after a broken connection")
    .description(
      "Streams a presigned URL (from any operation's result) to a file, created or truncated. After a broken connection it resumes where it stopped (Range and If-Match). The URL is sent to its storage host only, and never shown: errors show it with its signature redacted.",
    )
    .argument("<url>", "the presigned URL")
    .argument("<target>", "the file to write")
    .option("--max-resumes <n>", "Resumes after a broken connection (default 5).", wholeNumberAtLeast(0))
    .option("--idle-timeout <ms>", "Milliseconds without a byte before the connection counts as broken (default 30000).", wholeNumberAtLeast(1));
  command.action(async (url: string, target: string, flags: DownloadFlags) => {
    const context = contextOf(command);
    const result = await withProgress(context, "downloaded", (onProgress) => download(url, target, { ...flags, signal: context.signal, onProgress }));
    const resumed = result.resumes ? ` after ${result.resumes} resume${result.resumes === 1 ? "" : "s"}` : "";
    printResult(context, {
      data: { target, ...result },
      summary: `downloaded ${formatBytes(result.bytes)} (${result.bytes} bytes) to ${target}${resumed}`,
    });
  });
}
