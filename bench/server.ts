/**
 * The loopback server for the per-call bench, in a process of its own so its work does not share
 * the measured event loop: scripts/mock-providers.ts (it checks the demo credentials, so a subject
 * that sent the wrong request fails instead of looking fast). Prints its URL, stops when stdin closes.
 */
import { startMockProviders } from "../scripts/mock-providers.ts";

const mock = await startMockProviders();
process.stdout.write(`${mock.url}\n`);
process.stdin.resume();
process.stdin.on("end", () => process.exit(0));
process.on("SIGTERM", () => process.exit(0));
