import { describe, expect, it } from "vitest";
import type { JobSpec } from "../../engine/world.js";
import type { JobRecord, JobTransition, RunStore, WorkQueue } from "../types.js";
import { type CurrentStores, T0 } from "./builders.contract.js";
import { claimRequest, enqueue, idsOf, jobSpec, runCommit } from "./run-builders.contract.js";

/** Enqueues one job and claims it (nothing else is queued), as `workerId` at `now`. */
async function claimed(
  runs: RunStore,
  queue: WorkQueue,
  jobId: string,
  options: { workerId?: string; now?: number; leaseMs?: number; acknowledge?: boolean; spec?: JobSpec } = {},
): Promise<JobRecord> {
  const now = options.now ?? T0 + 10;
  await enqueue(runs, [{ jobId, spec: options.spec ?? jobSpec(`run-${jobId}`) }], { now });
  const [job] = await queue.claimJobs(
    claimRequest({
      now,
      workerId: options.workerId ?? "w1",
      leaseMs: options.leaseMs ?? 60_000,
      acknowledge: options.acknowledge ?? false,
    }),
  );
  expect(job?.jobId).toBe(jobId);
  return job!;
}

async function transition(
  runs: RunStore,
  _queue: WorkQueue,
  t: JobTransition,
  now = T0 + 100,
): Promise<void> {
  expect(await runs.commit(runCommit({ now, jobTransitions: [t] }))).toEqual({ ok: true });
}

