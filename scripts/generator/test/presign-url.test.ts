/**
 * `x-presign-url`: where an operation's presigned URL (or part URLs) sit in its success body, read
 * into the model and the runtime definition; every pointer checked against the spec's examples, and
 * every mistake reported by spec file and JSON pointer.
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { runtimeDefinition } from "../src/emit/client.js";
import { buildIR } from "../src/ir/build.js";
import { acme, problemsOf } from "./helpers.js";

// biome-ignore lint/suspicious/noExplicitAny: a spec under test is edited as plain JSON.
type Spec = Record<string, any>;

const getUrl = "specs/acme.yaml#/paths/~1files~1{file_id}/get/x-presign-url";
const upload = "specs/acme.yaml#/paths/~1uploads/post/x-presign-url";
const multipart = "specs/acme.yaml#/paths/~1multipart/post/x-presign-url";

const operation = (id: string, change?: (spec: Spec) => void) => acme(change).operations.find((op) => op.id === id)!;

/** startUpload answering a list of part URLs, with an example of its request and of its answer. */
function partList(spec: Spec, presign: object): void {
  const post = spec.paths["/uploads"].post;
  post.requestBody.content["application/json"].example = { name: "report.pdf", size: 12 };
  post.responses["200"].content["application/json"].example = {
    url: "https://files.acme.test/uploads/7",
    parts: [
      { n: 1, href: "https://files.acme.test/uploads/7?part=1&sig=opaque", bytes: 8 },
      { n: 2, href: "https://files.acme.test/uploads/7?part=2&sig=opaque", bytes: 4 },
    ],
  };
  post["x-presign-url"] = presign;
}

/** A multipart start whose answer maps part numbers to URLs, each part's MD5 declared in the request (Datadog's shape). */
function partMap(spec: Spec, presign: object): void {
  spec.paths["/multipart"] = {
    post: {
      operationId: "startMultipart",
      "x-presign-url": presign,
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: {
              type: "object",
              additionalProperties: false,
              properties: { parts: { type: "array", items: { type: "object", properties: { n: { type: "integer" }, md5: { type: "string" } } } } },
            },
            example: {
              parts: [
                { n: 1, md5: "1B2M2Y8AsgTpgAmY7PhCfg==" },
                { n: 2, md5: "XrY7u+Ae7tCTyyK7j1rNww==" },
              ],
            },
          },
        },
      },
      responses: {
        "200": {
          description: "The part URLs.",
          content: {
            "application/json": {
              schema: { type: "object" },
              example: { urls: { "1": "https://files.acme.test/m/1?sig=a", "2": "https://files.acme.test/m/2?sig=b" } },
            },
          },
        },
      },
    },
  };
}

describe("x-presign-url is read", () => {
  it("into the model and the runtime definition, and only for the operations that have it", () => {
    const expected = { method: "GET", url: "/url", expiresAt: "/expires_at" };
    expect(operation("get_file_url").presigned).toEqual(expected);
    expect(runtimeDefinition(acme()).operations.getFileUrl).toMatchObject({ presigned: expected });
    expect(operation("startUpload").presigned).toBeUndefined();
    expect(runtimeDefinition(acme()).operations.startUpload).not.toHaveProperty("presigned");
  });

  it("with part URLs in a list, a documented lifetime and headers taken from the request body", () => {
    const presign = {
      method: "PUT",
      parts: { at: "/parts", number: "n", url: "href", size: "bytes" },
      lifetime: 900,
      headers: { "X-Acme-Name": "/name" },
    };
    expect(operation("startUpload", (spec) => partList(spec, presign)).presigned).toEqual(presign);
  });

  it("with part URLs in a map keyed by part number, each part's headers taken from the request's list of parts", () => {
    const presign = { method: "PUT", parts: { at: "/urls" }, partHeaders: { at: "/parts", number: "n", headers: { "Content-MD5": "md5" } } };
    expect(operation("startMultipart", (spec) => partMap(spec, presign)).presigned).toEqual(presign);
  });

  it("in the same key order whatever the spec's order, so a definition does not move with it", () => {
    const presign = operation("get_file_url", (spec) => {
      spec.paths["/files/{file_id}"].get["x-presign-url"] = { expiresAt: "/expires_at", url: "/url", method: "GET" };
    }).presigned;
    expect(Object.keys(presign!)).toEqual(["method", "url", "expiresAt"]);
  });
});

