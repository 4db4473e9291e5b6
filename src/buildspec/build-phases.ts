import type { BuildspecPhaseName, OnFailure } from "./types.js";

/**
 * A build's phases and statuses with CodeBuild's API strings (spec/buildspec.md §4.5), and the
 * rule that picks the phase after one that ends: the transition table of §4.5 plus the phase's
 * `on-failure`. Pure: the agent asks, the table answers.
 */

export const BuildPhaseType = {
  SUBMITTED: "SUBMITTED",
  QUEUED: "QUEUED",
  PROVISIONING: "PROVISIONING",
  DOWNLOAD_SOURCE: "DOWNLOAD_SOURCE",
  INSTALL: "INSTALL",
  PRE_BUILD: "PRE_BUILD",
  BUILD: "BUILD",
  POST_BUILD: "POST_BUILD",
  UPLOAD_ARTIFACTS: "UPLOAD_ARTIFACTS",
  FINALIZING: "FINALIZING",
  COMPLETED: "COMPLETED",
} as const;
export type BuildPhaseType = (typeof BuildPhaseType)[keyof typeof BuildPhaseType];

export const BuildStatus = {
  SUCCEEDED: "SUCCEEDED",
  FAILED: "FAILED",
  FAULT: "FAULT",
  TIMED_OUT: "TIMED_OUT",
  IN_PROGRESS: "IN_PROGRESS",
  STOPPED: "STOPPED",
} as const;
export type BuildStatus = (typeof BuildStatus)[keyof typeof BuildStatus];

/** The buildspec phase a build phase runs, if any. */
export const buildspecPhaseOf: Partial<Record<BuildPhaseType, BuildspecPhaseName>> = {
  INSTALL: "install",
  PRE_BUILD: "pre_build",
  BUILD: "build",
  POST_BUILD: "post_build",
};

/** Phases the agent runs itself, in order (SUBMITTED, QUEUED and PROVISIONING come before). */
export const agentPhases = [
  "DOWNLOAD_SOURCE",
  "INSTALL",
  "PRE_BUILD",
  "BUILD",
  "POST_BUILD",
  "UPLOAD_ARTIFACTS",
  "FINALIZING",
  "COMPLETED",
] as const satisfies readonly BuildPhaseType[];
export type AgentPhase = (typeof agentPhases)[number];

/**
 * The phase after `phase` ended with `status`. Success moves to the next phase in order.
 * After a failure (spec §4.5): DOWNLOAD_SOURCE, INSTALL and PRE_BUILD go to FINALIZING; BUILD
 * goes to POST_BUILD; POST_BUILD goes to UPLOAD_ARTIFACTS; UPLOAD_ARTIFACTS to FINALIZING.
 * `on-failure: CONTINUE` moves to the next phase instead; `ABORT` goes to FINALIZING (no later
 * buildspec phase and no artifact upload: a decision, the spec leaves it open). A stop or a
 * timeout (STOPPED, TIMED_OUT) always goes to FINALIZING. RETRY is the agent's business (it
 * reruns the phase before asking); once retries are exhausted it behaves as absent.
 */
export function nextPhase(phase: AgentPhase, status: BuildStatus, onFailure?: OnFailure): AgentPhase {
  const index = agentPhases.indexOf(phase);
  const following = agentPhases[Math.min(index + 1, agentPhases.length - 1)] as AgentPhase;
  if (phase === "FINALIZING" || phase === "COMPLETED") return "COMPLETED";
  if (status === "SUCCEEDED") return following;
  if (status === "STOPPED" || status === "TIMED_OUT") return "FINALIZING";
  if (onFailure?.kind === "CONTINUE" && buildspecPhaseOf[phase] !== undefined) return following;
  if (onFailure?.kind === "ABORT") return "FINALIZING";
  switch (phase) {
    case "BUILD":
      return "POST_BUILD";
    case "POST_BUILD":
      return "UPLOAD_ARTIFACTS";
    default:
      return "FINALIZING";
  }
}

/** The build's status from its phases' statuses: the first non-success wins (a stop or timeout first). */
export function overallStatus(phaseStatuses: readonly BuildStatus[]): BuildStatus {
  for (const decisive of ["STOPPED", "TIMED_OUT", "FAULT", "FAILED"] as const) {
    if (phaseStatuses.includes(decisive)) return decisive;
  }
  return "SUCCEEDED";
}

/**
 * Whether a phase that failed with `message` should run again under `on-failure: RETRY...`,
 * given how many retries already ran. The regex is matched against the phase context message
 * (`Error while executing command: ... Reason: exit status 1`).
 */
export function shouldRetry(onFailure: OnFailure | undefined, retriesDone: number, message: string): boolean {
  if (onFailure?.kind !== "RETRY" || retriesDone >= onFailure.count) return false;
  if (onFailure.pattern === undefined) return true;
  try {
    return new RegExp(onFailure.pattern).test(message);
  } catch {
    return false;
  }
}
