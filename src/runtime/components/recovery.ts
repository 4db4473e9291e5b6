import type { Clock } from "../../lib/clock.js";
import type { Logger } from "../../lib/logger.js";
import type { RunStore, WorkQueue } from "../../store/types.js";
import type { JobResults } from "../executions/job-results.js";
import type { Orchestrator } from "../executions/orchestrator.js";

/**
 * Run once at start-up, before the other components: whatever a killed process left behind
 * carries on. Jobs this node's in-process worker held cannot be running any more (the process
 * that ran them is gone), so they are offered again at once instead of after their lease, and
 * without using up one of their offers (the restart, not the job, ended them);
 * every unfinished execution is advanced (timeouts that passed while down fire now); automatic
 * rollbacks that were decided but not started are started.
 */
export async function recoverRuns(deps: {
  runs: RunStore;
  queue: WorkQueue;
  orchestrator: Orchestrator;
  jobResults: JobResults;
  workerId: string;
  clock: Clock;
  logger: Logger;
}): Promise<{ reoffered: number; advanced: number; rollbacks: number }> {
  const held = await deps.queue.jobsHeldBy(deps.workerId);
  for (const job of held) await deps.jobResults.reoffer(job, "restart");
  let advanced = 0;
  for (const e of await deps.runs.activeExecutions(100_000)) {
    const result = await deps.orchestrator.advance(e.scope, e.pipelineName, e.executionId);
    if (result.ok) advanced++;
  }
  let rollbacks = 0;
  for (const lanes of await deps.runs.lanesWithPendingRollbacks(10_000)) {
    const started = await deps.orchestrator.startPendingRollbacks(lanes.scope, lanes.pipelineName);
    if (started.ok) rollbacks += started.value.length;
  }
  if (held.length + advanced + rollbacks > 0) {
    deps.logger.info("recovered run state", { reoffered: held.length, advanced, rollbacks });
  }
  return { reoffered: held.length, advanced, rollbacks };
}
