import { describe, expect, it } from "vitest";
import { createActionTypeCatalog } from "../model/action-types/catalog.js";
import type { PipelineDeclaration } from "../model/declaration.js";
import { advance } from "./advance.js";
import { recordOutcome, requestStop, startExecution } from "./commands.js";
import { emptyLanes } from "./lanes.js";
import { planExecution } from "./plan-execution.js";
import { ChangeBuilder, type DecisionContext, type World } from "./world.js";

const fakeType = (category: "Source" | "Build") => ({
  id: { category, owner: "Custom" as const, provider: "Fake", version: "1" },
  actionConfigurationProperties: [{ name: "X", required: false, key: false, secret: false }],
  inputArtifactDetails: { minimumCount: 0, maximumCount: 5 },
  outputArtifactDetails: { minimumCount: 0, maximumCount: 5 },
  executable: true,
});
const catalog = createActionTypeCatalog([fakeType("Source"), fakeType("Build")]);

function action(name: string, category: "Source" | "Build", runOrder = 1, extra: object = {}) {
  return {
    name,
    runOrder,
    actionTypeId: { category, owner: "Custom" as const, provider: "Fake", version: "1" },
    ...extra,
  };
}

const decl: PipelineDeclaration = {
  name: "p",
  roleArn: "arn:aws:iam::123456789012:role/r",
  artifactStore: { type: "S3", location: "bucket" },
  version: 1,
  stages: [
    {
      name: "Source",
      actions: [action("Src", "Source", 1, { outputArtifacts: [{ name: "Out" }], namespace: "S" })],
    },
    {
      name: "Build",
      actions: [
        action("A", "Build", 1, { inputArtifacts: [{ name: "Out" }], configuration: { X: "#{S.Commit}" } }),
        action("B", "Build", 1),
        action("C", "Build", 2),
      ],
    },
  ],
};
const plan = planExecution(decl, {
  region: "us-east-1",
  catalog,
  dispatchFor: () => ({ dispatch: "jobWorker" }),
  timeouts: {},
});

let n = 0;
function context(now = 1000): DecisionContext {
  return { now, newId: () => `id-${++n}`, planFor: () => plan };
}

function run(world: World, f: (c: ChangeBuilder, ctx: DecisionContext) => void, now = 1000) {
  const change = new ChangeBuilder(world);
  const ctx = context(now);
  f(change, ctx);
  advance(change, ctx);
  return change.result();
}

describe("the engine moving one execution", () => {
  it("runs the source stage, then both runOrder 1 actions together, then runOrder 2", () => {
    const started = run({ lanes: emptyLanes, executions: new Map() }, (c, ctx) =>
      startExecution(
        c,
        { executionId: "e1", plan, trigger: { triggerType: "StartPipelineExecution" }, variables: [] },
        ctx,
      ),
    );
    const jobs = () => started.effects.filter((e) => e.type === "EnqueueJob");
    expect(jobs().map((e) => e.type === "EnqueueJob" && e.job.actionName)).toEqual(["Src"]);
    expect(started.world.lanes.stages.Source?.occupant).toBe("e1");
    const src = started.world.executions.get("e1")!.actionRuns[0]!;

    const afterSource = run(started.world, (c, ctx) => {
      recordOutcome(
        c,
        {
          executionId: "e1",
          actionExecutionId: src.actionExecutionId,
          step: 0,
          outcome: { kind: "succeeded", outputVariables: { Commit: "abc" } },
        },
        ctx,
      );
    });
    const enqueued = afterSource.effects.flatMap((e) => (e.type === "EnqueueJob" ? [e.job] : []));
    expect(enqueued.map((j) => j.actionName)).toEqual(["A", "B"]);
    expect(enqueued[0]?.configuration).toEqual({ X: "abc" });
    expect(enqueued[0]?.inputArtifacts[0]?.name).toBe("Out");
    expect(afterSource.world.lanes.stages.Source?.occupant).toBeUndefined();
    expect(afterSource.world.lanes.stages.Build?.occupant).toBe("e1");

    const state = afterSource.world.executions.get("e1")!;
    const [a, b] = state.actionRuns.slice(1);
    const afterA = run(afterSource.world, (c, ctx) =>
      recordOutcome(
        c,
        {
          executionId: "e1",
          actionExecutionId: a!.actionExecutionId,
          step: 0,
          outcome: { kind: "succeeded" },
        },
        ctx,
      ),
    );
    expect(afterA.effects).toEqual([]);
    const afterB = run(afterA.world, (c, ctx) =>
      recordOutcome(
        c,
        {
          executionId: "e1",
          actionExecutionId: b!.actionExecutionId,
          step: 0,
          outcome: { kind: "succeeded" },
        },
        ctx,
      ),
    );
    expect(afterB.effects.map((e) => e.type === "EnqueueJob" && e.job.actionName)).toEqual(["C"]);
    const c = afterB.world.executions.get("e1")!.actionRuns[3]!;
    const done = run(afterB.world, (ch, ctx) =>
      recordOutcome(
        ch,
        {
          executionId: "e1",
          actionExecutionId: c.actionExecutionId,
          step: 0,
          outcome: { kind: "succeeded" },
        },
        ctx,
      ),
    );
    const final = done.world.executions.get("e1")!;
    expect(final.status).toBe("Succeeded");
    expect(final.stages.Build?.status).toBe("Succeeded");
    expect(done.world.lanes.stages.Build?.occupant).toBeUndefined();
  });

  it("stops and abandons a running action, cancelling its job", () => {
    const started = run({ lanes: emptyLanes, executions: new Map() }, (c, ctx) =>
      startExecution(
        c,
        { executionId: "e1", plan, trigger: { triggerType: "StartPipelineExecution" }, variables: [] },
        ctx,
      ),
    );
    const stopped = run(started.world, (c, ctx) => {
      expect(requestStop(c, "e1", { abandon: true, reason: "enough" }, ctx)).toBeUndefined();
    });
    const state = stopped.world.executions.get("e1")!;
    expect(state.status).toBe("Stopped");
    expect(state.actionRuns[0]?.status).toBe("Abandoned");
    expect(stopped.effects.map((e) => e.type)).toEqual(["CancelJobs"]);
  });
});
