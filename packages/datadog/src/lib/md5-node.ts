/**
 * MD5 of a Blob with the runtime's own hash (node:crypto on Node, Bun and Deno), chosen through package.json
 * "imports" (`#md5`), so a browser bundle never sees node:crypto. The Blob is streamed: one chunk in memory at a time.
 */
import { createHash } from "node:crypto";

/** The base64 MD5 of a Blob's bytes, as Content-MD5 carries it. */
export async function md5Base64(blob: Blob): Promise<string> {
  const hash = createHash("md5");
  const reader = blob.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return hash.digest("base64");
    hash.update(value);
  }
}
