import { decideExecution } from "./decide.js";
import type { ExecutionState } from "./execution-state.js";
import { isTransitionEnabled, laneOf, withLane } from "./lanes.js";
import { isTerminalExecution } from "./statuses.js";
import { ChangeBuilder, type DecisionContext, type World, type WorldChange } from "./world.js";

/** Moves every loaded execution as far as it can go; see `advance`. */
export function advanceWorld(world: World, ctx: DecisionContext): WorldChange {
  const change = new ChangeBuilder(world);
  advance(change, ctx);
  return change.result();
}

/**
 * The engine's fixpoint: decide every active execution, then admit executions into free stages,
 * and repeat until nothing changes. Idempotent: advancing an advanced world records nothing.
 */
export function advance(change: ChangeBuilder, ctx: DecisionContext): void {
  for (let round = 0; ; round++) {
    if (round > 10_000) throw new Error("engine did not settle after 10,000 rounds: a decision loops");
    let progressed = false;
    for (const id of change.executionIds()) progressed = decideExecution(change, id, ctx) || progressed;
    progressed = admit(change, ctx) || progressed;
    if (!progressed) return;
  }
}

/**
 * Stage admission (spec §5.4, §5.5). An execution between stages arrives in the waiting list of
 * the stage it needs next. SUPERSEDED keeps one waiter: a newer arrival supersedes the older
 * one. QUEUED keeps all, first come first served. A stage admits a waiter when its inbound
 * transition is enabled and, except in PARALLEL mode, no execution holds it.
 */
export function admit(change: ChangeBuilder, ctx: DecisionContext): boolean {
  let progressed = false;
  const arriving = change
    .executionIds()
    .map((id) => change.state(id))
    .filter((s) => needsEntry(s, ctx))
    .sort((a, b) => a.startTime - b.startTime || (a.executionId < b.executionId ? -1 : 1));
  for (const arrival of arriving) {
    // Re-read: an earlier arrival in this loop may have superseded this one.
    const state = change.state(arrival.executionId);
    if (!needsEntry(state, ctx)) continue;
    const stageName = stageNameFor(state, ctx);
    if (ctx.currentPlan && !ctx.currentPlan.stages.some((s) => s.name === stageName)) {
      // The pipeline was updated and its current version has no such stage: nothing could
      // ever admit the execution (nor enable that stage's transition), so it ends, as AWS
      // ends an execution whose definition changed under it.
      change.record(state.executionId, {
        v: 1,
        at: ctx.now,
        type: "ExecutionCompleted",
        status: "Cancelled",
        summary: `Cancelled while waiting to enter stage '${stageName}': the pipeline was updated to version ${ctx.currentPlan.pipelineVersion}, which has no such stage`,
      });
      progressed = true;
      continue;
    }
    const lane = laneOf(change.currentLanes, stageName);
    if (lane.waiting.includes(state.executionId) || lane.occupant === state.executionId) continue;
    if (state.executionMode === "SUPERSEDED") {
      for (const older of lane.waiting) {
        change.record(older, {
          v: 1,
          at: ctx.now,
          type: "ExecutionCompleted",
          status: "Superseded",
          summary: `Superseded by execution ${state.executionId} while waiting to enter stage '${stageName}'`,
        });
      }
    }
    change.setLanes(
      withLane(change.currentLanes, stageName, (l) => ({ ...l, waiting: [...l.waiting, state.executionId] })),
    );
    progressed = true;
  }
  for (const [stageName, lane] of Object.entries(change.currentLanes.stages)) {
    if (lane.waiting.length === 0 || !isTransitionEnabled(change.currentLanes, stageName)) continue;
    for (const id of lane.waiting) {
      const current = laneOf(change.currentLanes, stageName);
      const parallel = change.state(id).executionMode === "PARALLEL";
      if (!parallel && current.occupant !== undefined) break;
      change.record(id, { v: 1, at: ctx.now, type: "StageEntered", stageName });
      progressed = true;
      if (!parallel) break;
    }
  }
  return progressed;
}

function needsEntry(state: ExecutionState, ctx: DecisionContext): boolean {
  if (isTerminalExecution(state.status) || state.status === "Stopping" || state.inStage) return false;
  const plan = ctx.planFor(state);
  return state.stageIndex < plan.stages.length && !(state.rollback && state.stages[state.rollback.stageName]);
}

function stageNameFor(state: ExecutionState, ctx: DecisionContext): string {
  const stage = ctx.planFor(state).stages[state.stageIndex];
  if (!stage)
    throw new Error(`execution ${state.executionId} needs stage ${state.stageIndex}, which its plan lacks`);
  return stage.name;
}
