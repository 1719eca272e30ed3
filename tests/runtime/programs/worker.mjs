// workerd: POST {"baseUrl":…,"credentials":…} to the worker; it answers with the results as JSON.
import { countFetch, errorText, presignAll } from "./calls.mjs";

const counts = { fetch: 0 };
countFetch(counts);

export default {
  async fetch(request) {
    const runtime = `workerd (${navigator.userAgent})`;
    try {
      const { baseUrl, credentials } = await request.json();
      return Response.json({ runtime, ...(await presignAll(baseUrl, credentials)), transport: counts });
    } catch (error) {
      return Response.json({ runtime, urls: {}, errors: { program: errorText(error) }, transport: counts });
    }
  },
};
