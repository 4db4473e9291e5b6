import { describe, expect, it } from "vitest";
import type { Authenticator } from "../app.js";
import { apiError } from "../errors.js";
import { createConsoleAuthenticator } from "./console-authenticator.js";
import { cookieValue, createConsoleSessions } from "./sessions.js";

const url = new URL("http://127.0.0.1:4577/");
const body = new Uint8Array();

/** The inner (SigV4) authenticator: accepts a request with `authorization: good`, as `signed`. */
const inner = (credentialsConfigured: boolean): Authenticator => ({
  authenticate(request) {
    if (request.headers.get("authorization") === "good")
      return { ok: true, principal: "signed", region: "ap-south-1" };
    if (!credentialsConfigured) return { ok: true, principal: "anonymous" };
    return { ok: false, error: apiError("MissingAuthenticationTokenException", "no signature") };
  },
});

function request(headers: Record<string, string>): Request {
  return new Request(url, { method: "POST", headers });
}

describe("the console's authenticator", () => {
  let now = 1_000;
  const sessions = createConsoleSessions(() => now, 60_000);
  const auth = createConsoleAuthenticator(inner(true), sessions, true);
  const { token, session } = sessions.create("AKIDCONSOLE");

  it("accepts the session cookie with its CSRF token, and takes the region from X-Pipewright-Region", () => {
    const result = auth.authenticate(
      request({
        cookie: `a=b; pipewright_session=${token}`,
        "x-pipewright-csrf": session.csrfToken,
        "x-pipewright-region": "eu-west-1",
      }),
      url,
      body,
      now,
    );
    expect(result).toEqual({ ok: true, principal: "AKIDCONSOLE", region: "eu-west-1" });
  });

  it("refuses the cookie without the CSRF token, or with another one", () => {
    for (const headers of [{}, { "x-pipewright-csrf": "guess" }] as Record<string, string>[]) {
      const result = auth.authenticate(
        request({ cookie: `pipewright_session=${token}`, ...headers }),
        url,
        body,
        now,
      );
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.type).toBe("InvalidSignatureException");
    }
  });

  it("refuses an unknown or expired session, and a malformed region", () => {
    const unknown = auth.authenticate(
      request({ cookie: "pipewright_session=nope", "x-pipewright-csrf": "x" }),
      url,
      body,
      now,
    );
    expect(unknown.ok || unknown.error.type).toBe("UnrecognizedClientException");
    const badRegion = auth.authenticate(request({ "x-pipewright-region": "../etc" }), url, body, now);
    expect(badRegion.ok || badRegion.error.message).toContain(
      "X-Pipewright-Region '../etc' is not a region name",
    );
    now += 60_001;
    const expired = auth.authenticate(
      request({ cookie: `pipewright_session=${token}`, "x-pipewright-csrf": session.csrfToken }),
      url,
      body,
      now,
    );
    expect(expired.ok || expired.error.type).toBe("UnrecognizedClientException");
  });

  it("leaves signed requests to SigV4 (a signed request with a cookie too) and unsigned ones without a cookie", () => {
    expect(
      auth.authenticate(request({ authorization: "good", cookie: "pipewright_session=x" }), url, body, now),
    ).toEqual({
      ok: true,
      principal: "signed",
      region: "ap-south-1",
    });
    const unsigned = auth.authenticate(request({ "x-pipewright-region": "eu-west-1" }), url, body, now);
    expect(unsigned.ok).toBe(false);
  });

  it("without credentials honours the region header on any request", () => {
    const open = createConsoleAuthenticator(
      inner(false),
      createConsoleSessions(() => 0),
      false,
    );
    expect(open.authenticate(request({ "x-pipewright-region": "eu-west-1" }), url, body, 0)).toEqual({
      ok: true,
      principal: "anonymous",
      region: "eu-west-1",
    });
  });

  it("reads one cookie out of a Cookie header", () => {
    expect(cookieValue("a=1; pipewright_session=abc; b=2", "pipewright_session")).toBe("abc");
    expect(cookieValue(null, "pipewright_session")).toBeUndefined();
  });
});
