// The bytes the storage programs upload: the same on every runtime and in the test that checks them, without
// sending 11 MiB through argv or a page. Not all one value, so a part stored in the wrong place shows.

/** `size` bytes from xorshift32 seeded with `seed` (a non-zero 32-bit integer). */
export function patternBytes(size, seed) {
  const bytes = new Uint8Array(size);
  let state = seed >>> 0 || 1;
  for (let index = 0; index < size; index++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    bytes[index] = state & 0xff;
  }
  return bytes;
}
