/**
 * The parts of Node's streams that the storage leg's public types name, written out so that a project
 * without Node's types (a browser app) can still typecheck them. Node's Writable and Readable fit.
 */

/** A Node Writable, such as `fs.createWriteStream(path)` or `process.stdout`. */
export interface NodeWritableLike {
  write(chunk: Uint8Array): boolean;
  end(): unknown;
  once(event: string, listener: () => void): unknown;
}

/** A Node Readable, such as `fs.createReadStream(path)`. */
export interface NodeReadableLike extends AsyncIterable<Uint8Array | string> {
  pipe(...args: never[]): unknown;
}
