/** A Range header resolved against an object's size (RFC 9110 §14, as S3 applies it). */
export type ResolvedRange =
  | { readonly kind: "whole" }
  | { readonly kind: "part"; readonly start: number; readonly end: number }
  | { readonly kind: "unsatisfiable" };

/**
 * `bytes=a-b`, `bytes=a-` and `bytes=-n`. A header S3 cannot use (several ranges, another unit,
 * bad syntax, b < a) is ignored and the whole object is sent, as S3 does; a range that starts
 * past the end is unsatisfiable (416).
 */
export function resolveRange(header: string | null, size: number): ResolvedRange {
  const match = header === null ? null : /^bytes=(\d*)-(\d*)$/u.exec(header.trim());
  if (!match || (match[1] === "" && match[2] === "")) return { kind: "whole" };
  if (match[1] === "") {
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) return { kind: "unsatisfiable" };
    return { kind: "part", start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === "" ? undefined : Number(match[2]);
  if (end !== undefined && end < start) return { kind: "whole" };
  if (start >= size) return { kind: "unsatisfiable" };
  return { kind: "part", start, end: Math.min(end ?? size - 1, size - 1) };
}
