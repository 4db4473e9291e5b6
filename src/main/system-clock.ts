import type { Clock } from "../lib/clock.js";

/** The wall clock: only composition roots hand it out (lib/, model/ and engine/ never read it). */
export const systemClock: Clock = { now: () => Date.now() };
