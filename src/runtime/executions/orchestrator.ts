import {
  requestRetry,
  requestStop,
  resolveStartVariables,
  setTransition,
  startExecution,
  startRollback,
} from "../../engine/commands.js";
import type { SourceRevisionOverride, Trigger } from "../../engine/execution-state.js";
import type { ExecutionPlan } from "../../engine/plan.js";
import {
  checkOverrideStageCondition,
  checkRollback,
  checkStart,
  MAX_ACTIVE_EXECUTIONS,
  transitionTarget,
} from "../../engine/preconditions.js";
import { err, ok, type Result } from "../../lib/result.js";
import type { StageRetryMode } from "../../model/declaration.js";
import type { ServiceFailure } from "../../model/exceptions.js";
import type { Scope } from "../../store/types.js";
import type { PlanSource } from "./plan-source.js";
import { type TransactDeps, transact } from "./transact.js";

export { MAX_ACTIVE_EXECUTIONS };

export interface StartOptions {
  readonly trigger: Trigger;
  readonly variables?: readonly { name: string; value: string }[];
  readonly sourceRevisions?: readonly SourceRevisionOverride[];
  readonly clientRequestToken?: string;
}

export interface OrchestratorDeps extends TransactDeps {
  readonly plans: PlanSource;
}

/**
 * Executions' control plane: every user-facing change to run state (start, stop, retry,
 * rollback, transitions) and `advance`, each one `transact` call. Safe to call concurrently;
 * failures come back as AWS exceptions, never thrown.
 */
