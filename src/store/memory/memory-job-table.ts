import type { JobRecord, TaskRecord } from "../queue-types.js";

/**
 * The memory stores' one job table: action jobs, which the memory run store writes in its
 * commits, and tasks, which only the memory work queue writes. Both read it, as the SQLite
 * stores share the work_jobs table. Records are frozen deep copies.
 */
export interface MemoryJobTable {
  readonly jobs: Map<string, JobRecord>;
  readonly tasks: Map<string, TaskRecord>;
  /** Enqueue order of jobs and tasks (claim order breaks ties with it). */
  readonly jobOrder: Map<string, number>;
  nextSeq(): number;
}

export function createMemoryJobTable(): MemoryJobTable {
  let seq = 0;
  return { jobs: new Map(), tasks: new Map(), jobOrder: new Map(), nextSeq: () => ++seq };
}

export function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

export const frozenCopy = <T>(value: T): T => deepFreeze(structuredClone(value));
