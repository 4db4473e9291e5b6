/**
 * The client's address as the socket saw it: set by main/node-http-adapter.ts on every request
 * (a copy a client sent is dropped), read by the console's login rate limit.
 */
export const PEER_ADDRESS_HEADER = "x-pipewright-peer-address";

export interface LoginLimitOptions {
  /** Failed logins a client may make within `windowMs` (default 5). */
  readonly maxFailures: number;
  /** The sliding window failures are counted over (default one minute). */
  readonly windowMs: number;
  /** Clients remembered at most; beyond it the longest quiet are forgotten (default 10,000). */
  readonly maxClients: number;
}

export const DEFAULT_LOGIN_LIMIT: LoginLimitOptions = {
  maxFailures: 5,
  windowMs: 60_000,
  maxClients: 10_000,
};

/**
 * Failed console logins per client, on the caller's clock. A client with `maxFailures` failures
 * in the last `windowMs` is refused (`retryAfterMs` says until when) without its key being
 * checked, so guessing a secret costs at least `windowMs / maxFailures` per guess; a refused
 * attempt is not itself counted. A successful login forgets the client's failures.
 */
export interface LoginLimiter {
  /** undefined: may try; otherwise how long until the oldest counted failure leaves the window. */
  refused(client: string): { retryAfterMs: number } | undefined;
  failed(client: string): void;
  succeeded(client: string): void;
}

export function createLoginLimiter(
  now: () => number,
  options: LoginLimitOptions = DEFAULT_LOGIN_LIMIT,
): LoginLimiter {
  // Insertion order is kept fresh (delete + set on each failure): the first entries are the quietest.
  const failures = new Map<string, number[]>();
  const recent = (client: string): number[] => {
    const since = now() - options.windowMs;
    const kept = (failures.get(client) ?? []).filter((t) => t > since);
    if (kept.length === 0) failures.delete(client);
    else failures.set(client, kept);
    return kept;
  };
  return {
    refused(client) {
      const kept = recent(client);
      if (kept.length < options.maxFailures) return undefined;
      const oldest = kept[kept.length - options.maxFailures]!;
      return { retryAfterMs: Math.max(1, oldest + options.windowMs - now()) };
    },
    failed(client) {
      const kept = recent(client);
      failures.delete(client);
      failures.set(client, [...kept, now()].slice(-options.maxFailures));
      while (failures.size > options.maxClients) {
        const quietest = failures.keys().next().value;
        if (quietest === undefined) break;
        failures.delete(quietest);
      }
    },
    succeeded(client) {
      failures.delete(client);
    },
  };
}
