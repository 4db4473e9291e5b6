import type { Clock } from "../../lib/clock.js";
import type { Logger } from "../../lib/logger.js";
import type { WorkQueue } from "../../store/types.js";
import type { JobResults } from "../executions/job-results.js";
import type { Component } from "./component.js";

/** Re-offers jobs whose worker stopped renewing its lease (or fails the action after too many offers). */
export function createLeaseReaper(deps: {
  queue: WorkQueue;
  jobResults: JobResults;
  clock: Clock;
  logger: Logger;
  intervalMs: number;
}): Component {
  return {
    name: "lease-reaper",
    intervalMs: deps.intervalMs,
    async runOnce(signal) {
      const expired = await deps.queue.expiredLeases(deps.clock.now(), 100);
      for (const job of expired) {
        if (signal.aborted) break;
        const result = await deps.jobResults.reoffer(job);
        if (result.ok) {
          deps.logger.warn("job lease expired", {
            jobId: job.jobId,
            action: `${job.spec.pipelineName}/${job.spec.stageName}/${job.spec.actionName}`,
            attempt: job.attempt,
            outcome: result.value,
          });
        }
      }
      return expired.length;
    },
  };
}
