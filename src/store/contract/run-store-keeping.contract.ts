import { describe, expect, it } from "vitest";
import type { ExecutionEvent } from "../../engine/events.js";
import type { PipelineLanes } from "../../engine/lanes.js";
import type { RunStore, Scope, WorkQueue } from "../types.js";
import { type CurrentStores, otherRegion, scope, T0, tryToMutate } from "./builders.contract.js";
import {
  actionStarted,
  appendTo,
  claimRequest,
  continuation,
  creation,
  enqueue,
  idsOf,
  jobSpec,
  pipelineName,
  runCommit,
  stageEntered,
  startExecution,
  started,
} from "./run-builders.contract.js";

const rollback: PipelineLanes = {
  stages: { Build: { waiting: ["e2"], latestActions: { Compile: "e1" } } },
  pendingRollbacks: [{ stageName: "Build", targetExecutionId: "e0", failedExecutionId: "e1" }],
};

/**
 * One pipeline's full run state under an id prefix: an execution with a token and a running
 * action (due at T0 + 50), lanes with a pending rollback, a queued job, a job claimed by
 * `w-<prefix>` and an approval job with token `tk-<prefix>`.
 */
async function populate(
  runs: RunStore,
  queue: WorkQueue,
  prefix: string,
  where: Scope,
  pipeline: string,
): Promise<void> {
  const more = [stageEntered("Build"), actionStarted(`${prefix}-a1`, { timeoutAt: T0 + 50 })];
  await startExecution(runs, `${prefix}-e1`, { scope: where, pipeline, token: `t-${prefix}`, more });
  const lanes = { expectedVersion: 0, lanes: rollback };
  expect(await runs.commit(runCommit({ scope: where, pipelineName: pipeline, lanes }))).toEqual({ ok: true });
  const spec = (run: string) => jobSpec(run, { pipeline });
  // The query value singles the held job out from the queued jobs of earlier populate calls.
  const held = { ...spec(`${prefix}-a1`), queryValue: `held-${prefix}` };
  await enqueue(runs, [{ jobId: `${prefix}-held`, spec: held }], { scope: where, pipeline });
  const claimed = await queue.claimJobs(
    claimRequest({ workerId: `w-${prefix}`, queryValue: `held-${prefix}` }),
  );
  expect(claimed.map((j) => j.jobId)).toEqual([`${prefix}-held`]);
  await enqueue(
    runs,
    [
      { jobId: `${prefix}-queued`, spec: spec(`${prefix}-a2`) },
      { jobId: `${prefix}-approval`, spec: { ...spec(`${prefix}-a3`), callbackToken: `tk-${prefix}` } },
    ],
    { scope: where, pipeline },
  );
}

/** What the store reports about the run state `populate(prefix, …)` wrote. */
async function reported(runs: RunStore, queue: WorkQueue, prefix: string, where: Scope, pipeline: string) {
  return {
    execution: await runs.getExecution(`${prefix}-e1`),
    events: await runs.events(`${prefix}-e1`),
    listed: (await runs.listExecutions(where, pipeline, { limit: 10 })).items.map((r) => r.executionId),
    token: await runs.findByClientRequestToken(where, pipeline, `t-${prefix}`),
    active: await runs.countActive(where, pipeline),
    lanes: await runs.getLanes(where, pipeline),
    jobs: await Promise.all(["held", "queued", "approval"].map((j) => queue.getJob(`${prefix}-${j}`))),
    held: idsOf(await queue.jobsHeldBy(`w-${prefix}`)),
    approval: (await queue.jobByCallbackToken(`tk-${prefix}`))?.jobId,
  };
}

