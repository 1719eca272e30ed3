import shared from "../../tsup.shared.ts";

// The transport is chosen when the package loads: `#send` resolves to node:http on Node and to
// fetch elsewhere (package.json "imports"), so it stays outside the main bundle.
export default { ...shared, entry: ["src/index.ts", "src/send-node.ts", "src/send-fetch.ts"], external: ["#send"] };
