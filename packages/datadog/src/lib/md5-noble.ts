/**
 * MD5 of a Blob where node:crypto is missing (browsers, workers): @noble/hashes, fed chunk by chunk as the Blob
 * streams, so at most one part is read and never held whole. Web Crypto has no MD5.
 */
import { md5 } from "@noble/hashes/legacy.js";

/** The base64 MD5 of a Blob's bytes, as Content-MD5 carries it. */
export async function md5Base64(blob: Blob): Promise<string> {
  const hash = md5.create();
  const reader = blob.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return btoa(String.fromCharCode(...hash.digest()));
    hash.update(value);
  }
}
