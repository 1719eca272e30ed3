/**
 * Spaaza's export flow in one call: create an export task, run it now, poll it until it is DONE or
 * ERROR, get the presigned URL of its file and, if asked, download the file.
 */
import {
  AbortedError,
  type DownloadResult,
  type DownloadTarget,
  download,
  InvalidRequestError,
  MalformedResponseError,
  type PresignedUrl,
  presigned,
  TaskFailedError,
  TimeoutError,
  type TransferProgress,
} from "@presign/core";
import { redactorOf } from "@presign/core/internal";
import type { SpaazaClient } from "../generated/client.js";
import { Deadline } from "./deadline.js";
import { logLinesOf } from "./task-logs.js";

/** The indexes Spaaza can export. */
export const EXPORT_INDEXES = ["transactions", "users", "vouchers", "wallet-ledger", "products", "product-variants"] as const;
export type ExportIndex = (typeof EXPORT_INDEXES)[number];
export type ExportFormat = "csv" | "json";

type CreateTaskInput = Parameters<SpaazaClient["createTask"]>[0];
/** A Spaaza task as `getTask` returns it. */
export type SpaazaTask = Awaited<ReturnType<SpaazaClient["getTask"]>>;

export interface ExportTaskOptions {
  /** The chain whose data is exported. */
  chain: CreateTaskInput["chain"];
  /** What to export. */
  index: ExportIndex;
  format: ExportFormat;
  /** The task's description, shown in Spaaza (default: "presign export of <index>"). */
  desc?: string;
  /** An inline segment that filters the exported records, in Spaaza's segment format (give this or `segmentId`, not both). */
  segment?: CreateTaskInput["trigger"]["segment"];
  /** The id of a segment saved in Spaaza's Console (seen in the URL of that segment). */
  segmentId?: string | number;
  /** Sent as `X-Spaaza-API-Version` on every call. */
  apiVersion?: string;
  /**
   * Milliseconds from the call until the task is DONE and its URL is in hand (default 600 000): past
   * it, a TimeoutError naming the task. The download, if any, is not counted: it has its own idle timeout.
   */
  timeout?: number;
  /** Milliseconds before the first poll (default 1 000); each next wait is 1.5 times longer, up to 15 s. */
  pollInterval?: number;
  /** Aborts the export at once, mid-wait included, with an AbortedError; and the download. */
  signal?: AbortSignal;
  /** Where to download the exported file: a file path (Node), a WritableStream or a Node writable stream. */
  download?: DownloadTarget;
  /** Progress of the download. */
  onProgress?: (progress: TransferProgress) => void;
  /** The fetch the download is sent with (default: the global one); the API calls use the client's. */
  fetch?: typeof fetch;
}

export interface ExportTaskResult {
  /** The task as the last poll saw it: in state DONE. */
  task: SpaazaTask;
  /** The presigned URL of the exported file; its expiry is the URL's own, else Spaaza's documented hour. */
  url: PresignedUrl;
  /** What was downloaded, when `download` was given. */
  download?: DownloadResult;
}

const PROVIDER = "spaaza";
const DEFAULT_TIMEOUT = 10 * 60_000;
const FIRST_POLL = 1_000;
const POLL_GROWTH = 1.5;
const LONGEST_POLL = 15_000;
/** setTimeout cannot wait longer (it would fire at once). */
const MAX_TIMER = 2 ** 31 - 1;

/**
 * Exports an index of a chain: creates the task, executes it, waits until it is DONE and returns its
 * download URL, and downloads the file when `download` is given (re-fetching the URL if it expires).
 * Rejects with a TaskFailedError (the task's logs) when the task ends in ERROR, a TimeoutError past
 * `timeout`, an AbortedError when `signal` fires, and an InvalidRequestError before any call for bad input.
 */
export async function exportTask(client: SpaazaClient, options: ExportTaskOptions): Promise<ExportTaskResult> {
  checkInput(client, options);
  const timeout = options.timeout ?? DEFAULT_TIMEOUT;
  const run: ExportRun = { client, options, deadline: new Deadline(timeout, options.signal) };
  let finished: ExportTaskResult;
  try {
    finished = await finishTask(run);
  } catch (error) {
    throw failureOf(error, run, timeout);
  } finally {
    run.deadline.dispose();
  }
  if (options.download === undefined) return finished;
  return { ...finished, download: await downloadFile(run, finished) };
}

