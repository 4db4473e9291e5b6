import { randomBytes } from "node:crypto";

/*
 * What the memory and SQLite object stores share: version ids, and the key range a prefix covers.
 */

/** S3 writes "null" as the id of versions written while versioning was off or suspended. */
export const NULL_VERSION = "null";

/** A new version id: 32 URL-safe characters, like S3's, never "null". */
export function newVersionId(): string {
  return randomBytes(24).toString("base64url");
}

/**
 * The smallest string greater than every string that starts with `prefix`, in code point (= UTF-8
 * byte) order; undefined when there is none (the prefix is empty or all U+10FFFF). Lets a prefix
 * query be the key range [prefix, bound), which an index answers without reading other keys.
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const points = Array.from(prefix, (c) => c.codePointAt(0)!);
  while (points.length > 0) {
    let last = points.pop()! + 1;
    if (last === 0xd800) last = 0xe000; // surrogates are not characters; UTF-8 cannot hold them
    if (last <= 0x10ffff) return String.fromCodePoint(...points, last);
  }
  return undefined;
}

/** Whether `key` lies in the range `listObjects` was asked for. */
export function inKeyRange(
  key: string,
  range: { prefix?: string | undefined; startAfter?: string | undefined },
  compare: (a: string, b: string) => number,
): boolean {
  if (range.prefix !== undefined && !key.startsWith(range.prefix)) return false;
  return range.startAfter === undefined || compare(key, range.startAfter) > 0;
}
