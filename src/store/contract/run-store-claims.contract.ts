import { describe, expect, it } from "vitest";
import { actionTypeKeyOf } from "../run-records.js";
import { type CurrentStores, otherAccount, otherRegion, scope, T0 } from "./builders.contract.js";
import { buildType, claimRequest, enqueue, jobSpec, testType } from "./run-builders.contract.js";

const ids = (jobs: readonly { jobId: string }[]) => jobs.map((j) => j.jobId);

export function describeRunClaimsContract(current: CurrentStores): void {
  describe("job claims", () => {
    it("enqueues a job as Queued, with no claim, created and updated at the commit's time", async () => {
      const { runs, queue } = current().stores;
      const spec = jobSpec("a1", { queryValue: "app", callbackToken: "tk" });
      await enqueue(runs, [{ jobId: "j1", spec, attempt: 2 }], { now: T0 + 7 });
      expect(await queue.getJob("j1")).toEqual({
        jobId: "j1",
        scope,
        spec,
        status: "Queued",
        attempt: 2,
        awaitingCallback: false,
        created: T0 + 7,
        updated: T0 + 7,
      });
      expect(await queue.getJob("missing")).toBeUndefined();
    });

    it("claims a job as Dispatched with a fresh nonce, the worker and a lease, and stores the claim", async () => {
      const { runs, queue } = current().stores;
      await enqueue(runs, [{ jobId: "j1", spec: jobSpec("a1") }]);
      const [claimed, ...rest] = await queue.claimJobs(
        claimRequest({ now: T0 + 10, workerId: "w1", leaseMs: 500, newNonce: () => "n-1" }),
      );
      expect(rest).toEqual([]);
      expect(claimed).toEqual({
        jobId: "j1",
        scope,
        spec: jobSpec("a1"),
        status: "Dispatched",
        attempt: 1,
        nonce: "n-1",
        workerId: "w1",
        leaseExpiresAt: T0 + 510,
        awaitingCallback: false,
        created: T0,
        updated: T0 + 10,
      });
      expect(await queue.getJob("j1")).toEqual(claimed);
    });

    it("claims straight into InProgress when the claimer acknowledges its own claims", async () => {
      const { runs, queue } = current().stores;
      await enqueue(runs, [{ jobId: "j1", spec: jobSpec("a1", { dispatch: "provider" }) }]);
      const claimed = await queue.claimJobs(claimRequest({ dispatch: "provider", acknowledge: true }));
      expect(claimed.map((j) => [j.jobId, j.status, j.leaseExpiresAt])).toEqual([
        ["j1", "InProgress", T0 + 60_010],
      ]);
      expect((await queue.getJob("j1"))?.status).toBe("InProgress");
    });

    it("claims the oldest availableAt first, ties in enqueue order, whatever the job ids", async () => {
      const { runs, queue } = current().stores;
      await enqueue(runs, [
        { jobId: "z-late", spec: jobSpec("a1", { availableAt: T0 + 5 }) },
        { jobId: "y-first", spec: jobSpec("a2", { availableAt: T0 }) },
        { jobId: "x-late", spec: jobSpec("a3", { availableAt: T0 + 5 }) },
      ]);
      await enqueue(runs, [
        { jobId: "a-late", spec: jobSpec("a4", { availableAt: T0 + 5 }) },
        { jobId: "b-second", spec: jobSpec("a5", { availableAt: T0 + 1 }) },
      ]);
      expect(ids(await queue.claimJobs(claimRequest({ limit: 2 })))).toEqual(["y-first", "b-second"]);
      expect(ids(await queue.claimJobs(claimRequest()))).toEqual(["z-late", "x-late", "a-late"]);
    });

    it("claims only jobs available at or before now", async () => {
      const { runs, queue } = current().stores;
      await enqueue(runs, [
        { jobId: "now", spec: jobSpec("a1", { availableAt: T0 + 10 }) },
        { jobId: "later", spec: jobSpec("a2", { availableAt: T0 + 11 }) },
      ]);
      expect(ids(await queue.claimJobs(claimRequest({ now: T0 + 10 })))).toEqual(["now"]);
      expect(await queue.claimJobs(claimRequest({ now: T0 + 10 }))).toEqual([]);
      expect(ids(await queue.claimJobs(claimRequest({ now: T0 + 11 })))).toEqual(["later"]);
    });

    it("claims at most limit jobs", async () => {
      const { runs, queue } = current().stores;
      await enqueue(
        runs,
        [1, 2, 3].map((i) => ({ jobId: `j${i}`, spec: jobSpec(`a${i}`) })),
      );
      expect(ids(await queue.claimJobs(claimRequest({ limit: 1 })))).toEqual(["j1"]);
      expect(ids(await queue.claimJobs(claimRequest({ limit: 5 })))).toEqual(["j2", "j3"]);
    });

    it("claims only jobs of the requested dispatch", async () => {
      const { runs, queue } = current().stores;
      await enqueue(runs, [
        { jobId: "worker", spec: jobSpec("a1", { dispatch: "jobWorker" }) },
        { jobId: "provider", spec: jobSpec("a2", { dispatch: "provider" }) },
      ]);
      expect(ids(await queue.claimJobs(claimRequest({ dispatch: "provider" })))).toEqual(["provider"]);
      expect(ids(await queue.claimJobs(claimRequest({ dispatch: "jobWorker" })))).toEqual(["worker"]);
    });

    it("claims only jobs of the listed action types, merged in claim order", async () => {
      const { runs, queue } = current().stores;
      const other = { ...buildType, provider: "Other" };
      const of = (actionTypeId: typeof buildType, availableAt: number) => ({ actionTypeId, availableAt });
      await enqueue(runs, [
        { jobId: "build-3", spec: jobSpec("a1", of(buildType, T0 + 3)) },
        { jobId: "z-build-2", spec: jobSpec("a2", of(buildType, T0 + 2)) },
        { jobId: "test-1", spec: jobSpec("a3", of(testType, T0 + 1)) },
        { jobId: "other-0", spec: jobSpec("a4", of(other, T0)) },
        { jobId: "a-build-2", spec: jobSpec("a5", of(buildType, T0 + 2)) },
      ]);
      const keys = [actionTypeKeyOf(buildType), actionTypeKeyOf(testType)];
      const builds = { actionTypeKeys: [actionTypeKeyOf(buildType)], limit: 1 };
      expect(ids(await queue.claimJobs(claimRequest(builds)))).toEqual(["z-build-2"]);
      expect(ids(await queue.claimJobs(claimRequest({ actionTypeKeys: keys, limit: 2 })))).toEqual([
        "test-1",
        "a-build-2",
      ]);
      expect(
        ids(await queue.claimJobs(claimRequest({ actionTypeKeys: [actionTypeKeyOf(testType)] }))),
      ).toEqual([]);
      expect(ids(await queue.claimJobs(claimRequest({ actionTypeKeys: keys })))).toEqual(["build-3"]);
      expect(await queue.claimJobs(claimRequest({ actionTypeKeys: [] }))).toEqual([]);
      expect(ids(await queue.claimJobs(claimRequest()))).toEqual(["other-0"]);
    });

    it("claims only jobs of the requested scope, or of every scope when none is given", async () => {
      const { runs, queue } = current().stores;
      await enqueue(runs, [{ jobId: "east", spec: jobSpec("a1") }]);
      await enqueue(runs, [{ jobId: "west", spec: jobSpec("a2") }], { scope: otherRegion });
      await enqueue(runs, [{ jobId: "theirs", spec: jobSpec("a3") }], { scope: otherAccount });
      const west = await queue.claimJobs(claimRequest({ scope: otherRegion }));
      expect(west.map((j) => [j.jobId, j.scope])).toEqual([["west", otherRegion]]);
      expect(ids(await queue.claimJobs(claimRequest({ scope: otherRegion })))).toEqual([]);
      expect(ids(await queue.claimJobs(claimRequest()))).toEqual(["east", "theirs"]);
    });

    it("claims only jobs whose queryable value matches when a query value is given", async () => {
      const { runs, queue } = current().stores;
      await enqueue(runs, [
        { jobId: "app", spec: jobSpec("a1", { queryValue: "app" }) },
        { jobId: "web", spec: jobSpec("a2", { queryValue: "web" }) },
        { jobId: "none", spec: jobSpec("a3") },
      ]);
      expect(ids(await queue.claimJobs(claimRequest({ queryValue: "web" })))).toEqual(["web"]);
      expect(ids(await queue.claimJobs(claimRequest({ queryValue: "web" })))).toEqual([]);
      expect(ids(await queue.claimJobs(claimRequest()))).toEqual(["app", "none"]);
    });

    it("never claims a job twice, even when claims run concurrently", async () => {
      const { runs, queue } = current().stores;
      const all = Array.from({ length: 12 }, (_, i) => `j${String(i).padStart(2, "0")}`);
      await enqueue(
        runs,
        all.map((jobId) => ({ jobId, spec: jobSpec(jobId) })),
      );
      const batches = await Promise.all(
        ["w1", "w2", "w3", "w4"].map((workerId) => queue.claimJobs(claimRequest({ workerId, limit: 5 }))),
      );
      const claimed = batches.flatMap(ids);
      expect(new Set(claimed).size).toBe(claimed.length);
      expect([...claimed].sort()).toEqual(all);
      expect(await queue.claimJobs(claimRequest())).toEqual([]);
      for (const [i, batch] of batches.entries()) {
        for (const job of batch) expect((await queue.getJob(job.jobId))?.workerId).toBe(`w${i + 1}`);
      }
    });

    it("gives every job of one claim its own nonce", async () => {
      const { runs, queue } = current().stores;
      await enqueue(
        runs,
        [1, 2, 3].map((i) => ({ jobId: `j${i}`, spec: jobSpec(`a${i}`) })),
      );
      const claimed = await queue.claimJobs(claimRequest());
      expect(new Set(claimed.map((j) => j.nonce)).size).toBe(3);
    });
  });
}