/** One export in progress: what every step needs, and what is known so far (for the messages of errors). */
interface ExportRun {
  client: SpaazaClient;
  options: ExportTaskOptions;
  deadline: Deadline;
  taskId?: number;
  state?: string;
}

/** Creates and executes the task, waits until it is DONE, and gets its URL. */
async function finishTask(run: ExportRun): Promise<ExportTaskResult> {
  const { client, deadline } = run;
  const created = await client.createTask(withVersion(run, exportTaskBody(run.options)), { signal: deadline.signal });
  const id = taskIdOf(created, client.baseUrl);
  run.taskId = id;
  run.state = stateOf(created);
  const executed = await client.executeTask(withVersion(run, { id }), { signal: deadline.signal });
  run.state = stateOf({ state: executed });
  const task = await pollUntilFinished(run, id);
  const url = presigned(await client.getTaskDownloadUrl(withVersion(run, { id }), { signal: deadline.signal }));
  return { task, url };
}

/** The body of an export task that runs once, now. */
function exportTaskBody(options: ExportTaskOptions): CreateTaskInput {
  const { chain, index, format, desc } = options;
  return {
    chain,
    desc: desc ?? `presign export of ${index}`,
    target: { action: "export", export_index: index, export_format: format },
    trigger: triggerOf(options),
  };
}

/** Now, for the records of the segment given, if any (Spaaza takes a segment inline or by id, not both). */
function triggerOf({ segment, segmentId }: ExportTaskOptions): CreateTaskInput["trigger"] {
  const trigger: CreateTaskInput["trigger"] = { once: new Date().toISOString() };
  if (segment !== undefined) trigger.segment = segment;
  if (segmentId !== undefined) trigger.segment_id = segmentId;
  return trigger;
}

/** Polls the task until it is DONE (returned) or ERROR (thrown as a TaskFailedError). */
async function pollUntilFinished(run: ExportRun, id: number): Promise<SpaazaTask> {
  const waits = pollWaits(run.options.pollInterval ?? FIRST_POLL, isFinished(run.state));
  for (;;) {
    await run.deadline.sleep(waits.next().value);
    const task = await run.client.getTask(withVersion(run, { id }), { signal: run.deadline.signal });
    run.state = stateOf(task);
    if (run.state === "DONE") return task;
    if (run.state === "ERROR") throw taskFailedError(run, id, task);
  }
}

/**
 * The wait before each poll: `first`, then 1.5 times longer each time, up to 15 s (or `first` if longer).
 * When execute already said the task finished, the first poll is at once: it only fetches the task and its logs.
 */
function* pollWaits(first: number, finished: boolean): Generator<number, never> {
  if (finished) yield 0;
  const longest = Math.max(first, LONGEST_POLL);
  for (let wait = first; ; wait = Math.min(Math.round(wait * POLL_GROWTH), longest)) yield wait;
}

/** Streams the file to the target; an expired URL is replaced by a fresh one from Spaaza. */
function downloadFile(run: ExportRun, finished: ExportTaskResult): Promise<DownloadResult> {
  const { client, options } = run;
  const id = run.taskId!;
  const refresh = async () => presigned(await client.getTaskDownloadUrl(withVersion(run, { id }), { signal: options.signal }));
  const { signal, onProgress, fetch } = options;
  return download(finished.url, options.download!, { signal, onProgress, fetch, refresh });
}

/** An input with the API version the caller asked for. */
function withVersion<T extends object>(run: ExportRun, input: T): T & { apiVersion?: string } {
  const { apiVersion } = run.options;
  return apiVersion === undefined ? input : { ...input, apiVersion };
}

/** The id of the task just created; a server that gives none (or a strange one) cannot be polled. */
function taskIdOf(task: { id?: unknown }, baseUrl: string): number {
  const { id } = task;
  if (typeof id === "number" && Number.isSafeInteger(id) && id > 0) return id;
  throw new MalformedResponseError(`${PROVIDER}: the created task has no usable id`, { provider: PROVIDER, request: `POST ${baseUrl}/tasks` });
}

