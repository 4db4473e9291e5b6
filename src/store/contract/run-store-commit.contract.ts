import { describe, expect, it } from "vitest";
import { replay } from "../../engine/apply-event.js";
import { emptyLanes, type PipelineLanes } from "../../engine/lanes.js";
import type { CommitResult, ExecutionRecord, RunCommit, RunStore, WorkQueue } from "../types.js";
import { type CurrentStores, otherAccount, otherRegion, scope, T0 } from "./builders.contract.js";
import {
  actionStarted,
  actionSucceeded,
  appendTo,
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

function lanesWaiting(executionId: string): PipelineLanes {
  return { stages: { Build: { waiting: [executionId], latestActions: {} } }, pendingRollbacks: [] };
}

/** Everything a commit could have touched in the fixture below, as the store reports it. */
async function observe(runs: RunStore, queue: WorkQueue) {
  const ids = ["e1", "e2", "e3", "e4"];
  return {
    executions: await Promise.all(ids.map((id) => runs.getExecution(id))),
    events: await Promise.all(ids.map((id) => runs.events(id))),
    listed: await runs.listExecutions(scope, pipelineName, { limit: 10 }),
    lanes: await runs.getLanes(scope, pipelineName),
    jobs: await Promise.all(["j-open", "j-other", "j-new"].map((id) => queue.getJob(id))),
    tokens: await Promise.all(["t2", "t3"].map((t) => runs.findByClientRequestToken(scope, pipelineName, t))),
  };
}

/**
 * e1 (version 3, action a1 running), e2 (version 1, token t2), lanes at version 1, and two
 * queued jobs: j-open of a1 and j-other of a9.
 */
async function fixture(runs: RunStore): Promise<{ e1: ExecutionRecord; e2: ExecutionRecord }> {
  const e1 = await startExecution(runs, "e1", { more: [stageEntered("Build"), actionStarted("a1")] });
  const e2 = await startExecution(runs, "e2", { token: "t2" });
  expect(await runs.commit(runCommit({ lanes: { expectedVersion: 0, lanes: lanesWaiting("e1") } }))).toEqual({
    ok: true,
  });
  await enqueue(runs, [
    { jobId: "j-open", spec: jobSpec("a1") },
    { jobId: "j-other", spec: jobSpec("a9") },
  ]);
  return { e1, e2 };
}

/** A commit that would change every part of the fixture, all of it valid. */
function validCommit(e1: ExecutionRecord): RunCommit {
  return runCommit({
    now: T0 + 5,
    executions: [
      continuation(e1, [actionSucceeded("a1", T0 + 5)]),
      creation("e3", [started("e3", { token: "t3", at: T0 + 5 })]),
    ],
    lanes: { expectedVersion: 1, lanes: lanesWaiting("e3") },
    jobTransitions: [{ jobId: "j-other", from: ["Queued"], to: "Failed" }],
    cancelJobsOf: ["a1"],
    enqueueJobs: [{ jobId: "j-new", spec: jobSpec("a3"), attempt: 1 }],
  });
}

/** Commits `commit`, expects `conflict`, and checks that nothing at all changed. */
async function expectRefusedWhole(
  runs: RunStore,
  queue: WorkQueue,
  commit: RunCommit,
  conflict: CommitResult,
): Promise<void> {
  const before = await observe(runs, queue);
  expect(await runs.commit(commit)).toEqual(conflict);
  expect(await observe(runs, queue)).toEqual(before);
}

export function describeRunCommitContract(current: CurrentStores): void {
  describe("commits", () => {
    it("creates an execution at expected version 0 and stores its snapshot at version = number of events", async () => {
      const { runs } = current().stores;
      const events = [started("e1", { token: "t1" }), stageEntered("Build"), actionStarted("a1")];
      expect(await runs.commit(runCommit({ executions: [creation("e1", events)] }))).toEqual({ ok: true });
      expect(await runs.getExecution("e1")).toEqual({
        scope,
        pipelineName,
        executionId: "e1",
        version: 3,
        state: replay(events),
      });
      expect(await runs.events("e1")).toEqual(events);
    });

    it("appends events in order, and folding all of them gives the stored snapshot", async () => {
      const { runs } = current().stores;
      await startExecution(runs, "e1");
      await appendTo(runs, "e1", [stageEntered("Build", T0 + 1), actionStarted("a1", { at: T0 + 2 })]);
      const last = await appendTo(runs, "e1", [actionSucceeded("a1", T0 + 3)]);
      const events = await runs.events("e1");
      expect(events.map((e) => [e.type, e.at])).toEqual([
        ["ExecutionStarted", T0],
        ["StageEntered", T0 + 1],
        ["ActionStarted", T0 + 2],
        ["ActionSucceeded", T0 + 3],
      ]);
      expect(last.version).toBe(4);
      expect(replay(events)).toEqual(last.state);
    });

    it("returns the events after a version, and none after the last", async () => {
      const { runs } = current().stores;
      await startExecution(runs, "e1", { more: [stageEntered("Build"), actionStarted("a1")] });
      expect((await runs.events("e1", 1)).map((e) => e.type)).toEqual(["StageEntered", "ActionStarted"]);
      expect((await runs.events("e1", 2)).map((e) => e.type)).toEqual(["ActionStarted"]);
      expect(await runs.events("e1", 3)).toEqual([]);
      expect(await runs.events("e1", 0)).toHaveLength(3);
    });

    it("reports nothing for an execution that does not exist", async () => {
      const { runs } = current().stores;
      await startExecution(runs, "e1");
      expect(await runs.getExecution("missing")).toBeUndefined();
      expect(await runs.events("missing")).toEqual([]);
      expect(await runs.getExecutions(["missing"])).toEqual([]);
    });

    it("gets the known executions among several ids, leaving unknown ones out", async () => {
      const { runs } = current().stores;
      const e1 = await startExecution(runs, "e1");
      const e2 = await startExecution(runs, "e2", { scope: otherRegion, pipeline: "other" });
      const got = await runs.getExecutions(["e2", "missing", "e1"]);
      expect(idsOf(got)).toEqual(["e1", "e2"]);
      expect(got.find((r) => r.executionId === "e1")).toEqual(e1);
      expect(got.find((r) => r.executionId === "e2")).toEqual(e2);
      expect(await runs.getExecutions([])).toEqual([]);
    });

    it("changes every part of a valid commit together", async () => {
      const { runs, queue } = current().stores;
      const { e1 } = await fixture(runs);
      expect(await runs.commit(validCommit(e1))).toEqual({ ok: true });
      expect((await runs.getExecution("e1"))?.version).toBe(4);
      expect((await runs.getExecution("e3"))?.version).toBe(1);
      expect(await runs.findByClientRequestToken(scope, pipelineName, "t3")).toBe("e3");
      expect(await runs.getLanes(scope, pipelineName)).toMatchObject({
        version: 2,
        lanes: lanesWaiting("e3"),
      });
      expect((await queue.getJob("j-open"))?.status).toBe("TimedOut");
      expect((await queue.getJob("j-other"))?.status).toBe("Failed");
      expect((await queue.getJob("j-new"))?.status).toBe("Queued");
    });

    it("writes nothing of a commit when one of its executions is at a stale version", async () => {
      const { runs, queue } = current().stores;
      const { e1, e2 } = await fixture(runs);
      await appendTo(runs, "e2", [stageEntered("Build")]);
      const valid = validCommit(e1);
      const commit = {
        ...valid,
        executions: [...valid.executions, continuation(e2, [stageEntered("Test")])],
      };
      await expectRefusedWhole(runs, queue, commit, { ok: false, conflict: "execution" });
    });

    it("writes nothing of a commit that creates an execution that already exists", async () => {
      const { runs, queue } = current().stores;
      const { e1 } = await fixture(runs);
      const valid = validCommit(e1);
      const commit = { ...valid, executions: [...valid.executions, creation("e2", [started("e2")])] };
      await expectRefusedWhole(runs, queue, commit, { ok: false, conflict: "execution" });
    });

    it("writes nothing of a commit whose lanes version is stale, behind or ahead", async () => {
      const { runs, queue } = current().stores;
      const { e1 } = await fixture(runs);
      const valid = validCommit(e1);
      for (const expectedVersion of [0, 2]) {
        const commit = { ...valid, lanes: { expectedVersion, lanes: lanesWaiting("e3") } };
        await expectRefusedWhole(runs, queue, commit, { ok: false, conflict: "lanes" });
      }
    });

    it("writes nothing of a commit whose job transition finds the job in another status", async () => {
      const { runs, queue } = current().stores;
      const { e1 } = await fixture(runs);
      const valid = validCommit(e1);
      const commit: RunCommit = {
        ...valid,
        jobTransitions: [
          ...(valid.jobTransitions ?? []),
          { jobId: "j-open", from: ["Dispatched", "InProgress"], to: "Succeeded" },
        ],
      };
      await expectRefusedWhole(runs, queue, commit, { ok: false, conflict: "job" });
    });

    it("writes nothing of a commit whose job transition names a job that does not exist", async () => {
      const { runs, queue } = current().stores;
      const { e1 } = await fixture(runs);
      const valid = validCommit(e1);
      const commit: RunCommit = {
        ...valid,
        jobTransitions: [
          ...(valid.jobTransitions ?? []),
          { jobId: "missing", from: ["Queued"], to: "Failed" },
        ],
      };
      await expectRefusedWhole(runs, queue, commit, { ok: false, conflict: "job" });
    });

    it("accepts the commit it refused once the caller retries it on current versions", async () => {
      const { runs } = current().stores;
      const { e1 } = await fixture(runs);
      const valid = validCommit(e1);
      expect(await runs.commit({ ...valid, lanes: { expectedVersion: 0, lanes: emptyLanes } })).toEqual({
        ok: false,
        conflict: "lanes",
      });
      expect(await runs.commit(valid)).toEqual({ ok: true });
      expect(await runs.findByClientRequestToken(scope, pipelineName, "t3")).toBe("e3");
    });
  });

  describe("client request tokens", () => {
    it("refuses a second execution with a pipeline's token, names the holder and writes nothing", async () => {
      const { runs, queue } = current().stores;
      const { e1 } = await fixture(runs);
      const valid = validCommit(e1);
      const commit = {
        ...valid,
        executions: [...valid.executions, creation("e4", [started("e4", { token: "t2" })])],
      };
      await expectRefusedWhole(runs, queue, commit, {
        ok: false,
        conflict: "clientRequestToken",
        existingExecutionId: "e2",
      });
    });

    it("accepts the same token in another pipeline, another region and another account", async () => {
      const { runs } = current().stores;
      await startExecution(runs, "e1", { token: "shared" });
      await startExecution(runs, "e2", { token: "shared", pipeline: "other" });
      await startExecution(runs, "e3", { token: "shared", scope: otherRegion });
      await startExecution(runs, "e4", { token: "shared", scope: otherAccount });
      expect(await runs.findByClientRequestToken(scope, pipelineName, "shared")).toBe("e1");
      expect(await runs.findByClientRequestToken(scope, "other", "shared")).toBe("e2");
      expect(await runs.findByClientRequestToken(otherRegion, pipelineName, "shared")).toBe("e3");
      expect(await runs.findByClientRequestToken(otherAccount, pipelineName, "shared")).toBe("e4");
    });

    it("finds no execution for a token nobody used, and keeps the token through later appends", async () => {
      const { runs } = current().stores;
      await startExecution(runs, "e1", { token: "t1" });
      await startExecution(runs, "e2");
      await appendTo(runs, "e1", [stageEntered("Build")]);
      expect(await runs.findByClientRequestToken(scope, pipelineName, "t1")).toBe("e1");
      expect(await runs.findByClientRequestToken(scope, pipelineName, "unused")).toBeUndefined();
      expect(await runs.findByClientRequestToken(scope, "other", "t1")).toBeUndefined();
    });
  });
}
