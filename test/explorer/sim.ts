import { advance } from "../../src/engine/advance.js";
import { replay } from "../../src/engine/apply-event.js";
import {
  recordApproval,
  recordOutcome,
  requestRetry,
  requestStop,
  setTransition,
  startExecution,
  startRollback,
} from "../../src/engine/commands.js";
import type { ExecutionEvent } from "../../src/engine/events.js";
import type { ExecutionState } from "../../src/engine/execution-state.js";
import { emptyLanes, executionsInLanes, type PipelineLanes } from "../../src/engine/lanes.js";
import type { ActionOutcome } from "../../src/engine/outcome.js";
import type { ExecutionPlan } from "../../src/engine/plan.js";
import { isTerminalExecution } from "../../src/engine/statuses.js";
import { ChangeBuilder, type DecisionContext, type JobSpec } from "../../src/engine/world.js";

/**
 * A model of the runtime's run store and `transact` around the pure engine, for the
 * interleaving explorer. Each operation does what one runtime transaction does: load the lanes,
 * the executions they name and the ones the operation names (and nothing else, as
 * runtime/executions/transact.ts loads), record the input with an engine command, advance to a
 * fixpoint, and commit events, snapshots, lanes and job changes together. Jobs are the open
 * offers the engine's effects created; completing one is what a worker's result does.
 */
export interface SimJob {
  readonly jobId: string;
  readonly spec: JobSpec;
  status: "Open" | "Succeeded" | "Failed" | "Cancelled";
}

export interface StoredExecution {
  readonly events: ExecutionEvent[];
  state: ExecutionState;
}

export class Sim {
  now = 1_000_000;
  lanes: PipelineLanes = emptyLanes;
  readonly executions = new Map<string, StoredExecution>();
  readonly jobs: SimJob[] = [];
  /** Jobs whose result was recorded (applied), to catch a job completed twice. */
  readonly completed = new Map<string, number>();
  private ids = 0;
  private plans: ExecutionPlan[];

  constructor(firstPlan: ExecutionPlan) {
    this.plans = [firstPlan];
  }

  get currentPlan(): ExecutionPlan {
    return this.plans[this.plans.length - 1]!;
  }

  planOf(version: number): ExecutionPlan {
    const plan = this.plans.find((p) => p.pipelineVersion === version);
    if (!plan) throw new Error(`no plan version ${version}`);
    return plan;
  }

  /** UpdatePipeline: executions keep the version they started on; new ones take this one. */
  updatePipeline(next: ExecutionPlan): void {
    this.plans.push({ ...next, pipelineVersion: this.currentPlan.pipelineVersion + 1 });
  }

  /**
   * Ids as production makes them: unordered (UUIDs), so executions started in the same
   * millisecond sort in no particular order, as they do in the server. Deterministic, so a
   * printed sequence reproduces.
   */
  newId(prefix: string): string {
    const n = ++this.ids;
    const scrambled = (Math.imul(n, 0x9e3779b1) >>> 0).toString(16).padStart(8, "0");
    return `${prefix}-${scrambled}-${n}`;
  }

  openJobs(): SimJob[] {
    return this.jobs.filter((j) => j.status === "Open" && j.spec.availableAt <= this.now);
  }

  /** One runtime transaction. Returns the failure a command refused with, if any. */
  transact(
    load: readonly string[],
    input: (change: ChangeBuilder, ctx: DecisionContext) => unknown,
  ): unknown {
    const ids = new Set([...load, ...executionsInLanes(this.lanes)]);
    const loaded = new Map<string, ExecutionState>();
    for (const id of ids) {
      const stored = this.executions.get(id);
      if (stored) loaded.set(id, stored.state);
    }
    const ctx: DecisionContext = {
      now: this.now,
      newId: () => this.newId("id"),
      planFor: (state) => this.planOf(state.pipelineVersion),
      currentPlan: this.currentPlan,
    };
    const change = new ChangeBuilder({ lanes: this.lanes, executions: loaded });
    const refused = input(change, ctx);
    if (refused) return refused;
    advance(change, ctx);
    const result = change.result();
    for (const [id, events] of result.events) {
      const stored = this.executions.get(id) ?? { events: [], state: result.world.executions.get(id)! };
      stored.events.push(...events);
      stored.state = result.world.executions.get(id)!;
      this.executions.set(id, stored);
    }
    this.lanes = result.world.lanes;
    for (const effect of result.effects) {
      if (effect.type === "EnqueueJob") {
        this.jobs.push({ jobId: this.newId("job"), spec: effect.job, status: "Open" });
      } else {
        for (const job of this.jobs) {
          if (job.spec.actionExecutionId === effect.actionExecutionId && job.status === "Open") {
            job.status = "Cancelled";
          }
        }
      }
    }
    return undefined;
  }

