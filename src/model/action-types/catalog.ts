import { type ActionTypeCatalog, type ActionTypeSpec, actionTypeKey } from "./action-type.js";
import { builtinActionTypes } from "./builtin-action-types.js";

/** A catalogue over a fixed list of specs; a later spec with the same id wins. */
export function createActionTypeCatalog(specs: readonly ActionTypeSpec[]): ActionTypeCatalog {
  const byKey = new Map(specs.map((s) => [actionTypeKey(s.id), s]));
  return { find: (id) => byKey.get(actionTypeKey(id)) };
}

export const builtinActionTypeCatalog: ActionTypeCatalog = createActionTypeCatalog(builtinActionTypes);
