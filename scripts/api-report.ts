/**
 * `pnpm api:check` / `pnpm api:report`: @presign/core's public API against etc/core.api.md, through API Extractor's
 * Node API rather than its command line, whose banner is in colour codes even off a terminal.
 * `--local` rewrites the report instead of failing on a difference.
 */
import { Extractor, ExtractorConfig, type ExtractorMessage } from "@microsoft/api-extractor";

const localBuild = process.argv.includes("--local");
const config = ExtractorConfig.loadFileAndPrepare("packages/core/api-extractor.json");
/** Its messages, printed here in plain text (its own printer colours them). */
function print(message: ExtractorMessage): void {
  message.handled = true;
  if (message.logLevel === "none" || message.logLevel === "verbose") return;
  const line = message.logLevel === "info" ? message.text : `${message.logLevel}: ${message.formatMessageWithLocation(process.cwd())}`;
  (message.logLevel === "info" ? console.log : console.error)(line);
}

const result = Extractor.invoke(config, { localBuild, messageCallback: print });
if (result.succeeded) {
  console.log(`API report ${localBuild ? "written" : "up to date"}: packages/core/etc/core.api.md`);
} else {
  console.error(
    `The public API of @presign/core differs from packages/core/etc/core.api.md (${result.errorCount} errors, ${result.warningCount} warnings).`,
  );
  console.error("If the change is intended, run `npx -y pnpm@10.34.9 api:report` and commit the report.");
  process.exitCode = 1;
}
