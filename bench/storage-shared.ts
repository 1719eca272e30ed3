/** What the storage-leg processes agree on: the fake Datadog credentials, and the messages between them. */

export const API_KEY = "0123456789abcdef0123456789abcdef";
export const APP_KEY = "fedcba9876543210fedcba9876543210fedcba98";
export const PUBLIC_ID = "abc-def-123";
export const BUCKET_KEY_PREFIX = "api-upload-file";
export const MiB = 1024 * 1024;

/** What the orchestrator asks the host (bench/storage-host.ts). */
export type HostQuestion = { type: "seed"; key: string; size: number } | { type: "presignGet"; key: string } | { type: "uploads" };

/** A question on the wire: its id comes back with the answer. */
export type HostRequest = HostQuestion & { id: number };

export type HostAnswer = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

/** Every upload the fake API completed, and the multipart uploads left open (orphans). */
export interface UploadsReport {
  completed: { key: string; etag: string; bytes: number }[];
  open: number;
}

export type Workload = "download" | "upload";
export type Side = "presign" | "raw";

/** One measured run, given to bench/storage-side.ts as JSON in argv. */
export interface SideJob {
  workload: Workload;
  side: Side;
  /** download: the presigned GET URL. upload: the fake Datadog API's origin. */
  url: string;
  /** download: where to write. upload: the file to send. */
  file: string;
  partSize: number;
  concurrency: number;
}

/** What a measured run prints: its wall time and its process's resident memory, before and at the peak. */
export interface SideResult {
  ms: number;
  bytes: number;
  rssBaseline: number;
  rssPeak: number;
  samples: number;
  /** upload: the bucketKey it got back. */
  bucketKey?: string;
}
