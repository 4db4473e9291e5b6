import type { BuildLogLine } from "./build-store-types.js";

/*
 * Helpers every BuildStore implementation shares, so that they agree on the list order and on
 * what a log append may be. The checks throw: each one guards against a caller bug.
 */

const keyWidth = 15;

/**
 * The key builds are listed by: the start time at fixed width, a colon, then the id. Comparing
 * two keys as byte strings compares start times first and breaks ties by id (byte order), so
 * DESCENDING is exactly ASCENDING reversed. A page's `nextAfter` is its last key; any string
 * is a valid `after` (a position, which need not be a build's).
 */
export function buildListKey(startTime: number, buildId: string): string {
  if (!Number.isSafeInteger(startTime) || startTime < 0 || startTime >= 10 ** keyWidth) {
    throw new RangeError(
      `build store: startTime of '${buildId}' must be a non-negative integer (epoch ms), got ${startTime}`,
    );
  }
  return `${String(startTime).padStart(keyWidth, "0")}:${buildId}`;
}

/** The id inside a key made by `buildListKey`. */
export function buildIdOfListKey(key: string): string {
  return key.slice(keyWidth + 1);
}

/** Throws unless `lines` carry the seqs `lastSeq + 1`, `lastSeq + 2`, … in order. */
export function assertLogContinues(buildId: string, lastSeq: number, lines: readonly BuildLogLine[]): void {
  lines.forEach((line, i) => {
    const expected = lastSeq + 1 + i;
    if (line.seq !== expected) {
      throw new Error(
        `build store: the log of '${buildId}' ends at seq ${lastSeq}, so line ${i} of this append ` +
          `must have seq ${expected}, not ${line.seq}`,
      );
    }
  });
}

/** `readLog`'s position: 0 reads from the first line. */
export function assertAfterSeq(afterSeq: number): void {
  if (!Number.isSafeInteger(afterSeq) || afterSeq < 0) {
    throw new RangeError(`build store: afterSeq must be a non-negative integer, got ${afterSeq}`);
  }
}
