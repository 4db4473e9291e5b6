import { isDeepStrictEqual } from "node:util";
import { replay } from "../../src/engine/apply-event.js";
import { laneOf } from "../../src/engine/lanes.js";
import { isTerminalExecution } from "../../src/engine/statuses.js";
import type { Sim } from "./sim.js";

/**
 * What must hold after every step of any interleaving. Returns the broken ones as sentences
 * (empty when all hold), so a failing run says exactly what went wrong.
 */
export function brokenInvariants(sim: Sim): string[] {
  const broken: string[] = [];
  const stageNames = new Set(sim.currentPlan.stages.map((s) => s.name));
  for (const name of Object.keys(sim.lanes.stages)) stageNames.add(name);

  for (const stageName of stageNames) {
    const lane = laneOf(sim.lanes, stageName);
    const holders = [...sim.executions.values()]
      .map((e) => e.state)
      .filter(
        (s) =>
          !isTerminalExecution(s.status) &&
          s.executionMode !== "PARALLEL" &&
          s.inStage &&
          sim.planOf(s.pipelineVersion).stages[s.stageIndex]?.name === stageName,
      );
    if (holders.length > 1) {
      broken.push(
        `stage ${stageName} is held by ${holders.length} executions: ${holders.map((h) => h.executionId).join(", ")}`,
      );
    }
    if (lane.occupant !== undefined) {
      const occupant = sim.executions.get(lane.occupant)?.state;
      if (!occupant) broken.push(`stage ${stageName}'s occupant ${lane.occupant} does not exist`);
      else if (isTerminalExecution(occupant.status)) {
        broken.push(`stage ${stageName} is held by ${lane.occupant}, which is ${occupant.status}`);
      } else if (
        !occupant.inStage ||
        sim.planOf(occupant.pipelineVersion).stages[occupant.stageIndex]?.name !== stageName
      ) {
        broken.push(`stage ${stageName} is held by ${lane.occupant}, which is not in it`);
      }
    }
    for (const h of holders) {
      if (lane.occupant !== h.executionId) {
        broken.push(
          `execution ${h.executionId} is in stage ${stageName} but the lane's occupant is ${lane.occupant ?? "nobody"}`,
        );
      }
    }
    for (const id of lane.waiting) {
      const waiter = sim.executions.get(id)?.state;
      if (!waiter) broken.push(`stage ${stageName}'s waiter ${id} does not exist`);
      else if (isTerminalExecution(waiter.status)) {
        broken.push(`${id} waits for stage ${stageName} but is ${waiter.status}`);
      }
    }
    if (new Set(lane.waiting).size !== lane.waiting.length)
      broken.push(`stage ${stageName} lists a waiter twice`);
  }

  for (const [id, stored] of sim.executions) {
    const state = stored.state;
    if (!isDeepStrictEqual(replay(stored.events), state))
      broken.push(`replaying ${id}'s history does not give its snapshot`);
    if (isTerminalExecution(state.status)) continue;
    const plan = sim.planOf(state.pipelineVersion);
    const betweenStages =
      !state.inStage && state.stageIndex < plan.stages.length && state.status !== "Stopping";
    if (betweenStages && !(state.rollback && state.stages[state.rollback.stageName])) {
      const next = plan.stages[state.stageIndex]!.name;
      if (!laneOf(sim.lanes, next).waiting.includes(id)) {
        broken.push(
          `${id} waits to enter stage ${next} but is not in its waiting list, so nothing will ever admit it`,
        );
      }
    }
  }
  for (const [jobId, times] of sim.completed) {
    if (times > 1) broken.push(`job ${jobId} was completed ${times} times`);
  }
  return broken;
}
