import { errorAt, type ParseContext, warningAt } from "./parse-context.js";
import type { MapEntry } from "./yaml-nodes.js";

/**
 * Reports a key that does not belong where it is written, listing the keys that do and
 * suggesting the closest one when it looks like a typo (`comands` -> `commands`). `where` names
 * the mapping for the message ("in phases.build", "at the top level"); `hint` replaces the
 * suggestion when the caller knows better (a key that belongs in another section).
 */
export function reportUnknownKey(
  ctx: ParseContext,
  entry: MapEntry,
  options: {
    readonly severity: "error" | "warning";
    readonly where: string;
    readonly known: readonly string[];
    readonly hint?: string;
  },
): void {
  const close = closestKey(entry.key, options.known);
  const hint = options.hint ?? (close === undefined ? "" : `; did you mean "${close}"?`);
  const valid = `valid keys are ${options.known.join(", ")}`;
  if (options.severity === "error") {
    errorAt(ctx, entry.keyNode, entry.path, `unknown key "${entry.key}" ${options.where} (${valid})${hint}`);
  } else {
    warningAt(
      ctx,
      entry.keyNode,
      entry.path,
      `unknown key "${entry.key}" ${options.where} is ignored (${valid})${hint}`,
    );
  }
}

/** The known key within two edits of `key` (case-insensitive), if exactly one is closest. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase().replaceAll("_", "-");
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const distance = editDistance(lower, candidate.toLowerCase().replaceAll("_", "-"));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance; keys are short, so the quadratic table is fine. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}
