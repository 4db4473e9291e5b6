import { randomBytes, timingSafeEqual } from "node:crypto";

/** Whose credentials a session holds: a build today; ECS tasks and Lambda functions later. */
export interface InsideSubject {
  readonly kind: "build" | "task" | "function";
  /** The build id (`<project>:<uuid>`), task ARN or function name: for logs and principals. */
  readonly id: string;
  readonly scope: { readonly accountId: string; readonly region: string };
}

/** Temporary credentials Pipewright issued to code it runs, as the container credential endpoint serves them. */
export interface InsideSession {
  readonly subject: InsideSubject;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  /** Epoch ms; a session is refused after it (or after `close`). */
  readonly expiration: number;
  /** What `AWS_CONTAINER_AUTHORIZATION_TOKEN` carries: the key to the credentials endpoint. */
  readonly authorizationToken: string;
}

/**
 * The credentials of code Pipewright runs (builds now; ECS tasks and Lambda functions later), in
 * the one shape every AWS client reads from the container credentials endpoint. Contract:
 *  - `open` issues fresh random keys for a subject; they are valid until `close` or expiry,
 *    whichever comes first. Sessions live in this process only: what runs them (a build) ends
 *    with the process too (builds of a crashed server end as FAULT), so nothing is stored.
 *  - `secretFor` is what the SigV4 verifiers (JSON API, S3) ask; `byAuthorizationToken` is what
 *    the credentials endpoint asks. Both answer only for live sessions, and compare tokens in
 *    constant time.
 */
export function createInsideCredentials(options: { now: () => number }) {
  const byKey = new Map<string, InsideSession>();
  const live = (session: InsideSession | undefined) =>
    session !== undefined && session.expiration > options.now() && byKey.get(session.accessKeyId) === session
      ? session
      : undefined;
  return {
    open(subject: InsideSubject, ttlMs: number): InsideSession & { close(): void } {
      const session: InsideSession = {
        subject,
        accessKeyId: `ASIAPW${randomBytes(7).toString("hex").toUpperCase()}`,
        secretAccessKey: randomBytes(30).toString("base64url"),
        sessionToken: randomBytes(48).toString("base64"),
        expiration: options.now() + ttlMs,
        authorizationToken: randomBytes(32).toString("base64url"),
      };
      byKey.set(session.accessKeyId, session);
      return { ...session, close: () => void byKey.delete(session.accessKeyId) };
    },
    secretFor(accessKeyId: string): InsideSession | undefined {
      return live(byKey.get(accessKeyId));
    },
    byAuthorizationToken(token: string): InsideSession | undefined {
      const given = Buffer.from(token);
      for (const session of byKey.values()) {
        const expected = Buffer.from(session.authorizationToken);
        if (given.length === expected.length && timingSafeEqual(given, expected)) return live(session);
      }
      return undefined;
    },
  };
}

export type InsideCredentials = ReturnType<typeof createInsideCredentials>;
