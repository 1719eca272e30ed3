// Chromium: the page exposes `presignStorage(payload)`, which the test calls through playwright (see storage-run.mjs).
import { describeError, runStorage } from "./storage-run.mjs";

globalThis.presignStorage = async (payload) => {
  try {
    return { runtime: navigator.userAgent, ...(await runStorage(payload)) };
  } catch (error) {
    return { runtime: navigator.userAgent, program: describeError(error) };
  }
};
