import { describe, expect, it } from "vitest";
import { createAuthorizationTokens, TOKEN_LIFETIME_MS } from "./authorization-token.js";

describe("ECR authorization tokens", () => {
  const tokens = createAuthorizationTokens("server-secret");
  const now = Date.UTC(2026, 0, 1);

  it("verifies a token until it expires, and names who it was issued to", () => {
    const password = tokens.issue("AKIDBUILD", now + TOKEN_LIFETIME_MS);
    expect(tokens.verify(password, now)).toEqual({ principal: "AKIDBUILD" });
    expect(tokens.verify(password, now + TOKEN_LIFETIME_MS - 1)).toEqual({ principal: "AKIDBUILD" });
    expect(tokens.verify(password, now + TOKEN_LIFETIME_MS)).toEqual({ refused: "expired" });
  });

  it("refuses a token changed in any way, or signed with another server's secret", () => {
    const password = tokens.issue("me", now + 1000);
    const [prefix, payload, mac] = password.split(".");
    const prolonged = Buffer.from(JSON.stringify({ p: "me", e: now + 10 ** 9 })).toString("base64url");
    expect(tokens.verify(`${prefix}.${prolonged}.${mac}`, now)).toEqual({ refused: "invalid" });
    expect(tokens.verify(`${prefix}.${payload}.${mac!.slice(0, -2)}AA`, now)).toEqual({ refused: "invalid" });
    expect(createAuthorizationTokens("other").verify(password, now)).toEqual({ refused: "invalid" });
    expect(tokens.verify("not-a-token", now)).toEqual({ refused: "invalid" });
  });
});
