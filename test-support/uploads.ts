/**
 * Small helpers the upload tests share: a stream source as a browser or Deno hands it over, and a count of the
 * part PUTs the loopback storage (test-support/storage-server.ts) was answering at once.
 */
import type { StorageServer } from "./storage-server.js";

/** A web ReadableStream of chunks (ReadableStream.from is not in every runtime's types). */
export function webStreamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream({
    pull(controller) {
      if (next < chunks.length) controller.enqueue(chunks[next++]!);
      else controller.close();
    },
  });
}

/** The most part PUTs the storage was answering at once, counted as each one arrives. */
export function peakInFlight(server: StorageServer): () => number {
  let peak = 0;
  const { requests } = server;
  const push = requests.push.bind(requests);
  requests.push = (...records) => {
    const length = push(...records);
    peak = Math.max(peak, requests.filter((r) => r.method === "PUT" && r.status === 0).length);
    return length;
  };
  return () => peak;
}

/** Bytes whose every part differs (the pattern's period is no power of two), so a part sent in the wrong place shows. */
export function patternedBytes(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + (i >> 10)) % 251;
  return bytes;
}
