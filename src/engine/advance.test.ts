import { describe, expect, it } from "vitest";
import { recordOutcome, setTransition } from "./commands.js";
import { emptyWorld, start, step, twoStages } from "./testing/builders.js";
import type { World } from "./world.js";

const succeed = (
  world: World,
  plan: ReturnType<typeof twoStages>,
  id: string,
  actionName: string,
  now = 2_000,
) =>
  step(
    world,
    plan,
    (c, ctx) => {
      const run = c
        .state(id)
        .actionRuns.find((r) => r.actionName === actionName && r.status === "InProgress")!;
      recordOutcome(
        c,
        {
          executionId: id,
          actionExecutionId: run.actionExecutionId,
          step: 0,
          outcome: { kind: "succeeded" },
        },
        ctx,
      );
    },
    now,
  ).world;

describe("admission into stages", () => {
  it("SUPERSEDED: a newer execution arriving at a held stage supersedes the one already waiting", () => {
    const plan = twoStages();
    let world = start(emptyWorld, plan, "a").world;
    world = succeed(world, plan, "a", "Fetch");
    expect(world.lanes.stages.Build?.occupant).toBe("a");
    world = start(world, plan, "b", 1_100).world;
    world = succeed(world, plan, "b", "Fetch", 1_200);
    expect(world.lanes.stages.Build?.waiting).toEqual(["b"]);
    const third = start(world, plan, "c", 1_300).world;
    const done = succeed(third, plan, "c", "Fetch", 1_400);
    expect(done.lanes.stages.Build?.waiting).toEqual(["c"]);
    expect(done.executions.get("b")?.status).toBe("Superseded");
    expect(done.executions.get("b")?.statusSummary).toContain("Superseded by execution c");
  });

  it("QUEUED: arrivals wait in order and nobody is superseded", () => {
    const plan = twoStages({ executionMode: "QUEUED", pipelineType: "V2" });
    let world = start(emptyWorld, plan, "a").world;
    world = succeed(world, plan, "a", "Fetch");
    for (const id of ["b", "c"]) {
      world = start(world, plan, id, 1_100).world;
      world = succeed(world, plan, id, "Fetch", 1_200);
    }
    expect(world.lanes.stages.Build?.waiting).toEqual(["b", "c"]);
    world = succeed(world, plan, "a", "Compile", 1_300);
    expect(world.lanes.stages.Build?.occupant).toBe("b");
    expect(world.lanes.stages.Build?.waiting).toEqual(["c"]);
    expect(world.executions.get("c")?.status).toBe("InProgress");
  });

  it("PARALLEL: executions share a stage without a lock", () => {
    const plan = twoStages({ executionMode: "PARALLEL", pipelineType: "V2" });
    let world = start(emptyWorld, plan, "a").world;
    world = start(world, plan, "b").world;
    world = succeed(world, plan, "a", "Fetch");
    world = succeed(world, plan, "b", "Fetch");
    expect(world.executions.get("a")?.stages.Build?.status).toBe("InProgress");
    expect(world.executions.get("b")?.stages.Build?.status).toBe("InProgress");
    expect(world.lanes.stages.Build?.occupant).toBeUndefined();
  });

  it("a disabled transition holds the execution until it is enabled again", () => {
    const plan = twoStages();
    let world = step(emptyWorld, plan, (c, ctx) =>
      setTransition(c, { stageName: "Build", enabled: false, reason: "freeze", by: "me" }, ctx),
    ).world;
    world = start(world, plan, "a").world;
    world = succeed(world, plan, "a", "Fetch");
    expect(world.executions.get("a")?.inStage).toBe(false);
    expect(world.lanes.stages.Build?.waiting).toEqual(["a"]);
    expect(world.lanes.stages.Build?.transition).toMatchObject({
      enabled: false,
      disabledReason: "freeze",
      lastChangedBy: "me",
    });
    world = step(world, plan, (c, ctx) =>
      setTransition(c, { stageName: "Build", enabled: true, by: "me" }, ctx),
    ).world;
    expect(world.executions.get("a")?.stages.Build?.status).toBe("InProgress");
    expect(world.lanes.stages.Build?.transition?.disabledReason).toBeUndefined();
  });

  it("advancing an advanced world records nothing (advance is idempotent)", () => {
    const plan = twoStages();
    const world = start(emptyWorld, plan, "a").world;
    const again = step(world, plan, () => {});
    expect(again.events.size).toBe(0);
    expect(again.effects).toEqual([]);
  });
});
