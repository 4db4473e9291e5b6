import type { Scope } from "../../store/types.js";
import type { Orchestrator } from "../executions/orchestrator.js";
import type { Component } from "./component.js";

/** Starts automatic rollbacks right after the commit that queued them (recovery covers a crash in between). */
export function createRollbackStarter(deps: { orchestrator: Orchestrator; intervalMs: number }): Component & {
  queue(scope: Scope, pipelineName: string): void;
} {
  const queued = new Map<string, { scope: Scope; pipelineName: string }>();
  return {
    name: "rollback-starter",
    intervalMs: deps.intervalMs,
    queue(scope, pipelineName) {
      queued.set(`${scope.accountId}/${scope.region}/${pipelineName}`, { scope, pipelineName });
    },
    async runOnce() {
      const work = [...queued.values()];
      queued.clear();
      let started = 0;
      for (const p of work) {
        const result = await deps.orchestrator.startPendingRollbacks(p.scope, p.pipelineName);
        if (result.ok) started += result.value.length;
      }
      return started;
    },
  };
}
