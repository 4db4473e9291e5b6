/** The only way code outside main/ learns the time, so tests can control it. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export type FakeClock = Clock & { advance(ms: number): void };

/** A clock that moves only when told to; for tests and replay. */
export function createFakeClock(startMs = Date.UTC(2026, 0, 1)): FakeClock {
  let current = startMs;
  return {
    now: () => current,
    advance(ms: number) {
      current += ms;
    },
  };
}