describe("a mistake in x-presign-url is a problem naming the spec and the pointer", () => {
  const setGet = (value: unknown) => (spec: Spec) => {
    spec.paths["/files/{file_id}"].get["x-presign-url"] = value;
  };

  it("not an object", () => {
    expect(problemsOf(setGet("/url"))).toEqual([`${getUrl}: x-presign-url must be an object: { method, url | parts, … }`]);
  });

  it("an unknown key, a method other than GET or PUT, both url and parts", () => {
    const problems = problemsOf(setGet({ method: "POST", url: "/url", parts: { at: "/url" }, expires: 60 }));
    expect(problems).toEqual([
      `${getUrl}: unknown key "expires" (known: method, url, parts, expiresAt, expiresIn, lifetime, headers, partHeaders)`,
      `${getUrl}: x-presign-url has both \`url\` and \`parts\`: give one`,
      `${getUrl}/method: must be GET or PUT: the method the URL is signed for`,
      `${getUrl}/parts/at: "/url" is the string "https://files.acme.test/1?sig=opaque" in the success response's example, not a list of parts or a map keyed by part number`,
    ]);
  });

  it("neither url nor parts", () => {
    expect(problemsOf(setGet({ method: "GET", lifetime: 60 }))).toEqual([
      `${getUrl}: x-presign-url needs \`url\` (one URL) or \`parts\` (part URLs)`,
    ]);
  });

  it("a pointer that is not one, one that finds nothing in the example, one that finds the wrong kind of value", () => {
    expect(problemsOf(setGet({ method: "GET", url: "url" }))).toEqual([`${getUrl}/url: must be a JSON pointer (RFC 6901), such as "/url"`]);
    expect(problemsOf(setGet({ method: "GET", url: "/link" }))).toEqual([`${getUrl}/url: "/link" finds nothing in the success response's example`]);
    expect(problemsOf(setGet({ method: "GET", url: "/expires_at", expiresAt: "/url", expiresIn: "/url" }))).toEqual([
      `${getUrl}/url: "/expires_at" is the string "2030-01-01T00:00:00Z" in the success response's example, not an http(s) URL`,
      `${getUrl}/expiresAt: "/url" is the string "https://files.acme.test/1?sig=opaque" in the success response's example, not a date-time`,
      `${getUrl}/expiresIn: "/url" is the string "https://files.acme.test/1?sig=opaque" in the success response's example, not a number of seconds`,
    ]);
  });

  it("a lifetime that is not a positive number of seconds", () => {
    expect(problemsOf(setGet({ method: "GET", url: "/url", lifetime: 0 }))).toEqual([`${getUrl}/lifetime: must be a positive number of seconds`]);
  });

  it("pointers with no example to check them against", () => {
    const problems = problemsOf((spec) => {
      spec.paths["/uploads"].post["x-presign-url"] = { method: "PUT", url: "/url", headers: { "Content-Type": "/name" } };
    });
    expect(problems).toEqual([
      `${upload}/url: cannot be checked: the success response has no example (add one)`,
      `${upload}/headers/Content-Type: cannot be checked: the request body has no example (add one)`,
    ]);
  });

  it("a header that is no header name, or whose pointer finds no string in the request's example", () => {
    const problems = problemsOf((spec) =>
      partList(spec, { method: "PUT", url: "/url", headers: { "Bad Header": "/name", "X-Size": "/size", "X-Missing": "/type" } }),
    );
    expect(problems).toEqual([
      `${upload}/headers/Bad Header: is not an HTTP header name`,
      `${upload}/headers/X-Size: "/size" is the number 12 in the request body's example, not a header value (a string)`,
      `${upload}/headers/X-Missing: "/type" finds nothing in the request body's example`,
    ]);
  });

  it("a list of parts without the names of its fields, or whose items lack them", () => {
    expect(problemsOf((spec) => partList(spec, { method: "PUT", parts: { at: "/parts" } }))).toEqual([
      `${upload}/parts: a list of parts needs \`number\` and \`url\`: the names of each item's part number and URL`,
    ]);
    expect(problemsOf((spec) => partList(spec, { method: "PUT", parts: { at: "/parts", number: "number", url: "href", size: "n" } }))).toEqual([
      `${upload}/parts/at: in the success response's example, part 0: number is not a part number`,
      `${upload}/parts/at: in the success response's example, part 1: number is not a part number`,
    ]);
  });

  it("a map of parts given field names, and per-part headers without parts or with items that lack them", () => {
    expect(problemsOf((spec) => partMap(spec, { method: "PUT", parts: { at: "/urls", url: "href" } }))).toEqual([
      `${multipart}/parts: names fields of each part, but \`at\` finds a map keyed by part number: leave out number, url and size`,
    ]);
    expect(
      problemsOf((spec) =>
        partMap(spec, { method: "PUT", url: "/urls/1", partHeaders: { at: "/parts", number: "n", headers: { "Content-MD5": "sha" } } }),
      ),
    ).toEqual([
      `${multipart}/partHeaders: goes with \`parts\` only`,
      `${multipart}/partHeaders/at: in the request body's example, part 0: sha is not a header value`,
      `${multipart}/partHeaders/at: in the request body's example, part 1: sha is not a header value`,
    ]);
  });
});

describe("the project's specs", () => {
  const dir = join(import.meta.dirname, "../../../specs");
  const specs = readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .map((file) => buildIR(readFileSync(join(dir, file), "utf8"), `specs/${file}`, basename(file, ".yaml")));

  it("say where every URL an operation hands out sits, and how it is signed", () => {
    const presigning = Object.fromEntries(
      specs.map((api) => [api.provider, api.operations.filter((op) => op.presigned).map((op) => `${op.methodName} ${op.presigned!.method}`)]),
    );
    expect(presigning).toEqual({
      datadog: ["getTestFileDownloadUrl GET", "getTestFileMultipartPresignedUrls PUT"],
      datalab: ["getFileDownloadUrl GET", "createFileUpload PUT"],
      powerdrill: ["presignDataSource GET", "initMultipartUpload PUT"],
      spaaza: ["getTaskDownloadUrl GET"],
    });
  });
});