  start(): string {
    const executionId = this.newId("exec");
    const plan = this.currentPlan;
    this.transact([], (change, ctx) =>
      startExecution(
        change,
        { executionId, plan, trigger: { triggerType: "StartPipelineExecution" }, variables: [] },
        ctx,
      ),
    );
    return executionId;
  }

  /** A worker's result for one open job (job-results.ts completeJob). */
  complete(job: SimJob, outcome: ActionOutcome): void {
    let applied = false;
    const refused = this.transact([job.spec.executionId], (change, ctx) => {
      if (!change.has(job.spec.executionId)) return "gone";
      const recorded = recordOutcome(
        change,
        {
          executionId: job.spec.executionId,
          actionExecutionId: job.spec.actionExecutionId,
          step: job.spec.step,
          outcome,
        },
        ctx,
      );
      if (!recorded.ok) return recorded.error;
      applied = recorded.applied;
      return recorded.applied ? undefined : "late";
    });
    if (refused === undefined && applied) {
      this.completed.set(job.jobId, (this.completed.get(job.jobId) ?? 0) + 1);
      if (outcome.kind !== "awaitingCallback")
        job.status = outcome.kind === "failed" ? "Failed" : "Succeeded";
    } else if (refused === "late") {
      job.status = "Cancelled";
    }
  }

  /** PutApprovalResult for the approval run of a job. */
  approve(job: SimJob, status: "Approved" | "Rejected"): void {
    const state = this.executions.get(job.spec.executionId)?.state;
    const run = state?.actionRuns.find((r) => r.actionExecutionId === job.spec.actionExecutionId);
    if (!run?.token) return;
    const token = run.token;
    const refused = this.transact([job.spec.executionId], (change, ctx) =>
      recordApproval(
        change,
        {
          executionId: job.spec.executionId,
          actionExecutionId: job.spec.actionExecutionId,
          token,
          status,
          summary: "",
          by: "explorer",
        },
        ctx,
      ),
    );
    if (refused === undefined) {
      this.completed.set(job.jobId, (this.completed.get(job.jobId) ?? 0) + 1);
      job.status = status === "Approved" ? "Succeeded" : "Failed";
    }
  }

  stop(executionId: string, abandon: boolean): void {
    this.transact([executionId], (change, ctx) =>
      change.has(executionId) ? requestStop(change, executionId, { abandon }, ctx) : "gone",
    );
  }

  retry(executionId: string, stageName: string, retryMode: "FAILED_ACTIONS" | "ALL_ACTIONS"): void {
    const currentPlan = this.currentPlan;
    this.transact([executionId], (change, ctx) =>
      requestRetry(change, { executionId, stageName, retryMode, currentPlan }, ctx),
    );
  }

  transition(stageName: string, enabled: boolean): void {
    if (!this.currentPlan.stages.some((s) => s.name === stageName && s.index > 0)) return;
    this.transact([], (change, ctx) => setTransition(change, { stageName, enabled, by: "explorer" }, ctx));
  }

  /** The timeout enforcer: time passes, and executions whose deadline passed are advanced. */
  tick(ms: number): void {
    this.now += ms;
    for (const [id, stored] of this.executions) {
      if (isTerminalExecution(stored.state.status)) continue;
      const due = stored.state.actionRuns.some((r) => r.status === "InProgress" && r.timeoutAt <= this.now);
      if (due) this.transact([id], () => undefined);
    }
  }

  /** The rollback starter (orchestrator.startPendingRollbacks). */
  startPendingRollbacks(): void {
    if (this.lanes.pendingRollbacks.length === 0) return;
    const plan = this.currentPlan;
    this.transact(
      this.lanes.pendingRollbacks.map((p) => p.targetExecutionId),
      (change, ctx) => {
        for (const pending of change.currentLanes.pendingRollbacks) {
          const target = change.has(pending.targetExecutionId)
            ? change.state(pending.targetExecutionId)
            : undefined;
          if (
            target?.stages[pending.stageName]?.status !== "Succeeded" ||
            target.pipelineVersion !== plan.pipelineVersion
          )
            continue;
          startRollback(
            change,
            {
              executionId: this.newId("exec"),
              plan,
              stageName: pending.stageName,
              target,
              trigger: { triggerType: "AutomatedRollback", triggerDetail: pending.failedExecutionId },
            },
            ctx,
          );
        }
        change.setLanes({ ...change.currentLanes, pendingRollbacks: [] });
        return undefined;
      },
    );
  }

  /**
   * A server crash and restart: snapshots are thrown away and rebuilt from the stored events
   * (they must agree), then recovery advances every unfinished execution.
   */
  crash(): void {
    for (const stored of this.executions.values()) stored.state = replay(stored.events);
    for (const [id, stored] of this.executions) {
      if (!isTerminalExecution(stored.state.status)) this.transact([id], () => undefined);
    }
    this.startPendingRollbacks();
  }
}
