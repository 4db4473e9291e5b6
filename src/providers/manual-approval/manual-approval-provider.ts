import type { ActionProvider } from "../types.js";

/**
 * Approval/AWS/Manual: the action waits for PutApprovalResult (spec §5.8). The approval token is
 * part of the action run (the engine makes it when the action starts), so GetPipelineState shows
 * it at once; this provider only parks the job. SNS notifications (NotificationArn) are not
 * sent: there is no SNS here; the summary says so.
 */
export function createManualApprovalProvider(): ActionProvider {
  return {
    actionTypeIds: [{ category: "Approval", owner: "AWS", provider: "Manual", version: "1" }],
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
