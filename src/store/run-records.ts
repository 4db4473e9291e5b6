import { nextDeadline } from "../engine/commands.js";
import type { ExecutionState } from "../engine/execution-state.js";
import { executionOrderKey } from "../engine/ordering.js";
import { actionTypeKey } from "../model/action-types/action-type.js";
import type { ActionTypeId } from "../model/declaration.js";
import type { Scope } from "./types.js";

/** Helpers every RunStore implementation shares, so they agree on keys and derived columns. */

export function scopeKey(scope: Scope): string {
  return `${scope.accountId}/${scope.region}`;
}

/** How jobs are filtered by action type (the same key the action type catalogue uses). */
export const actionTypeKeyOf = (id: ActionTypeId): string => actionTypeKey(id);

/** The key ListPipelineExecutions pages by (newest first): see engine/ordering.ts. */
export const executionListKey = executionOrderKey;

export function isActiveStatus(status: string): boolean {
  return status === "InProgress" || status === "Stopping";
}

/** When the execution next needs attention without outside news (an action timeout). */
export function nextDeadlineOf(state: ExecutionState): number | undefined {
  return nextDeadline(state);
}
