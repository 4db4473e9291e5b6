import type {
  AcknowledgeResult,
  ClaimRequest,
  JobRecord,
  NewTask,
  TaskRecord,
  TaskStatus,
  WorkQueue,
} from "../queue-types.js";
import { actionTypeKeyOf, scopeKey } from "../run-records.js";
import { frozenCopy as copy, type MemoryJobTable } from "./memory-job-table.js";

/**
 * The work queue in memory, over the job table it shares with the memory run store. Every
 * method runs to completion before it yields, which is what makes a claim exclusive here.
 */
export function createMemoryWorkQueue(checkOpen: () => void, table: MemoryJobTable): WorkQueue {
  const { jobs, tasks, jobOrder } = table;
  const order = (id: string) => jobOrder.get(id) ?? 0;
  const put = <P>(task: TaskRecord<P>): TaskRecord<P> => {
    const frozen = copy(task);
    tasks.set(task.taskId, frozen);
    return frozen;
  };
  const held = (taskId: string, workerId: string) => {
    const task = tasks.get(taskId);
    return task && task.status === "InProgress" && task.workerId === workerId ? task : undefined;
  };
  const withoutLease = <P>(task: TaskRecord<P>): TaskRecord<P> => {
    const { leaseExpiresAt: _lease, ...rest } = task;
    return rest as TaskRecord<P>;
  };

  return {
    async getJob(jobId) {
      checkOpen();
      return jobs.get(jobId);
    },

    async claimJobs(req: ClaimRequest) {
      checkOpen();
      const keys = req.actionTypeKeys ? new Set(req.actionTypeKeys) : undefined;
      const candidates = [...jobs.values()]
        .filter(
          (j) =>
            j.status === "Queued" &&
            j.spec.availableAt <= req.now &&
            j.spec.dispatch === req.dispatch &&
            (!keys || keys.has(actionTypeKeyOf(j.spec.actionTypeId))) &&
            (!req.scope || scopeKey(j.scope) === scopeKey(req.scope)) &&
            (req.queryValue === undefined || j.spec.queryValue === req.queryValue),
        )
        .sort((a, b) => a.spec.availableAt - b.spec.availableAt || order(a.jobId) - order(b.jobId))
        .slice(0, req.limit);
      return candidates.map((j) => {
        const claimed: JobRecord = copy({
          ...j,
          status: req.acknowledge ? "InProgress" : "Dispatched",
          nonce: req.newNonce(),
          workerId: req.workerId,
          leaseExpiresAt: req.now + req.leaseMs,
          updated: req.now,
        });
        jobs.set(j.jobId, claimed);
        return claimed;
      });
    },

    async acknowledgeJob(jobId, nonce, now, leaseMs): Promise<AcknowledgeResult> {
      checkOpen();
      const job = jobs.get(jobId);
      if (!job) return { ok: false, reason: "NotFound" };
      if (job.status === "InProgress" && job.nonce === nonce) return { ok: true, job };
      if (job.status !== "Dispatched") return { ok: false, reason: "InvalidState", job };
      if (job.nonce !== nonce) return { ok: false, reason: "InvalidNonce", job };
      const acknowledged = copy({
        ...job,
        status: "InProgress" as const,
        leaseExpiresAt: now + leaseMs,
        updated: now,
      });
      jobs.set(jobId, acknowledged);
      return { ok: true, job: acknowledged };
    },

    async renewLease(jobId, now, leaseMs) {
      checkOpen();
      const job = jobs.get(jobId);
      if (!job || (job.status !== "Dispatched" && job.status !== "InProgress") || job.awaitingCallback)
        return false;
      jobs.set(jobId, copy({ ...job, leaseExpiresAt: now + leaseMs, updated: now }));
      return true;
    },

    async expiredLeases(now, limit) {
      checkOpen();
      return [...jobs.values()]
        .filter(
          (j) =>
            (j.status === "Dispatched" || j.status === "InProgress") &&
            !j.awaitingCallback &&
            j.leaseExpiresAt !== undefined &&
            j.leaseExpiresAt <= now,
        )
        .slice(0, limit);
    },

    async jobByCallbackToken(token) {
      checkOpen();
      let found: JobRecord | undefined;
      for (const j of jobs.values())
        if (j.spec.callbackToken === token && (!found || j.created >= found.created)) found = j;
      return found;
    },

    async jobsHeldBy(workerId) {
      checkOpen();
      return [...jobs.values()].filter(
        (j) =>
          j.workerId === workerId &&
          (j.status === "Dispatched" || j.status === "InProgress") &&
          !j.awaitingCallback,
      );
    },

    async openJobOf(actionExecutionId) {
      checkOpen();
      let found: JobRecord | undefined;
      for (const j of jobs.values()) {
        if (j.spec.actionExecutionId !== actionExecutionId) continue;
        if (j.status !== "Queued" && j.status !== "Dispatched" && j.status !== "InProgress") continue;
        if (!found || order(j.jobId) > order(found.jobId)) found = j;
      }
      return found;
    },

    async enqueue<P>(task: NewTask<P>, now: number) {
      checkOpen();
      for (const t of tasks.values()) {
        if (
          t.kind === task.kind &&
          t.key === task.key &&
          (t.status === "Queued" || t.status === "InProgress")
        ) {
          return { ok: false as const, existing: t as TaskRecord<P> };
        }
      }
      jobOrder.set(task.taskId, table.nextSeq());
      const record = put<P>({
        taskId: task.taskId,
        kind: task.kind,
        key: task.key,
        scope: task.scope,
        payload: task.payload,
        status: "Queued",
        attempt: 0,
        maxAttempts: task.maxAttempts ?? 1,
        priority: task.priority ?? 0,
        availableAt: task.availableAt ?? now,
        cancelRequested: false,
        created: now,
        updated: now,
      });
      return { ok: true as const, task: record };
    },

    async getTask<P>(taskId: string) {
      checkOpen();
      return tasks.get(taskId) as TaskRecord<P> | undefined;
    },

    async findTask<P>(kind: string, key: string) {
      checkOpen();
      let found: TaskRecord | undefined;
      for (const t of tasks.values()) {
        if (t.kind === kind && t.key === key && (!found || order(t.taskId) > order(found.taskId))) found = t;
      }
      return found as TaskRecord<P> | undefined;
    },

    async claimTasks(req) {
      checkOpen();
      const claimed: TaskRecord[] = [];
      for (const [kind, capacity] of Object.entries(req.capacity)) {
        if (capacity < 1) continue;
        const candidates = [...tasks.values()]
          .filter((t) => t.kind === kind && t.status === "Queued" && t.availableAt <= req.now)
          .sort(
            (a, b) =>
              a.priority - b.priority || a.availableAt - b.availableAt || order(a.taskId) - order(b.taskId),
          )
          .slice(0, capacity);
        for (const t of candidates) {
          claimed.push(
            put({
              ...t,
              status: "InProgress",
              attempt: t.attempt + 1,
              workerId: req.workerId,
              leaseExpiresAt: req.now + req.leaseMs,
              updated: req.now,
            }),
          );
        }
      }
      return claimed;
    },

    async heartbeat(taskId, workerId, now, leaseMs) {
      checkOpen();
      const task = held(taskId, workerId);
      if (!task) {
        const current = tasks.get(taskId);
        return current ? { held: false, status: current.status } : { held: false };
      }
      const renewed = put({ ...task, leaseExpiresAt: now + leaseMs, updated: now });
      return { held: true, cancelRequested: renewed.cancelRequested };
    },

    async complete(taskId, workerId, now) {
      checkOpen();
      const task = held(taskId, workerId);
      if (!task) return false;
      put({ ...withoutLease(task), status: "Succeeded", updated: now });
      return true;
    },

    async fail(taskId, workerId, now, error, retryAfterMs) {
      checkOpen();
      const task = held(taskId, workerId);
      if (!task) return undefined;
      let status: TaskStatus;
      if (task.cancelRequested) status = "Cancelled";
      else if (retryAfterMs !== undefined && task.attempt < task.maxAttempts) status = "Queued";
      else status = "Failed";
      const { workerId: _w, ...rest } = withoutLease(task);
      put({
        ...(status === "Queued" ? rest : withoutLease(task)),
        status,
        lastError: error,
        ...(status === "Queued" ? { availableAt: now + (retryAfterMs ?? 0) } : {}),
        updated: now,
      });
      return status;
    },

    async cancel(taskId, now) {
      checkOpen();
      const task = tasks.get(taskId);
      if (task?.status === "Queued") {
        put({ ...task, status: "Cancelled", updated: now });
        return "Cancelled";
      }
      if (task?.status === "InProgress") {
        put({ ...task, cancelRequested: true, updated: now });
        return "InProgress";
      }
      return undefined;
    },

    async expiredTasks(now, limit) {
      checkOpen();
      return [...tasks.values()]
        .filter((t) => t.status === "InProgress" && t.leaseExpiresAt !== undefined && t.leaseExpiresAt <= now)
        .sort((a, b) => (a.leaseExpiresAt ?? 0) - (b.leaseExpiresAt ?? 0))
        .slice(0, limit);
    },

    async tasksHeldBy(workerId) {
      checkOpen();
      return [...tasks.values()].filter((t) => t.status === "InProgress" && t.workerId === workerId);
    },

    async rescue(taskId, now, to, error, heldBy) {
      checkOpen();
      const task = tasks.get(taskId);
      const lapsed = task?.leaseExpiresAt !== undefined && task.leaseExpiresAt <= now;
      if (task?.status !== "InProgress" || !(lapsed || (heldBy !== undefined && task.workerId === heldBy)))
        return false;
      const { workerId: _w, ...rest } = withoutLease(task);
      put(
        to === "Queued"
          ? { ...rest, status: "Queued", lastError: error, availableAt: now, updated: now }
          : { ...withoutLease(task), status: "Failed", lastError: error, updated: now },
      );
      return true;
    },

    async openTasks(kind, limit) {
      checkOpen();
      return [...tasks.values()]
        .filter((t) => t.kind === kind && (t.status === "Queued" || t.status === "InProgress"))
        .sort((a, b) => order(a.taskId) - order(b.taskId))
        .slice(0, limit);
    },
  };
}
