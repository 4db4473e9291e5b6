import { describe, expect, it } from "vitest";
import { emptyLanes, type PipelineLanes } from "../../engine/lanes.js";
import type { RunStore, Scope } from "../types.js";
import { type CurrentStores, otherAccount, otherRegion, scope, T0 } from "./builders.contract.js";
import {
  actionStarted,
  actionSucceeded,
  appendTo,
  completed,
  idsOf,
  pipelineName,
  runCommit,
  stageEntered,
  startExecution,
  stopRequested,
} from "./run-builders.contract.js";

async function listAll(runs: RunStore, where: Scope, pipeline: string, limit: number) {
  const pages: { ids: string[]; nextAfter: string | undefined }[] = [];
  let after: string | undefined;
  do {
    const page = await runs.listExecutions(
      where,
      pipeline,
      after === undefined ? { limit } : { after, limit },
    );
    pages.push({ ids: page.items.map((r) => r.executionId), nextAfter: page.nextAfter });
    after = page.nextAfter;
  } while (after !== undefined && pages.length < 1_000);
  return pages;
}

function pendingRollback(stageName: string): PipelineLanes {
  return {
    stages: {},
    pendingRollbacks: [{ stageName, targetExecutionId: "old", failedExecutionId: "new" }],
  };
}

export function describeRunQueriesContract(current: CurrentStores): void {
  describe("execution lists", () => {
    it("lists a pipeline's executions newest first, ties by execution id descending", async () => {
      const { runs } = current().stores;
      for (const [id, at] of [
        ["b", T0 + 2],
        ["a", T0 + 2],
        ["c", T0 + 1],
        ["d", T0 + 3],
        ["e", T0 + 10_000],
      ] as const) {
        await startExecution(runs, id, { at });
      }
      const page = await runs.listExecutions(scope, pipelineName, { limit: 10 });
      expect(page.items.map((r) => r.executionId)).toEqual(["e", "d", "b", "a", "c"]);
      expect(page.items[0]).toEqual(await runs.getExecution("e"));
      expect(page.nextAfter).toBeUndefined();
    });

    it("latestExecutions gives each pipeline's newest execution in the scope, and only that scope's", async () => {
      const { runs } = current().stores;
      await startExecution(runs, "a1", { at: T0 + 1 });
      await startExecution(runs, "a3", { at: T0 + 3 });
      await startExecution(runs, "a2", { at: T0 + 2 });
      await startExecution(runs, "b1", { at: T0 + 5, pipeline: "other" });
      await startExecution(runs, "x9", { at: T0 + 9, scope: otherRegion });
      const latest = await runs.latestExecutions(scope);
      const byPipeline = Object.fromEntries(latest.map((r) => [r.pipelineName, r.executionId]));
      expect(byPipeline).toEqual({ [pipelineName]: "a3", other: "b1" });
      expect(latest.find((r) => r.executionId === "a3")).toEqual(await runs.getExecution("a3"));
      expect((await runs.latestExecutions(otherRegion)).map((r) => r.executionId)).toEqual(["x9"]);
      expect(await runs.latestExecutions(otherAccount)).toEqual([]);
    });

    it("pages with nextAfter until the last page, which has no nextAfter", async () => {
      const { runs } = current().stores;
      for (let i = 0; i < 7; i++) await startExecution(runs, `e${i}`, { at: T0 + (i % 3) });
      const pages = await listAll(runs, scope, pipelineName, 3);
      expect(pages.map((p) => p.ids)).toEqual([["e5", "e2", "e4"], ["e1", "e6", "e3"], ["e0"]]);
      expect(pages.map((p) => p.nextAfter === undefined)).toEqual([false, false, true]);
      // A page that ends exactly at the last execution says there is no more.
      expect((await listAll(runs, scope, pipelineName, 7)).map((p) => p.ids.length)).toEqual([7]);
      expect((await listAll(runs, scope, pipelineName, 1)).flatMap((p) => p.ids)).toEqual(
        pages.flatMap((p) => p.ids),
      );
    });

    it("lists only the executions of that account, region and pipeline", async () => {
      const { runs } = current().stores;
      await startExecution(runs, "mine");
      await startExecution(runs, "other-pipeline", { pipeline: "other" });
      await startExecution(runs, "west", { scope: otherRegion });
      await startExecution(runs, "theirs", { scope: otherAccount });
      expect(
        (await runs.listExecutions(scope, pipelineName, { limit: 10 })).items.map((r) => r.executionId),
      ).toEqual(["mine"]);
      expect((await runs.listExecutions(otherRegion, pipelineName, { limit: 10 })).items).toHaveLength(1);
      expect(await runs.listExecutions(scope, "never-ran", { limit: 10 })).toEqual({ items: [] });
    });

    it("rejects a page limit that is not a positive integer", async () => {
      const { runs } = current().stores;
      await startExecution(runs, "e1");
      for (const limit of [0, -1, 1.5, Number.NaN]) {
        await expect(runs.listExecutions(scope, pipelineName, { limit })).rejects.toThrow(/limit/);
      }
    });
  });

  describe("active and due executions", () => {
    it("counts and sweeps only InProgress and Stopping executions", async () => {
      const { runs } = current().stores;
      await startExecution(runs, "running");
      await startExecution(runs, "stopping", { more: [stopRequested(T0 + 1)] });
      await startExecution(runs, "done", { more: [completed("Succeeded", T0 + 1)] });
      await startExecution(runs, "stopped", { more: [stopRequested(T0 + 1), completed("Stopped", T0 + 2)] });
      await startExecution(runs, "elsewhere", { pipeline: "other" });
      await startExecution(runs, "west", { scope: otherRegion });
      expect(await runs.countActive(scope, pipelineName)).toBe(2);
      expect(await runs.countActive(scope, "other")).toBe(1);
      expect(await runs.countActive(scope, "never-ran")).toBe(0);
      const active = await runs.activeExecutions(100);
      expect(idsOf(active)).toEqual(["elsewhere", "running", "stopping", "west"]);
      expect(active.find((a) => a.executionId === "west")).toEqual({
        scope: otherRegion,
        pipelineName,
        executionId: "west",
      });
      const two = await runs.activeExecutions(2);
      expect(two).toHaveLength(2);
      expect(idsOf(active)).toEqual(expect.arrayContaining(idsOf(two)));
    });

    it("stops counting an execution once it finishes", async () => {
      const { runs } = current().stores;
      await startExecution(runs, "e1");
      expect(await runs.countActive(scope, pipelineName)).toBe(1);
      await appendTo(runs, "e1", [completed("Failed", T0 + 1)]);
      expect(await runs.countActive(scope, pipelineName)).toBe(0);
      expect(await runs.activeExecutions(10)).toEqual([]);
    });

    it("finds unfinished executions whose earliest running action times out at or before now", async () => {
      const { runs } = current().stores;
      const build = (id: string, timeoutAt: number) => actionStarted(id, { timeoutAt });
      await startExecution(runs, "two", {
        more: [stageEntered("Build"), build("a1", T0 + 100), build("a2", T0 + 50)],
      });
      await startExecution(runs, "late", { more: [stageEntered("Build"), build("b1", T0 + 200)] });
      await startExecution(runs, "stopping", {
        more: [stageEntered("Build"), build("c1", T0 + 20), stopRequested()],
      });
      await startExecution(runs, "finished", {
        more: [stageEntered("Build"), build("d1", T0 + 10), completed("Failed")],
      });
      await startExecution(runs, "succeeded-action", {
        more: [stageEntered("Build"), build("f1", T0 + 10), actionSucceeded("f1")],
      });
      await startExecution(runs, "idle", { scope: otherRegion });
      expect(await runs.dueExecutions(T0 + 19, 10)).toEqual([]);
      expect(idsOf(await runs.dueExecutions(T0 + 20, 10))).toEqual(["stopping"]);
      expect(idsOf(await runs.dueExecutions(T0 + 50, 10))).toEqual(["stopping", "two"]);
      expect(idsOf(await runs.dueExecutions(T0 + 10_000, 10))).toEqual(["late", "stopping", "two"]);
      expect(await runs.dueExecutions(T0 + 10_000, 2)).toHaveLength(2);
      expect((await runs.dueExecutions(T0 + 20, 10))[0]).toEqual({
        scope,
        pipelineName,
        executionId: "stopping",
      });
    });

    it("moves an execution's deadline when its earliest action finishes", async () => {
      const { runs } = current().stores;
      const more = [stageEntered("Build"), actionStarted("a1", { timeoutAt: T0 + 100 })];
      await startExecution(runs, "e1", { more: [...more, actionStarted("a2", { timeoutAt: T0 + 50 })] });
      await appendTo(runs, "e1", [actionSucceeded("a2", T0 + 1)]);
      expect(await runs.dueExecutions(T0 + 99, 10)).toEqual([]);
      expect(idsOf(await runs.dueExecutions(T0 + 100, 10))).toEqual(["e1"]);
      await appendTo(runs, "e1", [completed("Succeeded", T0 + 2)]);
      expect(await runs.dueExecutions(T0 + 10_000, 10)).toEqual([]);
    });
  });

  describe("lanes", () => {
    it("gives a pipeline that never ran version 0 and empty lanes", async () => {
      const { runs } = current().stores;
      expect(await runs.getLanes(scope, pipelineName)).toEqual({
        scope,
        pipelineName,
        version: 0,
        lanes: emptyLanes,
      });
    });

    it("moves the lanes one version per commit that carries them", async () => {
      const { runs } = current().stores;
      const first = pendingRollback("Build");
      expect(await runs.commit(runCommit({ lanes: { expectedVersion: 0, lanes: first } }))).toEqual({
        ok: true,
      });
      expect(await runs.getLanes(scope, pipelineName)).toEqual({
        scope,
        pipelineName,
        version: 1,
        lanes: first,
      });
      expect(await runs.commit(runCommit({ lanes: { expectedVersion: 1, lanes: emptyLanes } }))).toEqual({
        ok: true,
      });
      await startExecution(runs, "e1");
      expect(await runs.getLanes(scope, pipelineName)).toEqual({
        scope,
        pipelineName,
        version: 2,
        lanes: emptyLanes,
      });
      expect(await runs.commit(runCommit({ lanes: { expectedVersion: 1, lanes: first } }))).toEqual({
        ok: false,
        conflict: "lanes",
      });
      expect((await runs.getLanes(scope, pipelineName)).lanes).toEqual(emptyLanes);
      expect((await runs.getLanes(otherRegion, pipelineName)).version).toBe(0);
      expect((await runs.getLanes(scope, "other")).version).toBe(0);
    });

    it("lists the lanes of every pipeline with pending rollbacks, and only those", async () => {
      const { runs } = current().stores;
      const lanes = (
        expectedVersion: number,
        value: PipelineLanes,
        where: Scope = scope,
        pipeline = pipelineName,
      ) =>
        runs.commit(
          runCommit({ scope: where, pipelineName: pipeline, lanes: { expectedVersion, lanes: value } }),
        );
      await lanes(0, pendingRollback("Build"));
      await lanes(0, pendingRollback("Deploy"), otherRegion);
      await lanes(0, emptyLanes, scope, "quiet");
      await lanes(0, pendingRollback("Build"), scope, "settled");
      await lanes(1, emptyLanes, scope, "settled");
      const pending = await runs.lanesWithPendingRollbacks(10);
      const key = (l: { scope: Scope; pipelineName: string }) => `${l.scope.region}/${l.pipelineName}`;
      expect(pending.map(key).sort()).toEqual(["us-east-1/app", "us-west-2/app"]);
      expect(pending.find((l) => l.scope.region === "us-west-2")).toEqual({
        scope: otherRegion,
        pipelineName,
        version: 1,
        lanes: pendingRollback("Deploy"),
      });
      expect(await runs.lanesWithPendingRollbacks(1)).toHaveLength(1);
    });
  });
}
