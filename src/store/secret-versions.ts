import type { SecretVersionSummary } from "./types.js";

/*
 * The rules every SecretStore and ParameterStore implementation applies to versions, in one
 * place so that memory and SQLite cannot drift apart.
 */

/** How many versions of a parameter a store keeps (AWS keeps 100): older ones are dropped. */
export const MAX_PARAMETER_VERSIONS = 100;

/** How many versions of a secret a store keeps: beyond it, the oldest versions without labels go. */
export const MAX_SECRET_VERSIONS = 100;

const AWSCURRENT = "AWSCURRENT";
const AWSPREVIOUS = "AWSPREVIOUS";

/**
 * The labels of the versions a secret already has once `incoming` joins them: each label the new
 * version carries leaves the version that had it, and when it carries AWSCURRENT the version that
 * had AWSCURRENT gets AWSPREVIOUS (which leaves whoever had it). Returns only the versions whose
 * labels change, mapped to their new labels.
 */
export function restagedVersions(
  existing: readonly SecretVersionSummary[],
  incoming: readonly string[],
): Map<string, string[]> {
  const taken = new Set(incoming);
  const previousCurrent = incoming.includes(AWSCURRENT)
    ? existing.find((v) => v.stages.includes(AWSCURRENT))?.versionId
    : undefined;
  if (previousCurrent !== undefined) taken.add(AWSPREVIOUS);
  const changes = new Map<string, string[]>();
  for (const version of existing) {
    let stages = version.stages.filter((s) => !taken.has(s));
    if (version.versionId === previousCurrent) stages = [...stages, AWSPREVIOUS];
    const changed = stages.length !== version.stages.length || stages.some((s, i) => s !== version.stages[i]);
    if (changed) changes.set(version.versionId, stages);
  }
  return changes;
}

/**
 * The ids of versions to drop so that at most MAX_SECRET_VERSIONS remain: the oldest without
 * labels first (`versions` oldest first, with their labels after the latest change).
 */
export function prunedVersions(versions: readonly SecretVersionSummary[]): string[] {
  const excess = versions.length - MAX_SECRET_VERSIONS;
  if (excess <= 0) return [];
  return versions
    .filter((v) => v.stages.length === 0)
    .slice(0, excess)
    .map((v) => v.versionId);
}

/** The first code point after every string that starts with `prefix` (byte order); for ranges. */
export function prefixEnd(prefix: string): string {
  const points = [...prefix];
  const last = points.pop();
  if (last === undefined) throw new RangeError("prefixEnd: the prefix must not be empty");
  return `${points.join("")}${String.fromCodePoint(last.codePointAt(0)! + 1)}`;
}
