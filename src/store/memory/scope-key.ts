import type { Scope } from "../types.js";

/** A Map key for a scope; JSON keeps `a:b` + `c` apart from `a` + `b:c`. */
export function scopeKey(scope: Scope): string {
  return JSON.stringify([scope.accountId, scope.region]);
}
