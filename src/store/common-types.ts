/**
 * Durable storage, one narrow interface per aggregate. Contract (checked by store.contract.ts,
 * which every implementation runs):
 *  - Every method is async so that a networked database (PostgreSQL) fits the same interface.
 *  - A resolved promise means the change is durable: it survives a SIGKILL of the process.
 *    (Surviving power loss too is the implementation's choice; docs/store.md says what each does.)
 *  - Expected conflicts (name in use, stale version, not found) are returned as values, never
 *    thrown. A thrown Error means the store itself failed (I/O, corruption, a bug).
 *  - Records are plain JSON-serialisable data; callers may keep them, stores never mutate a
 *    record after returning it, and callers must not mutate what they get (the memory stores
 *    freeze them). Stores keep no reference to objects passed in: editing one later changes nothing.
 *  - Everything is scoped by account and region: the same name in two regions is two resources.
 *  - Methods may be called concurrently; each is atomic on its own.
 */

export interface Scope {
  readonly accountId: string;
  readonly region: string;
}

export interface Page<T> {
  readonly items: T[];
  /** The key to pass as `after` for the next page; absent on the last page. */
  readonly nextAfter?: string;
}

export type CreateResult = { readonly ok: true } | { readonly ok: false; readonly reason: "NameInUse" };