export function describeRunJobLifecycleContract(current: CurrentStores): void {
  describe("job acknowledgement and leases", () => {
    it("acknowledges a Dispatched job with its nonce: InProgress, lease renewed from now", async () => {
      const { runs, queue } = current().stores;
      const job = await claimed(runs, queue, "j1");
      const result = await queue.acknowledgeJob("j1", job.nonce!, T0 + 20, 1_000);
      const acknowledged = { ...job, status: "InProgress", leaseExpiresAt: T0 + 1_020, updated: T0 + 20 };
      expect(result).toEqual({ ok: true, job: acknowledged });
      expect(await queue.getJob("j1")).toEqual(acknowledged);
    });

    it("acknowledging again with the same nonce while InProgress is answered ok", async () => {
      const { runs, queue } = current().stores;
      const job = await claimed(runs, queue, "j1");
      await queue.acknowledgeJob("j1", job.nonce!, T0 + 20, 1_000);
      const again = await queue.acknowledgeJob("j1", job.nonce!, T0 + 30, 1_000);
      expect(again).toEqual({ ok: true, job: await queue.getJob("j1") });
      expect(again.ok && again.job.status).toBe("InProgress");
    });

    it("refuses a wrong nonce, an unknown job and a job that is not Dispatched, changing nothing", async () => {
      const { runs, queue } = current().stores;
      const job = await claimed(runs, queue, "j1");
      expect(await queue.acknowledgeJob("j1", "wrong", T0 + 20, 1_000)).toEqual({
        ok: false,
        reason: "InvalidNonce",
        job,
      });
      expect(await queue.getJob("j1")).toEqual(job);
      expect(await queue.acknowledgeJob("missing", "n", T0 + 20, 1_000)).toEqual({
        ok: false,
        reason: "NotFound",
      });
      await enqueue(runs, [{ jobId: "queued", spec: jobSpec("a2") }]);
      const queued = await queue.getJob("queued");
      expect(await queue.acknowledgeJob("queued", "n", T0 + 20, 1_000)).toEqual({
        ok: false,
        reason: "InvalidState",
        job: queued,
      });
      await transition(runs, queue, { jobId: "j1", from: ["Dispatched"], to: "Succeeded" });
      const finished = await queue.getJob("j1");
      expect(await queue.acknowledgeJob("j1", job.nonce!, T0 + 200, 1_000)).toEqual({
        ok: false,
        reason: "InvalidState",
        job: finished,
      });
      expect(await queue.getJob("j1")).toEqual(finished);
    });

    it("renews the lease of a Dispatched or InProgress job and of nothing else", async () => {
      const { runs, queue } = current().stores;
      await claimed(runs, queue, "dispatched");
      await claimed(runs, queue, "running", { acknowledge: true });
      expect(await queue.renewLease("dispatched", T0 + 50, 100)).toBe(true);
      expect(await queue.renewLease("running", T0 + 60, 100)).toBe(true);
      expect(await queue.getJob("dispatched")).toMatchObject({ leaseExpiresAt: T0 + 150, updated: T0 + 50 });
      expect(await queue.getJob("running")).toMatchObject({ leaseExpiresAt: T0 + 160, updated: T0 + 60 });

      await claimed(runs, queue, "done");
      await transition(runs, queue, { jobId: "done", from: ["Dispatched"], to: "Failed" });
      await claimed(runs, queue, "waiting", { acknowledge: true });
      await transition(runs, queue, {
        jobId: "waiting",
        from: ["InProgress"],
        to: "InProgress",
        awaitingCallback: true,
      });
      await enqueue(runs, [{ jobId: "queued", spec: jobSpec("q") }]);
      for (const jobId of ["queued", "done", "waiting"]) {
        const before = await queue.getJob(jobId);
        expect(await queue.renewLease(jobId, T0 + 500, 100)).toBe(false);
        expect(await queue.getJob(jobId)).toEqual(before);
      }
      expect(await queue.renewLease("missing", T0 + 500, 100)).toBe(false);
    });

    it("reports leases that lapsed at or before now, skipping jobs that wait for a callback", async () => {
      const { runs, queue } = current().stores;
      await claimed(runs, queue, "short", { leaseMs: 10 });
      await claimed(runs, queue, "long", { leaseMs: 30, acknowledge: true });
      await claimed(runs, queue, "waiting", { leaseMs: 5, acknowledge: true });
      await transition(runs, queue, {
        jobId: "waiting",
        from: ["InProgress"],
        to: "InProgress",
        awaitingCallback: true,
      });
      await claimed(runs, queue, "done", { leaseMs: 5 });
      await transition(runs, queue, { jobId: "done", from: ["Dispatched"], to: "Succeeded" });
      await enqueue(runs, [{ jobId: "queued", spec: jobSpec("q") }]);
      expect(await queue.expiredLeases(T0 + 19, 10)).toEqual([]);
      expect(await queue.expiredLeases(T0 + 20, 10)).toEqual([await queue.getJob("short")]);
      expect(idsOf(await queue.expiredLeases(T0 + 10_000, 10))).toEqual(["long", "short"]);
      expect(await queue.expiredLeases(T0 + 10_000, 1)).toHaveLength(1);
    });

    it("lists the jobs a worker still holds: claimed, not finished, not waiting for a callback", async () => {
      const { runs, queue } = current().stores;
      await claimed(runs, queue, "dispatched", { workerId: "w1" });
      await claimed(runs, queue, "running", { workerId: "w1", acknowledge: true });
      await claimed(runs, queue, "finished", { workerId: "w1" });
      await transition(runs, queue, { jobId: "finished", from: ["Dispatched"], to: "Succeeded" });
      await claimed(runs, queue, "waiting", { workerId: "w1", acknowledge: true });
      await transition(runs, queue, {
        jobId: "waiting",
        from: ["InProgress"],
        to: "InProgress",
        awaitingCallback: true,
      });
      await claimed(runs, queue, "someone-else", { workerId: "w2" });
      expect(idsOf(await queue.jobsHeldBy("w1"))).toEqual(["dispatched", "running"]);
      expect(await queue.jobsHeldBy("w2")).toEqual([await queue.getJob("someone-else")]);
      expect(await queue.jobsHeldBy("nobody")).toEqual([]);
    });
  });

  describe("job transitions", () => {
    it("finishes a job as Succeeded, Failed or TimedOut, dropping its lease and keeping its claim", async () => {
      const { runs, queue } = current().stores;
      for (const to of ["Succeeded", "Failed", "TimedOut"] as const) {
        const job = await claimed(runs, queue, to, { acknowledge: true });
        await transition(runs, queue, { jobId: to, from: ["Dispatched", "InProgress"], to }, T0 + 100);
        const { leaseExpiresAt: _lease, ...kept } = job;
        expect(await queue.getJob(to)).toEqual({ ...kept, status: to, updated: T0 + 100 });
      }
    });

    it("moves a Dispatched job to InProgress keeping its lease", async () => {
      const { runs, queue } = current().stores;
      const job = await claimed(runs, queue, "j1");
      await transition(runs, queue, { jobId: "j1", from: ["Dispatched"], to: "InProgress" }, T0 + 40);
      expect(await queue.getJob("j1")).toEqual({ ...job, status: "InProgress", updated: T0 + 40 });
    });

    it("parks an InProgress job awaiting a callback: no lease, never reported as expired", async () => {
      const { runs, queue } = current().stores;
      const job = await claimed(runs, queue, "j1", { acknowledge: true, leaseMs: 5 });
      await transition(runs, queue, {
        jobId: "j1",
        from: ["InProgress"],
        to: "InProgress",
        awaitingCallback: true,
      });
      const { leaseExpiresAt: _lease, ...kept } = job;
      expect(await queue.getJob("j1")).toEqual({ ...kept, awaitingCallback: true, updated: T0 + 100 });
      expect(await queue.expiredLeases(T0 + 1_000_000, 10)).toEqual([]);
    });

    it("cancels every open job of the named action runs as TimedOut and leaves finished jobs alone", async () => {
      const { runs, queue } = current().stores;
      const ofRun = (run: string) => ({ spec: jobSpec(run) });
      await claimed(runs, queue, "finished", ofRun("r1"));
      await transition(runs, queue, { jobId: "finished", from: ["Dispatched"], to: "Succeeded" }, T0 + 20);
      await claimed(runs, queue, "dispatched", ofRun("r1"));
      await claimed(runs, queue, "running", { ...ofRun("r1"), acknowledge: true });
      await claimed(runs, queue, "waiting", { ...ofRun("r1"), acknowledge: true });
      await transition(runs, queue, {
        jobId: "waiting",
        from: ["InProgress"],
        to: "InProgress",
        awaitingCallback: true,
      });
      await enqueue(runs, [
        { jobId: "queued", spec: jobSpec("r1") },
        { jobId: "other-run", spec: jobSpec("r2") },
        { jobId: "third-run", spec: jobSpec("r3") },
      ]);
      const before = await Promise.all(["finished", "other-run"].map((id) => queue.getJob(id)));
      expect(await runs.commit(runCommit({ now: T0 + 300, cancelJobsOf: ["r1", "r3"] }))).toEqual({
        ok: true,
      });
      for (const jobId of ["dispatched", "running", "waiting", "queued", "third-run"]) {
        const job = await queue.getJob(jobId);
        expect([jobId, job?.status, job?.leaseExpiresAt, job?.awaitingCallback, job?.updated]).toEqual([
          jobId,
          "TimedOut",
          undefined,
          false,
          T0 + 300,
        ]);
      }
      expect(await Promise.all(["finished", "other-run"].map((id) => queue.getJob(id)))).toEqual(before);
    });

    it("finds the newest job of an approval by its callback token, whatever its status", async () => {
      const { runs, queue } = current().stores;
      const approval = (run: string) => jobSpec(run, { callbackToken: "tk", dispatch: "provider" });
      await enqueue(runs, [{ jobId: "first", spec: approval("r1") }], { now: T0 });
      await transition(runs, queue, { jobId: "first", from: ["Queued"], to: "TimedOut" }, T0 + 1);
      expect((await queue.jobByCallbackToken("tk"))?.jobId).toBe("first");
      await enqueue(runs, [{ jobId: "again", spec: approval("r1"), attempt: 2 }], { now: T0 + 5 });
      expect(await queue.jobByCallbackToken("tk")).toEqual(await queue.getJob("again"));
      await transition(runs, queue, { jobId: "again", from: ["Queued"], to: "Succeeded" }, T0 + 6);
      expect(await queue.jobByCallbackToken("tk")).toEqual(await queue.getJob("again"));
      expect(await queue.jobByCallbackToken("unknown")).toBeUndefined();
    });
  });
}