export function createOrchestrator(deps: OrchestratorDeps) {
  async function currentPlan(scope: Scope, name: string): Promise<Result<ExecutionPlan, ServiceFailure>> {
    const plan = await deps.plans.currentPlan(scope, name);
    return plan ? ok(plan) : err(pipelineNotFound(scope, name));
  }

  return {
    /** StartPipelineExecution (and every other way an execution begins). */
    async startExecution(
      scope: Scope,
      name: string,
      options: StartOptions,
    ): Promise<Result<{ executionId: string }, ServiceFailure>> {
      const planned = await currentPlan(scope, name);
      if (!planned.ok) return planned;
      const plan = planned.value;
      const variables = resolveStartVariables(plan, options.variables ?? []);
      if (!variables.ok) return variables;
      if (options.clientRequestToken) {
        const existing = await deps.runs.findByClientRequestToken(scope, name, options.clientRequestToken);
        if (existing) return ok({ executionId: existing });
      }
      const activeExecutions =
        plan.executionMode === "SUPERSEDED" ? 0 : await deps.runs.countActive(scope, name);
      const refused = checkStart(plan, {
        ...(options.sourceRevisions ? { sourceRevisions: options.sourceRevisions } : {}),
        activeExecutions,
      });
      if (refused) return err(refused);
      const executionId = deps.newId();
      return transact(deps, {
        scope,
        pipelineName: name,
        plans: [plan],
        decide(change, ctx) {
          startExecution(
            change,
            {
              executionId,
              plan,
              trigger: options.trigger,
              variables: variables.value,
              ...(options.sourceRevisions ? { sourceRevisions: options.sourceRevisions } : {}),
              ...(options.clientRequestToken ? { clientRequestToken: options.clientRequestToken } : {}),
            },
            ctx,
          );
          return { value: { executionId } };
        },
        onTokenConflict: (existing) => ({ executionId: existing }),
      });
    },

    /** StopPipelineExecution. */
    async stopExecution(
      scope: Scope,
      name: string,
      executionId: string,
      request: { abandon: boolean; reason?: string },
    ): Promise<Result<{ executionId: string }, ServiceFailure>> {
      const planned = await currentPlan(scope, name);
      if (!planned.ok) return planned;
      return transact<{ executionId: string }>(deps, {
        scope,
        pipelineName: name,
        load: [executionId],
        decide(change, ctx) {
          if (!change.has(executionId)) return { failure: executionNotFound(name, executionId) };
          const failure = requestStop(change, executionId, request, ctx);
          return failure ? { failure } : { value: { executionId } };
        },
      });
    },

    /** RetryStageExecution. */
    async retryStage(
      scope: Scope,
      name: string,
      executionId: string,
      stageName: string,
      retryMode: StageRetryMode,
    ): Promise<Result<{ executionId: string }, ServiceFailure>> {
      const planned = await currentPlan(scope, name);
      if (!planned.ok) return planned;
      const plan = planned.value;
      return transact<{ executionId: string }>(deps, {
        scope,
        pipelineName: name,
        load: [executionId],
        plans: [plan],
        decide(change, ctx) {
          const failure = requestRetry(change, { executionId, stageName, retryMode, currentPlan: plan }, ctx);
          return failure ? { failure } : { value: { executionId } };
        },
      });
    },

    /** RollbackStage: a new ROLLBACK execution of one stage with the target's artifacts. */
    async rollbackStage(
      scope: Scope,
      name: string,
      stageName: string,
      targetExecutionId: string,
      by: string,
    ): Promise<Result<{ executionId: string }, ServiceFailure>> {
      const planned = await currentPlan(scope, name);
      if (!planned.ok) return planned;
      const plan = planned.value;
      const executionId = deps.newId();
      return transact<{ executionId: string }>(deps, {
        scope,
        pipelineName: name,
        load: [targetExecutionId],
        plans: [plan],
        decide(change, ctx) {
          const target = change.has(targetExecutionId) ? change.state(targetExecutionId) : undefined;
          const failure = checkRollback(plan, stageName, target, change);
          if (failure || !target) return { failure: failure ?? executionNotFound(name, targetExecutionId) };
          startRollback(
            change,
            {
              executionId,
              plan,
              stageName,
              target,
              trigger: { triggerType: "ManualRollback", triggerDetail: by },
            },
            ctx,
          );
          return { value: { executionId } };
        },
      });
    },

    /** Starts the automatic rollbacks queued in the lanes (after the commit that queued them, and at recovery). */
    async startPendingRollbacks(scope: Scope, name: string): Promise<Result<string[], ServiceFailure>> {
      const lanes = await deps.runs.getLanes(scope, name);
      if (lanes.lanes.pendingRollbacks.length === 0) return ok([]);
      const planned = await currentPlan(scope, name);
      if (!planned.ok) return planned;
      const plan = planned.value;
      return transact(deps, {
        scope,
        pipelineName: name,
        load: lanes.lanes.pendingRollbacks.map((p) => p.targetExecutionId),
        plans: [plan],
        decide(change, ctx) {
          const started: string[] = [];
          for (const pending of change.currentLanes.pendingRollbacks) {
            const target = change.has(pending.targetExecutionId)
              ? change.state(pending.targetExecutionId)
              : undefined;
            if (
              target?.stages[pending.stageName]?.status !== "Succeeded" ||
              target.pipelineVersion !== plan.pipelineVersion
            )
              continue;
            const executionId = deps.newId();
            startRollback(
              change,
              {
                executionId,
                plan,
                stageName: pending.stageName,
                target,
                trigger: { triggerType: "AutomatedRollback", triggerDetail: pending.failedExecutionId },
              },
              ctx,
            );
            started.push(executionId);
          }
          change.setLanes({ ...change.currentLanes, pendingRollbacks: [] });
          return { value: started };
        },
      });
    },

    /** Enable/DisableStageTransition. */
    async setTransition(
      scope: Scope,
      name: string,
      request: {
        stageName: string;
        transitionType: "Inbound" | "Outbound";
        enabled: boolean;
        reason?: string;
        by: string;
      },
    ): Promise<Result<void, ServiceFailure>> {
      const planned = await currentPlan(scope, name);
      if (!planned.ok) return planned;
      const plan = planned.value;
      const target = transitionTarget(plan, request);
      if (!target.ok) return err(target.failure);
      return transact(deps, {
        scope,
        pipelineName: name,
        decide(change, ctx) {
          setTransition(change, { ...request, stageName: target.stage.name }, ctx);
          return { value: undefined };
        },
      });
    },

    /** OverrideStageCondition (engine/preconditions.ts: nothing is ever in progress to override). */
    async overrideStageCondition(
      scope: Scope,
      name: string,
      request: { stageName: string; executionId: string; conditionType: "BEFORE_ENTRY" | "ON_SUCCESS" },
    ): Promise<Result<void, ServiceFailure>> {
      const planned = await currentPlan(scope, name);
      if (!planned.ok) return planned;
      const lanes = await deps.runs.getLanes(scope, name);
      return err(checkOverrideStageCondition(planned.value, lanes.lanes, request));
    },

    /** Moves an execution (and whoever waits behind it) as far as it can go now. Idempotent. */
    advance(scope: Scope, name: string, executionId: string): Promise<Result<void, ServiceFailure>> {
      return transact(deps, {
        scope,
        pipelineName: name,
        load: [executionId],
        decide: () => ({ value: undefined }),
      });
    },
  };
}

export type Orchestrator = ReturnType<typeof createOrchestrator>;

export function pipelineNotFound(scope: Scope, name: string): ServiceFailure {
  return {
    type: "PipelineNotFoundException",
    message: `Account '${scope.accountId}' does not have a pipeline with name '${name}'`,
  };
}

export function executionNotFound(name: string, executionId: string): ServiceFailure {
  return {
    type: "PipelineExecutionNotFoundException",
    message: `Pipeline execution '${executionId}' was not found for pipeline '${name}'`,
  };
}
