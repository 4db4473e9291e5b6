/**
 * A deep copy that nobody can change: what the memory stores keep and hand out. Copying on the
 * way in means a caller who later edits its own object changes nothing stored; freezing means a
 * caller who edits a returned record gets a TypeError (ESM is strict mode) instead of silently
 * corrupting the store, a bug the SQLite store (which parses fresh objects) would hide.
 */
export function frozenCopy<T>(value: T): T {
  return deepFreeze(structuredClone(value));
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
