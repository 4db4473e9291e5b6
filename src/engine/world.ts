import type { ActionTypeId, EncryptionKey, EnvironmentVariable } from "../model/declaration.js";
import { applyEvent } from "./apply-event.js";
import type { ExecutionEvent } from "./events.js";
import type { ArtifactLocation, ExecutionState, SourceRevisionOverride } from "./execution-state.js";
import { type PipelineLanes, updateLanes } from "./lanes.js";
import type { ExecutionPlan } from "./plan.js";

/**
 * The slice of one pipeline's run state a decision needs: its lanes and the executions that
 * matter (the one being moved, plus every execution the lanes name). Engine functions take a
 * World and return a WorldChange; the runtime loads the World, calls them and commits the
 * change in one transaction.
 */
export interface World {
  readonly lanes: PipelineLanes;
  readonly executions: ReadonlyMap<string, ExecutionState>;
}

/** Everything a decision may read besides the world: the time, fresh ids, and plans. */
export interface DecisionContext {
  readonly now: number;
  /** A fresh id (a UUID in production, a counter in tests). */
  readonly newId: () => string;
  /** The plan of the pipeline version the execution started on. */
  readonly planFor: (state: ExecutionState) => ExecutionPlan;
  /**
   * The pipeline's current version, when the caller loaded it. Executions keep the plan they
   * started on; this one only decides what happens to an execution waiting for a stage the
   * pipeline no longer has (it ends Cancelled).
   */
  readonly currentPlan?: ExecutionPlan;
}

/** Work for a worker: one offer of an action run's next step (the job table's row to insert). */
export interface JobSpec {
  readonly executionId: string;
  readonly pipelineName: string;
  readonly pipelineVersion: number;
  readonly stageName: string;
  readonly actionName: string;
  readonly actionExecutionId: string;
  readonly actionTypeId: ActionTypeId;
  readonly dispatch: "provider" | "jobWorker";
  /** 0 for a run's first job, then +1 per continuation. */
  readonly step: number;
  /** `<actionExecutionId>/<step>`: kept when a lost job is offered again, so a provider can do the work once. */
  readonly idempotencyKey: string;
  /** Resolved configuration, secrets included (only job data ever shows them). */
  readonly configuration: Readonly<Record<string, string>>;
  readonly inputArtifacts: readonly ArtifactLocation[];
  readonly outputArtifacts: readonly ArtifactLocation[];
  readonly continuationToken?: string;
  /** Not offered before this time (a provider's pollAfterMs). */
  readonly availableAt: number;
  /** The action's timeout: the job is worthless after it. */
  readonly timeoutAt: number;
  /** The value of the custom type's queryable property (PollForJobs' queryParam). */
  readonly queryValue?: string;
  /** Manual approvals: PutApprovalResult finds the job by this token. */
  readonly callbackToken?: string;
  readonly encryptionKey?: EncryptionKey;
  readonly namespace?: string;
  readonly sourceRevision?: SourceRevisionOverride;
  readonly commands?: readonly string[];
  readonly outputVariables?: readonly string[];
  readonly environmentVariables?: readonly EnvironmentVariable[];
}

/** Side effects the runtime performs in the same transaction as the events. */
export type Effect =
  | { readonly type: "EnqueueJob"; readonly job: JobSpec }
  /** Ends every open job of the run: a stop-and-abandon, a timeout, or a superseded wait. */
  | { readonly type: "CancelJobs"; readonly actionExecutionId: string; readonly reason: string };

export interface WorldChange {
  readonly world: World;
  /** New events per execution, in order; executions without new events are absent. */
  readonly events: ReadonlyMap<string, readonly ExecutionEvent[]>;
  readonly effects: readonly Effect[];
  readonly lanesChanged: boolean;
}

/**
 * Collects one decision's events and effects, keeping the world up to date as they are
 * recorded (each event is applied to its execution and to the lanes at once). Local to a pure
 * function call: it never escapes as shared mutable state.
 */
export class ChangeBuilder {
  private lanes: PipelineLanes;
  private readonly executions: Map<string, ExecutionState>;
  private readonly events = new Map<string, ExecutionEvent[]>();
  private readonly effects: Effect[] = [];
  private lanesChanged = false;

  constructor(world: World) {
    this.lanes = world.lanes;
    this.executions = new Map(world.executions);
  }

  get currentLanes(): PipelineLanes {
    return this.lanes;
  }

  state(executionId: string): ExecutionState {
    const state = this.executions.get(executionId);
    if (!state) throw new Error(`execution ${executionId} is not loaded in this world`);
    return state;
  }

  has(executionId: string): boolean {
    return this.executions.has(executionId);
  }

  executionIds(): string[] {
    return [...this.executions.keys()];
  }

  record(executionId: string, event: ExecutionEvent): ExecutionState {
    const before = this.executions.get(executionId);
    const after = applyEvent(before, event);
    this.executions.set(executionId, after);
    const list = this.events.get(executionId) ?? [];
    list.push(event);
    this.events.set(executionId, list);
    this.setLanes(updateLanes(this.lanes, after, event));
    return after;
  }

  setLanes(lanes: PipelineLanes): void {
    if (lanes === this.lanes) return;
    this.lanes = lanes;
    this.lanesChanged = true;
  }

  effect(effect: Effect): void {
    this.effects.push(effect);
  }

  result(): WorldChange {
    return {
      world: { lanes: this.lanes, executions: this.executions },
      events: this.events,
      effects: this.effects,
      lanesChanged: this.lanesChanged,
    };
  }
}
