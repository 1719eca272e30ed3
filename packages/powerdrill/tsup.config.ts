import shared from "../../tsup.shared.ts";

// Two entries: the client, and the testing kit (`/testing`: msw handlers), the only one that imports msw.
export default { ...shared, entry: ["src/index.ts", "src/testing.ts"] };
