import { describe, expect, it } from "vitest";
import type { NewTask, TaskRecord, WorkQueue } from "../types.js";
import { type CurrentStores, otherRegion, scope, T0 } from "./builders.contract.js";

const task = (n: number | string, extra: Partial<NewTask> = {}): NewTask => ({
  taskId: `t-${n}`,
  kind: "build",
  key: `k-${n}`,
  scope,
  payload: { n },
  ...extra,
});

const claim = (
  queue: WorkQueue,
  workerId: string,
  capacity: Record<string, number>,
  now = T0,
  leaseMs = 1_000,
) => queue.claimTasks({ workerId, now, leaseMs, capacity });

const ids = (tasks: readonly TaskRecord[]) => tasks.map((t) => t.taskId);

/**
 * The work queue's tasks (queue-types.ts states the contract): idempotent enqueue, claims by
 * kind and capacity in priority order, exclusive under racing claimers, heartbeats, completion,
 * failure with retries and backoff, cancellation that reaches a running worker, and rescue of
 * tasks whose worker is gone. Action jobs share the table; run-store-*.contract.ts covers them.
 */
export function describeWorkQueueContract(current: CurrentStores): void {
  describe("work queue", () => {
    it("enqueues a task once per unfinished key, and again once the earlier one ended", async () => {
      const { queue } = current().stores;
      const first = await queue.enqueue(task(1), T0);
      expect(first.ok && first.task).toMatchObject({
        taskId: "t-1",
        kind: "build",
        key: "k-1",
        status: "Queued",
        attempt: 0,
        maxAttempts: 1,
        priority: 0,
        availableAt: T0,
        cancelRequested: false,
        payload: { n: 1 },
      });
      const again = await queue.enqueue({ ...task(1), taskId: "t-1b" }, T0 + 1);
      expect(again.ok === false && again.existing.taskId).toBe("t-1");
      expect(await queue.getTask("t-1b")).toBeUndefined();
      const [held] = await claim(queue, "w1", { build: 1 });
      await queue.complete(held!.taskId, "w1", T0 + 2);
      const later = await queue.enqueue({ ...task(1), taskId: "t-1c" }, T0 + 3);
      expect(later.ok).toBe(true);
      expect((await queue.findTask("build", "k-1"))?.taskId).toBe("t-1c");
      expect(await queue.findTask("build", "nope")).toBeUndefined();
    });

    it("claims by kind and capacity, lowest priority first, then availableAt, then enqueue order", async () => {
      const { queue } = current().stores;
      await queue.enqueue(task("late", { availableAt: T0 + 500 }), T0);
      await queue.enqueue(task("b"), T0);
      await queue.enqueue(task("a", { priority: -1 }), T0);
      await queue.enqueue(task("c"), T0);
      await queue.enqueue(task("x", { kind: "function" }), T0);
      expect(ids(await claim(queue, "w1", { build: 2 }))).toEqual(["t-a", "t-b"]);
      expect(ids(await claim(queue, "w1", { build: 5, function: 0 }))).toEqual(["t-c"]);
      expect(ids(await claim(queue, "w1", { build: 5 }, T0 + 500))).toEqual(["t-late"]);
      const [fn] = await claim(queue, "w2", { function: 1 });
      expect(fn).toMatchObject({ taskId: "t-x", status: "InProgress", attempt: 1, workerId: "w2" });
      expect(fn?.leaseExpiresAt).toBe(T0 + 1_000);
    });

    it("hands each of 1,000 tasks to exactly one of 4 racing claimers", async () => {
      const { queue } = current().stores;
      for (let n = 0; n < 1_000; n++) await queue.enqueue(task(n), T0);
      const seen = new Map<string, string>();
      const claimer = async (workerId: string) => {
        for (;;) {
          const got = await claim(queue, workerId, { build: 7 });
          if (got.length === 0) return;
          for (const t of got) {
            expect(seen.get(t.taskId), `${t.taskId} claimed twice`).toBeUndefined();
            seen.set(t.taskId, workerId);
            await queue.complete(t.taskId, workerId, T0 + 1);
          }
          await new Promise((r) => setImmediate(r));
        }
      };
      await Promise.all(["w1", "w2", "w3", "w4"].map(claimer));
      expect(seen.size).toBe(1_000);
      expect(new Set(seen.values()).size).toBeGreaterThan(1);
      expect(await queue.openTasks("build", 10)).toEqual([]);
    });

    it("lets only the holding worker heartbeat, complete or fail a task", async () => {
      const { queue } = current().stores;
      await queue.enqueue(task(1), T0);
      const [t] = await claim(queue, "w1", { build: 1 });
      expect(await queue.heartbeat(t!.taskId, "w2", T0 + 10, 1_000)).toEqual({
        held: false,
        status: "InProgress",
      });
      expect(await queue.complete(t!.taskId, "w2", T0 + 10)).toBe(false);
      expect(await queue.fail(t!.taskId, "w2", T0 + 10, "no")).toBeUndefined();
      expect(await queue.heartbeat(t!.taskId, "w1", T0 + 10, 5_000)).toEqual({
        held: true,
        cancelRequested: false,
      });
      expect((await queue.getTask(t!.taskId))?.leaseExpiresAt).toBe(T0 + 5_010);
      expect(await queue.complete(t!.taskId, "w1", T0 + 20)).toBe(true);
      const done = await queue.getTask(t!.taskId);
      expect(done).toMatchObject({ status: "Succeeded", updated: T0 + 20 });
      expect(done?.leaseExpiresAt).toBeUndefined();
      expect(await queue.heartbeat(t!.taskId, "w1", T0 + 30, 1_000)).toEqual({
        held: false,
        status: "Succeeded",
      });
    });

    it("never claims a completed task again, even after its lease would have lapsed", async () => {
      const { queue } = current().stores;
      await queue.enqueue(task(1), T0);
      const [t] = await claim(queue, "w1", { build: 1 });
      await queue.complete(t!.taskId, "w1", T0 + 1);
      expect(await claim(queue, "w2", { build: 1 }, T0 + 10_000)).toEqual([]);
      expect(await queue.expiredTasks(T0 + 10_000, 10)).toEqual([]);
      expect(await queue.rescue(t!.taskId, T0 + 10_000, "Queued", "lost")).toBe(false);
    });

    it("retries a failed task after its backoff while attempts are left, then fails it", async () => {
      const { queue } = current().stores;
      await queue.enqueue(task(1, { maxAttempts: 2 }), T0);
      const [first] = await claim(queue, "w1", { build: 1 });
      expect(await queue.fail(first!.taskId, "w1", T0 + 10, "flaky", 500)).toBe("Queued");
      expect(await queue.getTask(first!.taskId)).toMatchObject({
        status: "Queued",
        lastError: "flaky",
        availableAt: T0 + 510,
      });
      expect(await claim(queue, "w2", { build: 1 }, T0 + 509)).toEqual([]);
      const [second] = await claim(queue, "w2", { build: 1 }, T0 + 510);
      expect(second).toMatchObject({ taskId: "t-1", attempt: 2, workerId: "w2" });
      expect(await queue.fail(second!.taskId, "w2", T0 + 600, "broken", 500)).toBe("Failed");
      expect(await queue.getTask("t-1")).toMatchObject({ status: "Failed", lastError: "broken" });
      expect(await claim(queue, "w3", { build: 1 }, T0 + 10_000)).toEqual([]);
    });

    it("cancels a queued task at once, and reaches a running one through its worker's heartbeat", async () => {
      const { queue } = current().stores;
      await queue.enqueue(task("queued"), T0);
      await queue.enqueue(task("running", { priority: -1 }), T0);
      const [running] = await claim(queue, "w1", { build: 1 });
      expect(running?.taskId).toBe("t-running");
      expect(await queue.cancel("t-queued", T0 + 1)).toBe("Cancelled");
      expect(await claim(queue, "w2", { build: 1 })).toEqual([]);
      expect(await queue.cancel("t-running", T0 + 2)).toBe("InProgress");
      expect(await queue.heartbeat("t-running", "w1", T0 + 3, 1_000)).toEqual({
        held: true,
        cancelRequested: true,
      });
      expect(await queue.fail("t-running", "w1", T0 + 4, "stopped")).toBe("Cancelled");
      expect(await queue.getTask("t-running")).toMatchObject({ status: "Cancelled", lastError: "stopped" });
      expect(await queue.cancel("t-running", T0 + 5)).toBeUndefined();
      expect(await queue.cancel("missing", T0 + 5)).toBeUndefined();
    });

    it("reports a task whose lease lapsed, rescues it once, and lets a heartbeat in time win", async () => {
      const { queue } = current().stores;
      await queue.enqueue(task("lost"), T0);
      await queue.enqueue(task("alive"), T0);
      const claimed = await claim(queue, "w1", { build: 2 }, T0, 100);
      expect(claimed).toHaveLength(2);
      expect(await queue.heartbeat("t-alive", "w1", T0 + 90, 1_000)).toMatchObject({ held: true });
      expect(ids(await queue.expiredTasks(T0 + 99, 10))).toEqual([]);
      expect(ids(await queue.expiredTasks(T0 + 100, 10))).toEqual(["t-lost"]);
      expect(await queue.rescue("t-alive", T0 + 100, "Queued", "lost")).toBe(false);
      expect(await queue.rescue("t-lost", T0 + 100, "Queued", "worker w1 stopped")).toBe(true);
      expect(await queue.rescue("t-lost", T0 + 100, "Queued", "again")).toBe(false);
      expect(await queue.getTask("t-lost")).toMatchObject({
        status: "Queued",
        lastError: "worker w1 stopped",
      });
      // The old worker cannot finish what it lost.
      expect(await queue.complete("t-lost", "w1", T0 + 101)).toBe(false);
      const [reclaimed] = await claim(queue, "w2", { build: 1 }, T0 + 101);
      expect(reclaimed).toMatchObject({ taskId: "t-lost", attempt: 2, workerId: "w2" });
    });

    it("rescues the tasks of a worker known to be gone before their lease lapses, to Queued or Failed", async () => {
      const { queue } = current().stores;
      for (const n of [1, 2]) await queue.enqueue(task(n), T0);
      await claim(queue, "dead", { build: 2 }, T0, 60_000);
      expect(ids(await queue.tasksHeldBy("dead")).sort()).toEqual(["t-1", "t-2"]);
      expect(await queue.rescue("t-1", T0 + 1, "Queued", "restart", "someone-else")).toBe(false);
      expect(await queue.rescue("t-1", T0 + 1, "Queued", "restart", "dead")).toBe(true);
      expect(await queue.rescue("t-2", T0 + 1, "Failed", "it was running when its worker died", "dead")).toBe(
        true,
      );
      expect(await queue.getTask("t-2")).toMatchObject({
        status: "Failed",
        lastError: "it was running when its worker died",
      });
      expect(await queue.tasksHeldBy("dead")).toEqual([]);
      expect(ids(await queue.openTasks("build", 10))).toEqual(["t-1"]);
    });

    it("keeps tasks apart from action jobs and keeps each task's scope", async () => {
      const { queue } = current().stores;
      await queue.enqueue(task(1, { scope: otherRegion }), T0);
      expect(await queue.getJob("t-1")).toBeUndefined();
      expect(
        await queue.claimJobs({
          now: T0,
          workerId: "w",
          leaseMs: 1,
          limit: 5,
          dispatch: "provider",
          acknowledge: true,
          newNonce: () => "n",
        }),
      ).toEqual([]);
      expect((await queue.getTask("t-1"))?.scope).toEqual(otherRegion);
      expect(await queue.getTask("missing")).toBeUndefined();
    });

    it("still has every task, its lease and its claim order after reopening", async ({ skip }) => {
      const { stores, reopen } = current();
      if (!reopen) skip("these stores keep nothing across a restart, so there is nothing to reopen");
      for (const n of [1, 2, 3]) await stores.queue.enqueue(task(n), T0);
      await claim(stores.queue, "w1", { build: 1 }, T0, 5_000);
      const before = await stores.queue.getTask("t-1");
      const { queue } = await reopen!();
      expect(await queue.getTask("t-1")).toEqual(before);
      expect(
        ids(await queue.claimTasks({ workerId: "w2", now: T0, leaseMs: 1, capacity: { build: 5 } })),
      ).toEqual(["t-2", "t-3"]);
      expect(await queue.enqueue(task(1), T0)).toMatchObject({ ok: false });
    });
  });
}
