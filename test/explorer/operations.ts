import fc from "fast-check";
import type { ExecutionPlan } from "../../src/engine/plan.js";
import { isTerminalExecution } from "../../src/engine/statuses.js";
import { action, pipelineOf } from "../../src/engine/testing/builders.js";
import type { ExecutionMode } from "../../src/model/declaration.js";
import type { Sim } from "./sim.js";

/**
 * The explorer's vocabulary: every way run state changes in the server, as plain data so
 * fast-check can generate, shrink and print sequences of them, and regression cases can be kept
 * as JSON. `pick` chooses among whatever exists at that moment (modulo its count), so any
 * sequence applies to any state.
 */
export type Operation =
  | { readonly op: "start" }
  | { readonly op: "result"; readonly pick: number; readonly kind: "succeed" | "fail" | "progress" }
  | { readonly op: "approve"; readonly pick: number; readonly status: "Approved" | "Rejected" }
  | { readonly op: "stop"; readonly pick: number; readonly abandon: boolean }
  | {
      readonly op: "retry";
      readonly pick: number;
      readonly stage: number;
      readonly mode: "FAILED_ACTIONS" | "ALL_ACTIONS";
    }
  | { readonly op: "transition"; readonly stage: number; readonly enabled: boolean }
  | { readonly op: "update"; readonly variant: number }
  | { readonly op: "tick"; readonly ms: number }
  | { readonly op: "crash" };

const manual = { category: "Approval", owner: "AWS", provider: "Manual", version: "1" } as const;

/** Pipeline versions the explorer switches between: shared and differing stage names on purpose. */
export function planVariants(executionMode: ExecutionMode): ExecutionPlan[] {
  const v2 = { pipelineType: "V2" as const, executionMode };
  const rollbackable = executionMode !== "PARALLEL";
  return [
    pipelineOf(
      [
        { name: "Source", actions: [action("Fetch", "Source")] },
        { name: "Build", actions: [action("Compile"), action("Lint", "Build", { runOrder: 2 })] },
        {
          name: "Approve",
          actions: [action("Gate", "Approval", { actionTypeId: manual, timeoutInMinutes: 60 })],
        },
        {
          name: "Deploy",
          actions: [action("Ship", "Deploy")],
          ...(rollbackable ? { onFailure: { result: "ROLLBACK" as const } } : {}),
        },
      ],
      v2,
    ),
    pipelineOf(
      [
        { name: "Source", actions: [action("Fetch", "Source")] },
        {
          name: "Build",
          actions: [action("Compile")],
          onFailure: {
            result: "RETRY" as const,
            retryConfiguration: { retryMode: "FAILED_ACTIONS" as const },
          },
        },
        { name: "Deploy", actions: [action("Ship", "Deploy"), action("Smoke", "Deploy")] },
      ],
      v2,
    ),
    pipelineOf(
      [
        { name: "Source", actions: [action("Fetch", "Source")] },
        { name: "Test", actions: [action("Unit")] },
        { name: "Build", actions: [action("Compile")] },
      ],
      v2,
    ),
  ];
}

const pick = fc.nat({ max: 50 });

export const operation: fc.Arbitrary<Operation> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ op: "start" as const }) },
  {
    weight: 8,
    arbitrary: fc.record({
      op: fc.constant("result" as const),
      pick,
      kind: fc.constantFrom("succeed" as const, "succeed" as const, "fail" as const, "progress" as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant("approve" as const),
      pick,
      status: fc.constantFrom("Approved" as const, "Rejected" as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("stop" as const), pick, abandon: fc.boolean() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant("retry" as const),
      pick,
      stage: fc.nat({ max: 3 }),
      mode: fc.constantFrom("FAILED_ACTIONS" as const, "ALL_ACTIONS" as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant("transition" as const),
      stage: fc.nat({ max: 3 }),
      enabled: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("update" as const), variant: fc.nat({ max: 2 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant("tick" as const),
      ms: fc.constantFrom(1_000, 600_000, 3_600_000),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ op: "crash" as const }) },
);

/** Applies one operation to the simulated server, as the matching API call or component would. */
export function applyOperation(sim: Sim, o: Operation, variants: readonly ExecutionPlan[]): void {
  const jobs = () => sim.openJobs().filter((j) => j.spec.actionTypeId.category !== "Approval");
  const approvals = () => sim.openJobs().filter((j) => j.spec.actionTypeId.category === "Approval");
  const executions = () => [...sim.executions.keys()];
  switch (o.op) {
    case "start":
      sim.start();
      break;
    case "result": {
      const open = jobs();
      const job = open[o.pick % Math.max(1, open.length)];
      if (!job) break;
      sim.complete(
        job,
        o.kind === "succeed"
          ? { kind: "succeeded" }
          : o.kind === "fail"
            ? { kind: "failed", failure: { type: "JobFailed", message: "explorer said fail" } }
            : { kind: "inProgress", continuationToken: `c${job.spec.step + 1}`, pollAfterMs: 0 },
      );
      break;
    }
    case "approve": {
      const open = approvals();
      const job = open[o.pick % Math.max(1, open.length)];
      if (job) sim.approve(job, o.status);
      break;
    }
    case "stop": {
      const ids = executions().filter((id) => !isTerminalExecution(sim.executions.get(id)!.state.status));
      const id = ids[o.pick % Math.max(1, ids.length)];
      if (id) sim.stop(id, o.abandon);
      break;
    }
    case "retry": {
      const ids = executions();
      const id = ids[o.pick % Math.max(1, ids.length)];
      const plan = id ? sim.planOf(sim.executions.get(id)!.state.pipelineVersion) : undefined;
      const stage = plan?.stages[o.stage % plan.stages.length];
      if (id && stage) sim.retry(id, stage.name, o.mode);
      break;
    }
    case "transition": {
      const stages = sim.currentPlan.stages;
      sim.transition(stages[o.stage % stages.length]!.name, o.enabled);
      break;
    }
    case "update":
      sim.updatePipeline(variants[o.variant % variants.length]!);
      break;
    case "tick":
      sim.tick(o.ms);
      break;
    case "crash":
      sim.crash();
      break;
  }
  sim.startPendingRollbacks();
}

/**
 * Liveness: with every transition enabled and every job and approval answered with success, each
 * execution must end. Returns the executions that never did.
 */
export function drain(sim: Sim): string[] {
  for (const stage of sim.currentPlan.stages) sim.transition(stage.name, true);
  for (const name of Object.keys(sim.lanes.stages)) {
    if (sim.lanes.stages[name]?.transition?.enabled === false) sim.transition(name, true);
  }
  for (let round = 0; round < 10_000; round++) {
    const open = sim.openJobs();
    if (open.length === 0) {
      // Jobs not yet available (a continuation's pollAfterMs) or timeouts: let time pass once.
      const waiting = sim.jobs.some((j) => j.status === "Open");
      if (!waiting) break;
      sim.tick(60_000);
      continue;
    }
    const job = open[0]!;
    if (job.spec.actionTypeId.category === "Approval") sim.approve(job, "Approved");
    else sim.complete(job, { kind: "succeeded" });
    if (job.status === "Open") job.status = "Cancelled";
    sim.startPendingRollbacks();
  }
  return [...sim.executions.values()]
    .filter((e) => !isTerminalExecution(e.state.status))
    .map(
      (e) =>
        `${e.state.executionId} (${e.state.status}, stage ${e.state.stageIndex}${e.state.inStage ? "" : " waiting"})`,
    );
}
