import type { ExecutionEvent } from "../../engine/events.js";
import { emptyLanes } from "../../engine/lanes.js";
import type { JobStatus } from "../../engine/statuses.js";
import { executionListKey, isActiveStatus, nextDeadlineOf, scopeKey } from "../run-records.js";
import type {
  CommitResult,
  ExecutionRecord,
  LanesRecord,
  Page,
  RunCommit,
  RunStore,
  Scope,
} from "../types.js";
import { deepFreeze, type MemoryJobTable } from "./memory-job-table.js";

interface StoredExecution {
  record: ExecutionRecord;
  events: ExecutionEvent[];
}

const OPEN: readonly JobStatus[] = ["Queued", "Dispatched", "InProgress"];

/**
 * RunStore in memory, for tests and createTestWorld; its action jobs live in the job table it
 * shares with the memory work queue (memory-job-table.ts). Commits check every precondition before
 * writing anything, so a conflict changes nothing. Records are frozen deep copies.
 */
export function createMemoryRunStore(checkOpen: () => void, table: MemoryJobTable): RunStore {
  const executions = new Map<string, StoredExecution>();
  const lanes = new Map<string, LanesRecord>();
  const { jobs, jobOrder } = table;

  const pipelineKey = (scope: Scope, name: string) => `${scopeKey(scope)}\u0000${name}`;
  const copy = <T>(value: T): T => deepFreeze(structuredClone(value));

  function conflictOf(c: RunCommit): CommitResult | undefined {
    for (const e of c.executions) {
      const existing = executions.get(e.executionId);
      if ((existing?.record.version ?? 0) !== e.expectedVersion) return { ok: false, conflict: "execution" };
      const token = e.state.clientRequestToken;
      if (e.expectedVersion === 0 && token) {
        for (const other of executions.values()) {
          const r = other.record;
          if (
            r.state.clientRequestToken === token &&
            r.pipelineName === c.pipelineName &&
            scopeKey(r.scope) === scopeKey(c.scope)
          ) {
            return { ok: false, conflict: "clientRequestToken", existingExecutionId: r.executionId };
          }
        }
      }
    }
    if (c.lanes) {
      const current = lanes.get(pipelineKey(c.scope, c.pipelineName))?.version ?? 0;
      if (current !== c.lanes.expectedVersion) return { ok: false, conflict: "lanes" };
    }
    for (const t of c.jobTransitions ?? []) {
      const job = jobs.get(t.jobId);
      if (!job || !t.from.includes(job.status)) return { ok: false, conflict: "job" };
    }
    return undefined;
  }

  return {
    async commit(c) {
      checkOpen();
      const conflict = conflictOf(c);
      if (conflict) return conflict;
      for (const e of c.executions) {
        const existing = executions.get(e.executionId);
        const events = [...(existing?.events ?? []), ...copy(e.events)];
        executions.set(e.executionId, {
          events,
          record: copy({
            scope: c.scope,
            pipelineName: c.pipelineName,
            executionId: e.executionId,
            version: e.expectedVersion + e.events.length,
            state: e.state,
          }),
        });
      }
      if (c.lanes) {
        // The whole record is copied: keeping `c.scope` itself would let the caller's later
        // edits of that object show up in lanesWithPendingRollbacks.
        lanes.set(
          pipelineKey(c.scope, c.pipelineName),
          copy({
            scope: c.scope,
            pipelineName: c.pipelineName,
            version: c.lanes.expectedVersion + 1,
            lanes: c.lanes.lanes,
          }),
        );
      }
      for (const t of c.jobTransitions ?? []) {
        const job = jobs.get(t.jobId)!;
        const { leaseExpiresAt: _lease, ...rest } = job;
        const awaiting = t.to === "InProgress" && t.awaitingCallback === true;
        jobs.set(
          t.jobId,
          copy({
            ...(awaiting || !OPEN.includes(t.to) ? rest : job),
            status: t.to,
            awaitingCallback: awaiting,
            updated: c.now,
          }),
        );
      }
      const cancel = new Set(c.cancelJobsOf ?? []);
      if (cancel.size > 0) {
        for (const job of jobs.values()) {
          if (cancel.has(job.spec.actionExecutionId) && OPEN.includes(job.status)) {
            const { leaseExpiresAt: _lease, ...rest } = job;
            jobs.set(
              job.jobId,
              copy({ ...rest, status: "TimedOut", awaitingCallback: false, updated: c.now }),
            );
          }
        }
      }
      for (const j of c.enqueueJobs ?? []) {
        jobs.set(
          j.jobId,
          copy({
            jobId: j.jobId,
            scope: c.scope,
            spec: j.spec,
            status: "Queued",
            attempt: j.attempt,
            awaitingCallback: false,
            created: c.now,
            updated: c.now,
          }),
        );
        jobOrder.set(j.jobId, table.nextSeq());
      }
      return { ok: true };
    },

    async getExecution(id) {
      checkOpen();
      return executions.get(id)?.record;
    },

    async getExecutions(ids) {
      checkOpen();
      return ids.flatMap((id) => {
        const found = executions.get(id)?.record;
        return found ? [found] : [];
      });
    },

    async events(id, afterVersion = 0) {
      checkOpen();
      return (executions.get(id)?.events ?? []).slice(afterVersion);
    },

    async listExecutions(scope, pipelineName, options) {
      checkOpen();
      if (!Number.isInteger(options.limit) || options.limit < 1)
        throw new Error("list limit must be a positive integer");
      const all = [...executions.values()]
        .map((e) => e.record)
        .filter((r) => r.pipelineName === pipelineName && scopeKey(r.scope) === scopeKey(scope))
        .map((r) => ({ r, key: executionListKey(r.state.startTime, r.executionId) }))
        .sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0))
        .filter((x) => options.after === undefined || x.key < options.after);
      const items = all.slice(0, options.limit);
      const last = items[items.length - 1];
      return {
        items: items.map((x) => x.r),
        ...(all.length > options.limit && last ? { nextAfter: last.key } : {}),
      } satisfies Page<ExecutionRecord>;
    },

    async latestExecutions(scope) {
      checkOpen();
      const newest = new Map<string, { r: ExecutionRecord; key: string }>();
      for (const { record: r } of executions.values()) {
        if (scopeKey(r.scope) !== scopeKey(scope)) continue;
        const key = executionListKey(r.state.startTime, r.executionId);
        const seen = newest.get(r.pipelineName);
        if (!seen || key > seen.key) newest.set(r.pipelineName, { r, key });
      }
      return [...newest.values()].map((x) => x.r);
    },

    async findByClientRequestToken(scope, pipelineName, token) {
      checkOpen();
      for (const { record: r } of executions.values()) {
        if (
          r.state.clientRequestToken === token &&
          r.pipelineName === pipelineName &&
          scopeKey(r.scope) === scopeKey(scope)
        ) {
          return r.executionId;
        }
      }
      return undefined;
    },

    async countActive(scope, pipelineName) {
      checkOpen();
      let n = 0;
      for (const { record: r } of executions.values()) {
        if (
          r.pipelineName === pipelineName &&
          scopeKey(r.scope) === scopeKey(scope) &&
          isActiveStatus(r.state.status)
        )
          n++;
      }
      return n;
    },

    async activeExecutions(limit) {
      checkOpen();
      return [...executions.values()]
        .map((e) => e.record)
        .filter((r) => isActiveStatus(r.state.status))
        .slice(0, limit)
        .map((r) => ({ scope: r.scope, pipelineName: r.pipelineName, executionId: r.executionId }));
    },

    async dueExecutions(now, limit) {
      checkOpen();
      return [...executions.values()]
        .map((e) => e.record)
        .filter((r) => {
          const due = nextDeadlineOf(r.state);
          return due !== undefined && due <= now;
        })
        .slice(0, limit)
        .map((r) => ({ scope: r.scope, pipelineName: r.pipelineName, executionId: r.executionId }));
    },

    async getLanes(scope, pipelineName) {
      checkOpen();
      return (
        lanes.get(pipelineKey(scope, pipelineName)) ??
        copy({
          scope: { accountId: scope.accountId, region: scope.region },
          pipelineName,
          version: 0,
          lanes: emptyLanes,
        })
      );
    },

    async lanesWithPendingRollbacks(limit) {
      checkOpen();
      return [...lanes.values()].filter((l) => l.lanes.pendingRollbacks.length > 0).slice(0, limit);
    },

    async removePipelineRuns(scope, pipelineName) {
      checkOpen();
      for (const [id, e] of executions) {
        if (e.record.pipelineName === pipelineName && scopeKey(e.record.scope) === scopeKey(scope))
          executions.delete(id);
      }
      lanes.delete(pipelineKey(scope, pipelineName));
      for (const [id, j] of jobs) {
        if (j.spec.pipelineName === pipelineName && scopeKey(j.scope) === scopeKey(scope)) jobs.delete(id);
      }
    },
  };
}