const isFinished = (state: string | undefined) => state === "DONE" || state === "ERROR";

function stateOf(task: { state?: { code?: unknown } }): string | undefined {
  const code = task.state?.code;
  return typeof code === "string" ? code : undefined;
}

/** The error of a task that ended in ERROR. Its logs may quote anything: the client's secrets and URL signatures go, each line is cut to an excerpt. */
function taskFailedError(run: ExportRun, id: number, task: { logs?: unknown }): TaskFailedError {
  const logs = logLinesOf(task.logs, redactorOf(run.client));
  const last = logs.at(-1);
  const request = `GET ${run.client.baseUrl}/tasks/${id}`;
  return new TaskFailedError(`${PROVIDER}: export task ${id} ended in ERROR${last ? `: ${last}` : ""}`, { provider: PROVIDER, logs, request });
}

/** The error the caller sees: a deadline or abort wins over the error it caused (an aborted call). */
function failureOf(error: unknown, run: ExportRun, timeout: number): unknown {
  const where = run.taskId === undefined ? "no task created yet" : `task ${run.taskId}, last state ${run.state ?? "unknown"}`;
  switch (run.deadline.ending) {
    case "expired":
      return new TimeoutError(`${PROVIDER}: the export did not finish within ${timeout} ms (${where})`, { provider: PROVIDER });
    case "aborted":
      if (error instanceof AbortedError) return error;
      return new AbortedError(`${PROVIDER}: the export was aborted (${where})`, { provider: PROVIDER, cause: run.options.signal?.reason });
    default:
      return error;
  }
}

/** Refuses bad input before any call, naming every problem. */
function checkInput(client: SpaazaClient, options: ExportTaskOptions): void {
  const problems = inputProblems(client, options);
  if (problems.length) throw new InvalidRequestError(`${PROVIDER}: ${problems.join("; ")}`, { provider: PROVIDER });
}

function inputProblems(client: SpaazaClient, options: ExportTaskOptions): string[] {
  const problems: string[] = [];
  if (typeof client?.createTask !== "function") problems.push("client: expected a client made by createSpaazaClient");
  if (typeof options !== "object" || options === null) return [...problems, "options: expected an object"];
  const { index, format, segment, segmentId, timeout, pollInterval, signal, onProgress } = options;
  if (!EXPORT_INDEXES.includes(index)) problems.push(`index: expected one of ${EXPORT_INDEXES.join(", ")}`);
  if (format !== "csv" && format !== "json") problems.push('format: expected "csv" or "json"');
  if (segment !== undefined && segmentId !== undefined) problems.push("segment, segmentId: give one of them, not both");
  if (timeout !== undefined && !isTimerMs(timeout)) problems.push(`timeout: expected milliseconds from 1 to ${MAX_TIMER}`);
  if (pollInterval !== undefined && !isTimerMs(pollInterval)) problems.push(`pollInterval: expected milliseconds from 1 to ${MAX_TIMER}`);
  if (signal !== undefined && !isAbortSignal(signal)) problems.push("signal: expected an AbortSignal");
  if (options.download !== undefined && !isDownloadTarget(options.download)) {
    problems.push("download: expected a file path, a WritableStream or a Node writable stream");
  }
  if (onProgress !== undefined && typeof onProgress !== "function") problems.push("onProgress: expected a function");
  if (options.fetch !== undefined && typeof options.fetch !== "function") problems.push("fetch: expected a function");
  return problems;
}

const isTimerMs = (ms: unknown) => typeof ms === "number" && ms >= 1 && ms <= MAX_TIMER;

const isAbortSignal = (signal: unknown) =>
  typeof signal === "object" && signal !== null && typeof (signal as AbortSignal).aborted === "boolean" && "addEventListener" in signal;

/** What download() takes, checked now rather than when the download starts: by then the export has run for minutes. */
function isDownloadTarget(target: unknown): boolean {
  if (typeof target === "string") return target !== "";
  if (typeof target !== "object" || target === null) return false;
  const { getWriter, write, once } = target as Partial<WritableStream & NodeJS.WritableStream>;
  return typeof getWriter === "function" || (typeof write === "function" && typeof once === "function");
}
