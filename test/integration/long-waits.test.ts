import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createFakeClock } from "../../src/lib/clock.js";
import { createSqliteStores } from "../../src/store/sqlite/create-sqlite-stores.js";
import { createTestWorld, type TestWorld } from "../support/test-world.js";

// Issue 9 item 2: waits as long as AWS's, with a clock the test controls. A manual approval and
// a custom action's job that a worker acknowledged are held across simulated hours and several
// restarts of the whole runtime on the same SQLite file; neither fails by itself, and each
// finishes when its answer comes. An approval nobody answers fails at its timeout, not before.

const HOUR = 3_600_000;
const dir = mkdtempSync(join(tmpdir(), "pipewright-long-waits-"));
const file = join(dir, "pipewright.db");
const clock = createFakeClock(Date.UTC(2026, 11, 1, 9, 0, 0));
let generation = 0;
const open: TestWorld[] = [];

/** A fresh runtime on the same database and clock, as a restarted server is; recovery included. */
async function boot(): Promise<TestWorld> {
  const world = createTestWorld({
    stores: createSqliteStores({ file }),
    clock,
    firstId: ++generation * 1_000_000,
    // The in-process worker's lease is 30 s: hours pass between its rounds here.
    runtime: { providerLeaseMs: 30_000 },
  });
  open.push(world);
  await world.runtime.recover();
  await world.settle();
  return world;
}

async function restart(world: TestWorld): Promise<TestWorld> {
  await world.runtime.stop();
  await world.stores.close();
  return boot();
}

const worker = { category: "Test", owner: "Custom", provider: "LongWorker", version: "1" };

function pipeline(name: string) {
  return {
    pipeline: {
      name,
      roleArn: "arn:aws:iam::123456789012:role/p",
      artifactStore: { type: "S3", location: "long-waits-artifacts" },
      stages: [
        {
          name: "Source",
          actions: [
            {
              name: "Fetch",
              actionTypeId: { category: "Source", owner: "AWS", provider: "PipewrightTest", version: "1" },
              outputArtifacts: [{ name: "Code" }],
            },
          ],
        },
        {
          name: "Wait",
          actions: [
            {
              name: "Approve",
              actionTypeId: { category: "Approval", owner: "AWS", provider: "Manual", version: "1" },
            },
            { name: "Jenkins", actionTypeId: worker, inputArtifacts: [{ name: "Code" }] },
          ],
        },
      ],
    },
  };
}

async function actionStates(world: TestWorld, name: string) {
  const state = await world.call("GetPipelineState", { name });
  const wait = state.body.stageStates.find((s: { stageName: string }) => s.stageName === "Wait");
  return Object.fromEntries(
    wait.actionStates.map((a: { actionName: string; latestExecution?: Record<string, unknown> }) => [
      a.actionName,
      a.latestExecution ?? {},
    ]),
  );
}

afterAll(async () => {
  for (const w of open) await w.stores.close().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
});

describe("long waits across simulated hours and restarts", () => {
  it("holds an approval and an acknowledged job for 12 hours and 4 restarts, then finishes both", async () => {
    let world = await boot();
    const created = await world.call("CreateCustomActionType", {
      ...worker,
      settings: {},
      configurationProperties: [],
      inputArtifactDetails: { minimumCount: 0, maximumCount: 1 },
      outputArtifactDetails: { minimumCount: 0, maximumCount: 0 },
    });
    expect(created.status).toBe(200);
    expect((await world.call("CreatePipeline", pipeline("long"))).status).toBe(200);
    await world.settle();

    const polled = await world.call("PollForJobs", { actionTypeId: worker, maxBatchSize: 1 });
    const job = polled.body.jobs[0];
    expect(job).toBeDefined();
    const ack = await world.call("AcknowledgeJob", { jobId: job.id, nonce: job.nonce });
    expect(ack.body.status).toBe("InProgress");

    for (let i = 0; i < 4; i++) {
      clock.advance(3 * HOUR);
      await world.settle();
      world = await restart(world);
      const actions = await actionStates(world, "long");
      expect(actions.Approve.status, `approval after ${(i + 1) * 3} h`).toBe("InProgress");
      expect(actions.Jenkins.status, `worker's job after ${(i + 1) * 3} h`).toBe("InProgress");
    }

    const token = (await actionStates(world, "long")).Approve.token as string;
    const approved = await world.call("PutApprovalResult", {
      pipelineName: "long",
      stageName: "Wait",
      actionName: "Approve",
      token,
      result: { status: "Approved", summary: "after lunch" },
    });
    expect(approved.status).toBe(200);
    const done = await world.call("PutJobSuccessResult", { jobId: job.id });
    expect(done.status).toBe(200);
    await world.settle();
    const executions = await world.call("ListPipelineExecutions", { pipelineName: "long" });
    expect(executions.body.pipelineExecutionSummaries[0].status).toBe("Succeeded");
    await world.runtime.stop();
  }, 60_000);

  it("fails an unanswered approval at its 7-day timeout, and not an hour before", async () => {
    let world = await boot();
    const declaration = pipeline("unanswered");
    declaration.pipeline.stages[1]!.actions = declaration.pipeline.stages[1]!.actions.slice(0, 1);
    expect((await world.call("CreatePipeline", declaration)).status).toBe(200);
    await world.settle();
    clock.advance(7 * 24 * HOUR - HOUR);
    world = await restart(world);
    expect((await actionStates(world, "unanswered")).Approve.status).toBe("InProgress");
    clock.advance(2 * HOUR);
    await world.settle();
    const approve = (await actionStates(world, "unanswered")).Approve;
    expect(approve.status).toBe("Failed");
    expect(approve.errorDetails.message).toMatch(/timed out|timeout/iu);
    await world.runtime.stop();
  }, 60_000);
});
