import type { ActionTypeId } from "../../model/declaration.js";
import type { ActionProvider } from "../types.js";

/** The action types this provider runs. */
export const MANUAL_APPROVAL_ACTION_TYPES: readonly ActionTypeId[] = [
  { category: "Approval", owner: "AWS", provider: "Manual", version: "1" },
];

/**
 * Approval/AWS/Manual: the action waits for PutApprovalResult (spec §5.8). The approval token is
 * part of the action run (the engine makes it when the action starts), so GetPipelineState shows
 * it at once; this provider only parks the job. SNS notifications (NotificationArn) are not
 * sent: there is no SNS here; the summary says so.
 */
export function createManualApprovalProvider(): ActionProvider {
  return {
    actionTypeIds: MANUAL_APPROVAL_ACTION_TYPES,
    async start(ctx) {
      const notification = ctx.configuration.NotificationArn;
      return {
        kind: "awaitingCallback",
        ...(notification
          ? {
              summary: `Waiting for approval (no notification sent to ${notification}: Pipewright has no SNS)`,
            }
          : {}),
      };
    },
  };
}
