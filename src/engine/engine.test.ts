import { describe, expect, it } from "vitest";
import { recordOutcome, requestStop, startExecution } from "./commands.js";
import { action, emptyWorld, pipelineOf, step } from "./testing/builders.js";
import type { ChangeBuilder, DecisionContext, World } from "./world.js";

const plan = pipelineOf([
  {
    name: "Source",
    actions: [action("Src", "Source", { outputArtifacts: [{ name: "Out" }], namespace: "S" })],
  },
  {
    name: "Build",
    actions: [
      action("A", "Build", { inputArtifacts: [{ name: "Out" }], configuration: { X: "#{S.Commit}" } }),
      action("B"),
      action("C", "Build", { runOrder: 2 }),
    ],
  },
]);

const run = (world: World, f: (c: ChangeBuilder, ctx: DecisionContext) => void) => step(world, plan, f);

describe("the engine moving one execution", () => {
  it("runs the source stage, then both runOrder 1 actions together, then runOrder 2", () => {
    const started = run(emptyWorld, (c, ctx) =>
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
    const started = run(emptyWorld, (c, ctx) =>
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
