import { mergeConfig } from "vitest/config";
import shared from "../../vitest.shared.ts";

// Tests run the sources; `#send` would otherwise resolve to the built Node transport.
export default mergeConfig(shared, { resolve: { alias: { "#send": new URL("./src/send-node.ts", import.meta.url).pathname } } });
