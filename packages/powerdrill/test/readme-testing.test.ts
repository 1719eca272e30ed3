// The README's "## Testing" example, run as the README shows it (its tests join this file's).
import { join } from "node:path";
import { runReadmeBlock } from "../../../test-support/readme-examples.js";

await runReadmeBlock(join(import.meta.dirname, ".."), "Testing");
