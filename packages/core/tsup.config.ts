import shared from "../../tsup.shared.ts";

// Three entries: the public API, the internal one generated code uses, and the testing kit (msw handlers'
// building blocks, faults, the loopback storage server), the only one that imports msw. The transport is chosen
// when the package loads: `#send` resolves to node:http on Node and to fetch elsewhere
// (package.json "imports"), so it stays outside both bundles.
// Split chunks in CommonJS too: both entries must share one copy of the error classes, or
// `instanceof` would fail for an error made behind "internal" and checked against the public class.
export default {
  ...shared,
  // Named entries: the testing kit's `src/testing/index.ts` builds to dist/testing.js.
  entry: {
    index: "src/index.ts",
    internal: "src/internal.ts",
    testing: "src/testing/index.ts",
    "send-node": "src/send-node.ts",
    "send-fetch": "src/send-fetch.ts",
  },
  external: ["#send"],
  splitting: true,
  // The storage leg imports node:fs inside the functions that take a file path; Deno resolves only the
  // prefixed name, and a browser bundler must see it is a Node built-in, so the prefix stays.
  removeNodeProtocol: false,
};
