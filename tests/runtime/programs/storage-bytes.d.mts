/** `size` bytes from xorshift32 seeded with `seed` (a non-zero 32-bit integer): see storage-bytes.mjs. */
export function patternBytes(size: number, seed: number): Uint8Array;
