/**
 * The hand-written workflow commands of each provider, added to its generated command group. A provider without
 * an entry (a new spec) has its operation commands only.
 */
import type { Command } from "commander";
import type { ProviderCommands } from "../model.js";
import type { ContextOf } from "../operations.js";
import { addDatadogWorkflows } from "./datadog.js";
import { addDatalabWorkflows } from "./datalab.js";
import { addPowerdrillWorkflows } from "./powerdrill.js";
import { addSpaazaWorkflows } from "./spaaza.js";

export { addDownloadCommand } from "./download.js";

type AddWorkflows = (group: Command, provider: ProviderCommands, contextOf: ContextOf) => void;

export const workflowsByProvider: Readonly<Record<string, AddWorkflows>> = {
  datadog: addDatadogWorkflows,
  datalab: addDatalabWorkflows,
  powerdrill: addPowerdrillWorkflows,
  spaaza: addSpaazaWorkflows,
};
