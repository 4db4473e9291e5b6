import { createHmac, timingSafeEqual } from "node:crypto";

/** ECR's authorization tokens live 12 hours. */
export const TOKEN_LIFETIME_MS = 12 * 3600 * 1000;

const PREFIX = "pwecr1";

/**
 * The password GetAuthorizationToken hands out (`AWS:<password>`, base64) and the registry
 * checks on `docker login` and every request after it. Stateless: the password carries who asked
 * and when it expires, and an HMAC-SHA256 of both under the server's secret (the data
 * directory's, so restarts agree). Nothing is stored, and a password cannot be forged or
 * prolonged without that secret.
 */
export function createAuthorizationTokens(serverSecret: string) {
  const sign = (payload: string) =>
    createHmac("sha256", serverSecret).update(`ecr-token:${payload}`).digest();
  return {
    /** The password for `principal`, valid until `expiresAt` (epoch ms). */
    issue(principal: string, expiresAt: number): string {
      const payload = Buffer.from(JSON.stringify({ p: principal, e: expiresAt })).toString("base64url");
      return `${PREFIX}.${payload}.${sign(payload).toString("base64url")}`;
    },
    /** The principal a password was issued to, when it is genuine and not expired at `now`. */
    verify(password: string, now: number): { principal: string } | { refused: "invalid" | "expired" } {
      const [prefix, payload, mac] = password.split(".");
      if (prefix !== PREFIX || !payload || !mac) return { refused: "invalid" };
      const given = Buffer.from(mac, "base64url");
      const expected = sign(payload);
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        return { refused: "invalid" };
      let claims: { p?: unknown; e?: unknown };
      try {
        claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
      } catch {
        return { refused: "invalid" };
      }
      if (typeof claims.p !== "string" || typeof claims.e !== "number") return { refused: "invalid" };
      return claims.e <= now ? { refused: "expired" } : { principal: claims.p };
    },
  };
}

export type AuthorizationTokens = ReturnType<typeof createAuthorizationTokens>;
