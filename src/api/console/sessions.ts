import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A signed-in console user: the access key id they proved, never its secret. */
export interface ConsoleSession {
  readonly accessKeyId: string;
  /** Sent back by the page in `X-Pipewright-Csrf` on every API call. */
  readonly csrfToken: string;
  readonly expiresMs: number;
}

export const SESSION_COOKIE = "pipewright_session";
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/**
 * Console sessions, in memory (a restart signs everyone out). The cookie value is a random
 * 256-bit token; only its SHA-256 digest is kept, so the map holds nothing a reader could replay.
 */
export interface ConsoleSessions {
  create(accessKeyId: string): { token: string; session: ConsoleSession };
  /** The live session of a cookie token, or undefined (unknown, or expired: then forgotten). */
  find(token: string | undefined): ConsoleSession | undefined;
  remove(token: string | undefined): void;
}

export function createConsoleSessions(now: () => number, ttlMs = SESSION_TTL_MS): ConsoleSessions {
  const sessions = new Map<string, ConsoleSession>();
  const key = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");
  return {
    create(accessKeyId) {
      // Forget expired sessions now and then, so the map cannot grow without bound.
      for (const [k, s] of sessions) if (s.expiresMs <= now()) sessions.delete(k);
      const token = randomBytes(32).toString("base64url");
      const session = {
        accessKeyId,
        csrfToken: randomBytes(32).toString("base64url"),
        expiresMs: now() + ttlMs,
      };
      sessions.set(key(token), session);
      return { token, session };
    },
    find(token) {
      if (!token) return undefined;
      const k = key(token);
      const session = sessions.get(k);
      if (!session) return undefined;
      if (session.expiresMs <= now()) {
        sessions.delete(k);
        return undefined;
      }
      return session;
    },
    remove(token) {
      if (token) sessions.delete(key(token));
    },
  };
}

/** Two strings compared in constant time (by digest, so lengths tell nothing either). */
export function sameSecret(a: string, b: string): boolean {
  const d = (text: string) => createHash("sha256").update(text, "utf8").digest();
  return timingSafeEqual(d(a), d(b));
}

/** The value of one cookie in a `Cookie` header. */
export function cookieValue(header: string | null, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
