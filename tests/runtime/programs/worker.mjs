// workerd: POST {"baseUrl":…,"calls":[…]} to the worker; it answers with the results as JSON.
import { countFetch, errorText, presignAll } from "./calls.mjs";

const counts = { fetch: 0 };
countFetch(counts);

export default {
  async fetch(request) {
    const runtime = `workerd (${navigator.userAgent})`;
    try {
      const { baseUrl, calls } = await request.json();
      return Response.json({ runtime, ...(await presignAll(baseUrl, calls)), transport: counts });
    } catch (error) {
      return Response.json({ runtime, urls: {}, errors: { program: errorText(error) }, transport: counts });
    }
  },
};
