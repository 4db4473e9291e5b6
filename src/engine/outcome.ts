import type { FailureDetails } from "../model/failure.js";
import type { CurrentRevision } from "./execution-state.js";

/**
 * What one job of an action run came to, whoever ran it (a provider in Pipewright, an external
 * job worker, an approver). Failure of the action is data here, never a thrown error.
 */
export type ActionOutcome =
  | {
      readonly kind: "succeeded";
      readonly outputVariables?: Readonly<Record<string, string>>;
      readonly summary?: string;
      readonly externalExecutionId?: string;
      readonly externalExecutionUrl?: string;
      /** Source actions: the revision the output artifact holds. */
      readonly currentRevision?: CurrentRevision;
      readonly updatedBy?: string;
    }
  | {
      readonly kind: "failed";
      readonly failure: FailureDetails;
      readonly summary?: string;
      readonly updatedBy?: string;
    }
  | {
      /** Not finished: run the next step later with this token (PutJobSuccessResult's continuationToken). */
      readonly kind: "inProgress";
      readonly continuationToken: string;
      readonly pollAfterMs?: number;
      readonly summary?: string;
      readonly percentComplete?: number;
      readonly externalExecutionId?: string;
      readonly externalExecutionUrl?: string;
    }
  | {
      /**
       * Waiting for news from elsewhere to finish it: an API call (a manual approval) or work
       * that reports when it ends (a build in the work queue). The job is parked: no lease.
       */
      readonly kind: "awaitingCallback";
      readonly summary?: string;
      readonly externalExecutionId?: string;
      readonly externalExecutionUrl?: string;
    };

/** AWS's cap on all output variables of one action together (spec §6.1). */
export const MAX_OUTPUT_VARIABLES_BYTES = 122_880;

export function outputVariablesBytes(vars: Readonly<Record<string, string>>): number {
  let total = 0;
  for (const [k, v] of Object.entries(vars)) total += utf8Length(k) + utf8Length(v);
  return total;
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return bytes;
}
