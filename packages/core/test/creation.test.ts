import { describe, expect, it } from "vitest";
import type { ApiDefinition } from "../src/internal.js";
import { client, definition, expectInvalid, make, profile, SECRET } from "./helpers.js";

/** The test API with an open `site` variable. */
const open: ApiDefinition = { ...definition, server: { url: "https://api.{site}", variables: { site: { default: "example.com" } } } };

describe("the server a client talks to", () => {
  it("accepts https, and plain http only on loopback hosts or with allowInsecureHttp", () => {
    expect(client().baseUrl).toBe("https://api.example.com");
    expect(client({ site: "example.eu" }).baseUrl).toBe("https://api.example.eu");
    for (const baseUrl of ["http://127.0.0.1:8080", "http://localhost:1/", "http://[::1]:9"]) expect(() => client({ baseUrl })).not.toThrow();
    expectInvalid(() => client({ baseUrl: "http://api.example.com" }), /must use https/);
    expectInvalid(() => client({ baseUrl: "ftp://x" }), /must use https/);
    expectInvalid(() => client({ baseUrl: "not a url" }), /not an absolute URL/);
    expect(client({ baseUrl: "http://proxy.internal", allowInsecureHttp: true }).baseUrl).toBe("http://proxy.internal");
  });

  it("refuses a base URL with a user name or password, without echoing them", () => {
    expectInvalid(() => client({ baseUrl: `https://admin:${SECRET}@api.example.com` }), /must not contain a user name or password/);
    expectInvalid(() => client({ baseUrl: `https://${SECRET}@api.example.com` }), /must not contain a user name or password/);
  });

  it("refuses an unknown server variable value", () => {
    expectInvalid(() => client({ site: "evil.com" }), /unknown site "evil.com": expected one of example.com, example.eu/);
  });

  it("refuses server variable values that could move the host", () => {
    for (const site of ["evil.example#", "https://x.example", "x.example/path?", "a@b.example"]) {
      expectInvalid(() => make(open, profile, { site }), /site must be a host name/);
    }
    expect(make(open, profile, { apiKey: "k", site: "eu1.example.com:8443" }).baseUrl).toBe("https://api.eu1.example.com:8443");
  });
});

describe("settings checked when the client is made", () => {
  it("refuses credentials a header cannot carry, without echoing them", () => {
    expectInvalid(() => client({ apiKey: `${SECRET}\r\nX-Evil: 1` }), /apiKey contains characters a header cannot carry/);
    expectInvalid(() => client({ apiKey: `${SECRET}ключ` }), /apiKey contains characters/);
    expectInvalid(() => client({ apiKey: "" }), /apiKey must be a non-empty string/);
  });

  it("refuses a maxResponseBytes that is not a positive whole number", () => {
    for (const maxResponseBytes of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expectInvalid(() => client({ maxResponseBytes }), /maxResponseBytes must be a positive whole number of bytes/);
    }
  });

  it("refuses a timeout setTimeout cannot honour", () => {
    for (const timeout of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31]) {
      expectInvalid(() => client({ timeout }), /timeout must be a number of milliseconds from 1 to 2147483647/);
    }
  });
});
