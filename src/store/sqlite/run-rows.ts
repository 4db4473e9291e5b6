import type { ExecutionState } from "../../engine/execution-state.js";
import type { PipelineLanes } from "../../engine/lanes.js";
import type { JobStatus } from "../../engine/statuses.js";
import type { JobSpec } from "../../engine/world.js";
import type { ExecutionRecord, JobRecord, LanesRecord, Scope } from "../types.js";
import type { JobRow } from "./job-queries.js";
import type { ExecutionRef, ExecutionRow, LanesRow } from "./run-queries.js";

/*
 * Rows of the run tables as records. Every call parses its JSON afresh, so no two records share
 * an object and nothing a caller does to one reaches another or the store.
 */

export function toExecutionRecord(row: ExecutionRow): ExecutionRecord {
  return {
    scope: { accountId: row.account_id, region: row.region },
    pipelineName: row.pipeline_name,
    executionId: row.execution_id,
    version: row.version,
    state: JSON.parse(row.state) as ExecutionState,
  };
}

export function toExecutionRef(row: ExecutionRef): {
  scope: Scope;
  pipelineName: string;
  executionId: string;
} {
  return {
    scope: { accountId: row.account_id, region: row.region },
    pipelineName: row.pipeline_name,
    executionId: row.execution_id,
  };
}

export function toLanesRecord(row: LanesRow): LanesRecord {
  return {
    scope: { accountId: row.account_id, region: row.region },
    pipelineName: row.pipeline_name,
    version: row.version,
    lanes: JSON.parse(row.lanes) as PipelineLanes,
  };
}

export function toJobRecord(row: JobRow): JobRecord {
  return {
    jobId: row.job_id,
    scope: { accountId: row.account_id, region: row.region },
    spec: JSON.parse(row.spec) as JobSpec,
    status: row.status as JobStatus,
    attempt: row.attempt,
    ...(row.nonce === null ? {} : { nonce: row.nonce }),
    ...(row.worker_id === null ? {} : { workerId: row.worker_id }),
    ...(row.lease_expires_at === null ? {} : { leaseExpiresAt: row.lease_expires_at }),
    awaitingCallback: row.awaiting_callback === 1,
    created: row.created,
    updated: row.updated,
  };
}