export function describeRunKeepingContract(current: CurrentStores): void {
  describe("removing a pipeline's runs", () => {
    it("forgets that pipeline's executions, events, lanes and jobs, and nothing of other pipelines", async () => {
      const { runs, queue } = current().stores;
      await populate(runs, queue, "gone", scope, pipelineName);
      await populate(runs, queue, "sibling", scope, "other");
      await populate(runs, queue, "west", otherRegion, pipelineName);
      const sibling = await reported(runs, queue, "sibling", scope, "other");
      const west = await reported(runs, queue, "west", otherRegion, pipelineName);

      await runs.removePipelineRuns(scope, pipelineName);

      expect(await reported(runs, queue, "gone", scope, pipelineName)).toEqual({
        execution: undefined,
        events: [],
        listed: [],
        token: undefined,
        active: 0,
        lanes: { scope, pipelineName, version: 0, lanes: { stages: {}, pendingRollbacks: [] } },
        jobs: [undefined, undefined, undefined],
        held: [],
        approval: undefined,
      });
      expect(await reported(runs, queue, "sibling", scope, "other")).toEqual(sibling);
      expect(await reported(runs, queue, "west", otherRegion, pipelineName)).toEqual(west);
      expect(idsOf(await runs.activeExecutions(10))).toEqual(["sibling-e1", "west-e1"]);
      expect(idsOf(await runs.dueExecutions(T0 + 50, 10))).toEqual(["sibling-e1", "west-e1"]);
      expect((await runs.lanesWithPendingRollbacks(10)).map((l) => l.pipelineName).sort()).toEqual([
        "app",
        "other",
      ]);
      expect(idsOf(await queue.claimJobs(claimRequest({ now: T0 + 100 })))).toEqual([
        "sibling-approval",
        "sibling-queued",
        "west-approval",
        "west-queued",
      ]);
    });

    it("lets a removed pipeline start afresh, and removing a pipeline that never ran is harmless", async () => {
      const { runs, queue } = current().stores;
      await populate(runs, queue, "gone", scope, pipelineName);
      await runs.removePipelineRuns(scope, pipelineName);
      await runs.removePipelineRuns(scope, "never-ran");
      const again = await startExecution(runs, "gone-e1", { token: "t-gone" });
      expect(again.version).toBe(1);
      expect(await runs.events("gone-e1")).toHaveLength(1);
      expect(await runs.commit(runCommit({ lanes: { expectedVersion: 0, lanes: rollback } }))).toEqual({
        ok: true,
      });
    });
  });

  describe("record isolation", () => {
    it("keeps stored run state apart from the objects a commit was given", async () => {
      const { runs, queue } = current().stores;
      const where = { ...scope };
      const events: ExecutionEvent[] = [started("e1"), stageEntered("Build"), actionStarted("a1")];
      const append = creation("e1", events);
      const lanes = structuredClone(rollback) as { -readonly [K in keyof PipelineLanes]: PipelineLanes[K] };
      const spec = jobSpec("a1", { callbackToken: "tk" });
      const commit = runCommit({
        scope: where,
        executions: [append],
        lanes: { expectedVersion: 0, lanes },
        enqueueJobs: [{ jobId: "j1", spec, attempt: 1 }],
      });
      const expected = structuredClone(commit);
      expect(await runs.commit(commit)).toEqual({ ok: true });

      where.accountId = "999999999999";
      events.push(stageEntered("Deploy"));
      (events[0] as { at: number }).at = 0;
      (append.state as { status: string }).status = "Failed";
      lanes.pendingRollbacks = [];
      (spec.configuration as Record<string, string>).Token = "edited";

      expect(await runs.getExecution("e1")).toMatchObject({
        scope,
        version: 3,
        state: expected.executions[0]!.state,
      });
      expect(await runs.events("e1")).toEqual(expected.executions[0]!.events);
      expect(await runs.getLanes(scope, pipelineName)).toEqual({
        scope,
        pipelineName,
        version: 1,
        lanes: rollback,
      });
      expect(await runs.lanesWithPendingRollbacks(10)).toEqual([
        { scope, pipelineName, version: 1, lanes: rollback },
      ]);
      expect(await queue.getJob("j1")).toMatchObject({ scope, spec: expected.enqueueJobs![0]!.spec });
      expect(await runs.countActive(scope, pipelineName)).toBe(1);
    });

    it("keeps stored run state apart from the records it returns", async () => {
      const { runs, queue } = current().stores;
      const record = await startExecution(runs, "e1", { more: [stageEntered("Build")] });
      await runs.commit(runCommit({ lanes: { expectedVersion: 0, lanes: rollback } }));
      await enqueue(runs, [{ jobId: "j1", spec: jobSpec("a1") }]);
      const state = structuredClone(record.state);
      const events = await runs.events("e1");
      const lanes = await runs.getLanes(scope, pipelineName);
      const job = (await queue.getJob("j1"))!;
      tryToMutate(() => {
        (record.state as { status: string }).status = "Failed";
      });
      tryToMutate(() => {
        (record.scope as { region: string }).region = "eu-west-1";
      });
      tryToMutate(() => {
        (events[0] as { at: number }).at = 0;
      });
      tryToMutate(() => {
        events.pop();
      });
      tryToMutate(() => {
        (lanes.lanes.pendingRollbacks as unknown[]).length = 0;
      });
      tryToMutate(() => {
        (job.spec.configuration as Record<string, string>).Token = "edited";
      });
      const reread = (await runs.getExecution("e1"))!;
      expect(reread.state).toEqual(state);
      expect(reread.scope).toEqual(scope);
      expect((await runs.events("e1")).map((e) => e.at)).toEqual([T0, T0]);
      expect((await runs.getLanes(scope, pipelineName)).lanes).toEqual(rollback);
      expect((await queue.getJob("j1"))?.spec).toEqual(jobSpec("a1"));
    });
  });

  describe("run state durability", () => {
    it("still has executions, events, lanes and jobs after reopening, and takes commits where it left off", async ({
      skip,
    }) => {
      const { stores, reopen } = current();
      if (!reopen) skip("these stores keep nothing across a restart, so there is nothing to reopen");
      await populate(stores.runs, stores.queue, "kept", scope, pipelineName);
      await appendTo(stores.runs, "kept-e1", [stageEntered("Test", T0 + 1)]);
      await populate(stores.runs, stores.queue, "removed", scope, "removed");
      await stores.runs.removePipelineRuns(scope, "removed");
      const before = await reported(stores.runs, stores.queue, "kept", scope, pipelineName);
      await enqueue(stores.runs, [{ jobId: "later", spec: jobSpec("z", { availableAt: T0 + 500 }) }]);

      const { runs, queue } = await reopen!();

      expect(await reported(runs, queue, "kept", scope, pipelineName)).toEqual(before);
      expect(before.execution?.version).toBe(4);
      expect(idsOf(await runs.activeExecutions(10))).toEqual(["kept-e1"]);
      expect(idsOf(await runs.dueExecutions(T0 + 50, 10))).toEqual(["kept-e1"]);
      expect(idsOf(await queue.expiredLeases(T0 + 10_000_000, 10))).toEqual(["kept-held"]);
      expect(await runs.lanesWithPendingRollbacks(10)).toEqual([before.lanes]);
      const removed = await reported(runs, queue, "removed", scope, "removed");
      expect([removed.execution, removed.lanes.version, ...removed.jobs]).toEqual([
        undefined,
        0,
        undefined,
        undefined,
        undefined,
      ]);
      // Claim order survives too: queued before approval (same availableAt), then the later job.
      expect((await queue.claimJobs(claimRequest({ now: T0 + 500 }))).map((j) => j.jobId)).toEqual([
        "kept-queued",
        "kept-approval",
        "later",
      ]);
      const record = before.execution!;
      const next = await runs.commit(
        runCommit({ executions: [continuation(record, [stageEntered("Deploy")])] }),
      );
      expect(next).toEqual({ ok: true });
      expect((await runs.getExecution("kept-e1"))?.version).toBe(5);
      expect(await runs.commit(runCommit({ lanes: { expectedVersion: 1, lanes: rollback } }))).toEqual({
        ok: true,
      });
    });
  });
}
