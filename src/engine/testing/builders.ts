import { builtinActionTypes } from "../../model/action-types/builtin-action-types.js";
import { createActionTypeCatalog } from "../../model/action-types/catalog.js";
import type { ActionDeclaration, PipelineDeclaration, StageDeclaration } from "../../model/declaration.js";
import { advance } from "../advance.js";
import { startExecution } from "../commands.js";
import { emptyLanes } from "../lanes.js";
import type { ExecutionPlan } from "../plan.js";
import { planExecution } from "../plan-execution.js";
import { ChangeBuilder, type DecisionContext, type World, type WorldChange } from "../world.js";

/** Small builders for engine unit tests: a fake action type, pipelines, worlds and steps. */

const categories = ["Source", "Build", "Deploy", "Approval"] as const;
export const catalog = createActionTypeCatalog([
  ...builtinActionTypes,
  ...categories.map((category) => ({
    id: { category, owner: "Custom" as const, provider: "Fake", version: "1" },
    actionConfigurationProperties: [{ name: "X", required: false, key: false, secret: false }],
    inputArtifactDetails: { minimumCount: 0, maximumCount: 5 },
    outputArtifactDetails: { minimumCount: 0, maximumCount: 5 },
    executable: true,
  })),
]);

export function action(
  name: string,
  category: (typeof categories)[number] = "Build",
  extra: Partial<ActionDeclaration> = {},
): ActionDeclaration {
  return {
    name,
    runOrder: 1,
    actionTypeId: { category, owner: "Custom", provider: "Fake", version: "1" },
    ...extra,
  };
}

export function pipelineOf(
  stages: StageDeclaration[],
  extra: Partial<PipelineDeclaration> = {},
): ExecutionPlan {
  const decl: PipelineDeclaration = {
    name: "p",
    roleArn: "arn:aws:iam::123456789012:role/r",
    artifactStore: { type: "S3", location: "bucket" },
    version: 1,
    stages,
    ...extra,
  };
  return planExecution(decl, {
    region: "us-east-1",
    catalog,
    dispatchFor: () => ({ dispatch: "jobWorker" }),
    timeouts: {},
  });
}

/** A two-stage plan: Source/Fetch then Build/Compile. */
export const twoStages = (extra: Partial<PipelineDeclaration> = {}) =>
  pipelineOf(
    [
      { name: "Source", actions: [action("Fetch", "Source")] },
      { name: "Build", actions: [action("Compile")] },
    ],
    extra,
  );

let ids = 0;
export function context(plan: ExecutionPlan, now = 1_000): DecisionContext {
  return { now, newId: () => `id-${++ids}`, planFor: () => plan };
}

export const emptyWorld: World = { lanes: emptyLanes, executions: new Map() };

/** Records `input` on a fresh change over `world`, advances, and returns the change. */
export function step(
  world: World,
  plan: ExecutionPlan,
  input: (c: ChangeBuilder, ctx: DecisionContext) => void,
  now = 1_000,
): WorldChange {
  const change = new ChangeBuilder(world);
  const ctx = context(plan, now);
  input(change, ctx);
  advance(change, ctx);
  return change.result();
}

export function start(world: World, plan: ExecutionPlan, executionId: string, now = 1_000): WorldChange {
  return step(
    world,
    plan,
    (c, ctx) =>
      startExecution(
        c,
        { executionId, plan, trigger: { triggerType: "StartPipelineExecution" }, variables: [] },
        ctx,
      ),
    now,
  );
}
