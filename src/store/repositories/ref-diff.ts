import type { RefUpdate } from "../types.js";

/**
 * The ref updates that turn `before` into `after` (both: full ref name → object id), in ref name
 * byte order: created refs have no `oldCommit`, deleted ones no `newCommit`, unchanged refs are
 * left out.
 */
export function diffRefs(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
): RefUpdate[] {
  const updates: RefUpdate[] = [];
  for (const ref of new Set([...before.keys(), ...after.keys()])) {
    const oldCommit = before.get(ref);
    const newCommit = after.get(ref);
    if (oldCommit === newCommit) continue;
    updates.push({
      ref,
      ...(oldCommit === undefined ? {} : { oldCommit }),
      ...(newCommit === undefined ? {} : { newCommit }),
    });
  }
  return updates.sort((a, b) => Buffer.compare(Buffer.from(a.ref), Buffer.from(b.ref)));
}

const BRANCH_PREFIX = "refs/heads/";

/**
 * The default branch after a push, or undefined to keep the current one. A repository without
 * one (or whose default branch the push deleted) takes the first branch pushed, as CodeCommit
 * does; when one push creates several, `main`, then `master`, then the first in name order.
 */
export function chooseDefaultBranch(
  current: string | undefined,
  updates: readonly RefUpdate[],
  after: ReadonlyMap<string, string>,
): string | undefined {
  if (current !== undefined && after.has(`${BRANCH_PREFIX}${current}`)) return undefined;
  const created = updates
    .filter((u) => u.ref.startsWith(BRANCH_PREFIX) && u.newCommit !== undefined)
    .map((u) => u.ref.slice(BRANCH_PREFIX.length));
  const candidates =
    created.length > 0
      ? created
      : [...after.keys()]
          .filter((r) => r.startsWith(BRANCH_PREFIX))
          .map((r) => r.slice(BRANCH_PREFIX.length));
  for (const preferred of ["main", "master"]) if (candidates.includes(preferred)) return preferred;
  return candidates.sort()[0];
}
