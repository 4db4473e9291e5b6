import type { Clock } from "../../lib/clock.js";
import type { RunStore } from "../../store/types.js";
import type { Orchestrator } from "../executions/orchestrator.js";
import type { Component } from "./component.js";

/**
 * Fails actions whose timeout passed: finds executions whose next deadline is due and advances
 * them; the engine sees the overdue action and fails it (approvals included).
 */
export function createTimeoutEnforcer(deps: {
  runs: RunStore;
  orchestrator: Orchestrator;
  clock: Clock;
  intervalMs: number;
}): Component {
  return {
    name: "timeout-enforcer",
    intervalMs: deps.intervalMs,
    async runOnce(signal) {
      const due = await deps.runs.dueExecutions(deps.clock.now(), 100);
      for (const e of due) {
        if (signal.aborted) break;
        await deps.orchestrator.advance(e.scope, e.pipelineName, e.executionId);
      }
      return due.length;
    },
  };
}
