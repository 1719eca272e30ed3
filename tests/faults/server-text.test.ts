/**
 * Every string that came from the server is redacted before it reaches an error or the debug log:
 * the reason phrase, request and trace ids, bodies that echo a credential raw, URL-encoded or in
 * base64, and the causes of network errors (node's parser errors carry the raw packet). A base URL
 * with a user name and password is refused without echoing the password. Every provider, both senders.
 */
import { inspect } from "node:util";
import { ConnectionError, InvalidRequestError, type PresignError } from "@presign/core";
import { describe, expect, it } from "vitest";
import { errorBody, expectNoSecrets, failOnEscapes, failure, json, matrix, PRESIGNED, type Step, scriptedServer } from "./harness.ts";

const api = scriptedServer();
failOnEscapes();

/** Everything a user could print of an error, and the debug log. */
const shown = (error: PresignError, log: string[]) => [
  String(error),
  error.message,
  error.stack ?? "",
  JSON.stringify(error),
  inspect(error, { depth: 10, showHidden: true }),
  ...log,
];

const base64 = (text: string) => Buffer.from(text).toString("base64");

describe.each(matrix)("$name over $sender: server-sent text is redacted", (p) => {
  const log: string[] = [];
  const create = (options: object = {}) => {
    log.length = 0;
    return p.create(api.baseUrl, { ...p.senderOptions, debug: (line: string) => log.push(line), maxRetries: 0, ...options });
  };
  const echo = `key ${p.secrets.join(" ")} url ${PRESIGNED}`;

  it("redacts a reason phrase that echoes the keys and a presigned URL (empty body)", async () => {
    api.script = [(_req, res) => res.writeHead(400, `Rejected ${echo}`).end()];
    const error = await failure(p.call(create()));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.message).toContain("Rejected key [REDACTED]");
    expectNoSecrets(shown(error, log), p.secrets);
  });

  it("redacts request and trace ids that echo a key", async () => {
    const headers = { "x-request-id": `req-${p.secrets[0]}`, "x-pd-trace-id": `trace-${p.secrets[0]}` };
    api.script = [json(404, errorBody(p, 404, "gone"), headers)];
    const error = await failure(p.call(create()));
    expect(error.requestId).toMatch(/^(req|trace)-\[REDACTED\]$/);
    expectNoSecrets(shown(error, log), p.secrets);
  });

  it("redacts a body that echoes a key in base64, alone or inside a longer encoded text", async () => {
    const encoded = p.secrets.flatMap((secret) => [base64(secret), base64(`{"auth":"${secret}"}`), Buffer.from(`x${secret}`).toString("base64url")]);
    const text = `token ${encoded.join(" ")}`;
    api.script = [json(403, errorBody(p, 403, text))];
    const error = await failure(p.call(create()));
    expect(error.messages.join(" ")).toContain("[REDACTED]");
    const all = shown(error, log).join("\n");
    for (const secret of p.secrets) {
      // The middle of each encoding is what depends on the secret alone.
      for (const prefix of ["", '{"auth":"', "x"]) {
        const form = Buffer.from(prefix + secret).toString("base64");
        expect(all).not.toContain(form.slice(Math.ceil((prefix.length * 4) / 3) + 1, -4));
      }
    }
  });

  it("keeps no raw packet in the cause of a parser error whose response echoes the keys", async () => {
    const malformed: Step = (req) =>
      req.socket.end(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Echo: ${p.secrets.join(",")}\r\nBad\x01Header: ${PRESIGNED}\r\n\r\n{}`);
    api.script = [malformed];
    const error = await failure(p.call(create()));
    expect(error).toBeInstanceOf(ConnectionError);
    const text = shown(error, log).join("\n");
    expect(text).not.toContain("<Buffer");
    expect(text).not.toContain("rawPacket");
    expectNoSecrets([text], p.secrets);
  });

  it("refuses a base URL with a user name and password, without echoing the password, before any request", () => {
    const baseUrl = api.baseUrl.replace("http://", "http://admin:hunter2-password@");
    let error: unknown;
    try {
      p.create(baseUrl, p.senderOptions);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(String(error)).toMatch(/baseUrl must not contain a user name or password/);
    expect(shown(error as PresignError, []).join("\n")).not.toContain("hunter2-password");
    expect(api.arrivals).toHaveLength(0);
  });
});
