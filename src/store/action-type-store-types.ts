import type { ActionTypeSpec } from "../model/action-types/action-type.js";
import type { ActionTypeId } from "../model/declaration.js";
import type { CreateResult, Scope } from "./common-types.js";

// Custom action types, deleted ones kept. Contract rules common to every store: common-types.ts.
export interface CustomActionTypeRecord {
  readonly scope: Scope;
  readonly spec: ActionTypeSpec;
  readonly created: number;
  /** Set by DeleteCustomActionType; a deleted type is not offered to new pipelines or workers. */
  readonly deleted?: number;
}

export interface ActionTypeStore {
  /**
   * Stores a custom action type. Re-creating a deleted type restores it: the new record replaces
   * the old one (its spec and created) and deleted is cleared. Fails with NameInUse, changing
   * nothing, when a live type with the same id exists.
   */
  create(record: CustomActionTypeRecord): Promise<CreateResult>;
  get(scope: Scope, id: ActionTypeId): Promise<CustomActionTypeRecord | undefined>;
  /**
   * Every record of the scope, deleted ones included, ordered by category, provider, version and
   * then owner, each in byte order (so version "10" comes before "2").
   */
  list(scope: Scope): Promise<CustomActionTypeRecord[]>;
  /** Marks the type deleted at `when`. Returns false when no live type had that id. */
  markDeleted(scope: Scope, id: ActionTypeId, when: number): Promise<boolean>;
}
