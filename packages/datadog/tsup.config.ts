import shared from "../../tsup.shared.ts";

// `#md5` (package.json "imports") is chosen when the package loads: node:crypto on Node, Bun and Deno, @noble/hashes
// elsewhere. Each is an entry of its own and stays outside the index bundle, so a browser never sees node:crypto.
// `testing` is the testing kit (`/testing`: msw handlers), the only entry that imports msw.
export default {
  ...shared,
  entry: { index: "src/index.ts", testing: "src/testing.ts", "md5-node": "src/lib/md5-node.ts", "md5-noble": "src/lib/md5-noble.ts" },
  external: ["#md5"],
};
