// Preloaded into each Prism process (NODE_OPTIONS=--require) by prism-mock.ts. The test process
// holds this process's stdin open and never writes to it; end of file means the test process is
// gone, even if it was SIGKILLed and never ran its cleanup, so Prism exits instead of lingering
// as an orphan that keeps its port.
process.stdin.on("end", () => process.exit(0));
process.stdin.on("error", () => process.exit(0));
process.stdin.resume();
