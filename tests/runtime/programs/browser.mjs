// Chromium: the page exposes `presignMatrix(baseUrl, calls)`, which the test calls through playwright.
import { countFetch, errorText, presignAll } from "./calls.mjs";

const counts = { fetch: 0 };
countFetch(counts);
globalThis.presignMatrix = async (baseUrl, calls) => {
  try {
    return { runtime: navigator.userAgent, ...(await presignAll(baseUrl, calls)), transport: counts };
  } catch (error) {
    return { runtime: navigator.userAgent, urls: {}, errors: { program: errorText(error) }, transport: counts };
  }
};
