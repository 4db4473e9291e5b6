import type { Logger } from "../../lib/logger.js";
import { ok } from "../../lib/result.js";
import type { Container } from "../../model/ecs/types.js";
import type { EcsTaskRecord } from "../../store/types.js";
import type { ListedContainer, TaskRuntime } from "../../task-runtime/types.js";
import { type EcsContext, versionedChange } from "./ecs-context.js";
import { NODE_LABEL, TASK_ARN_LABEL, type TaskRuntimes } from "./task-driver.js";

const TASK_ARN = /^arn:aws[a-z-]*:ecs:([a-z0-9-]+):(\d{12}):task\/([^/]+)\/([0-9a-f]+)$/u;

export interface RecoveryReport {
  /** Containers of open tasks whose ids the store did not have yet (started just before a crash). */
  readonly adopted: number;
  /** Containers no open task owns (stopped or unknown tasks, duplicates): stopped and removed. */
  readonly removed: number;
  /** Tasks caught half-started: their containers removed, started again from PROVISIONING. */
  readonly restarted: number;
}

/**
 * What a killed server left behind, put right before the scheduler runs (docs/ecs.md). Every
 * container carrying Pipewright's task label and this server's node label is matched with its task record: a running one of
 * an open task whose record lacks its id is adopted (the start finished after the record was
 * written); one that no open task owns is stopped and removed, so nothing is orphaned or
 * duplicated. A task left PENDING with containers missing goes back to PROVISIONING (after its
 * stray containers are removed) and starts again. Containers whose ids the store has need
 * nothing: the scheduler watches them again.
 */
export async function recoverEcsTasks(
  ctx: EcsContext,
  runtimes: TaskRuntimes,
  nodeId: string,
  logger: Logger,
): Promise<RecoveryReport> {
  let adopted = 0;
  let removed = 0;
  let restarted = 0;
  const remove = async (runtime: TaskRuntime, c: ListedContainer) => {
    await runtime.stop(c.runtimeId, 0);
    await runtime.remove(c.runtimeId);
    removed++;
  };
  const all = [runtimes.docker, runtimes.process].filter((r): r is TaskRuntime => r !== undefined);
  for (const runtime of all) {
    for (const listed of await runtime.list(TASK_ARN_LABEL)) {
      if (listed.labels[NODE_LABEL] !== nodeId) continue; // another server's (or data directory's)
      const match = TASK_ARN.exec(listed.labels[TASK_ARN_LABEL] ?? "");
      const record = match
        ? await ctx.store.getTask({ region: match[1]!, accountId: match[2]! }, match[3]!, match[4]!)
        : undefined;
      const name = listed.labels["pipewright.ecs.container-name"];
      const container = record?.task.containers.find((c) => c.name === name);
      const open = record && record.task.lastStatus !== "STOPPED";
      if (container?.runtimeId === listed.runtimeId && open) continue; // known: the scheduler watches it
      const adoptable =
        open &&
        record.task.desiredStatus === "RUNNING" &&
        container &&
        !container.runtimeId &&
        listed.running;
      if (!adoptable) {
        await remove(runtime, listed);
        continue;
      }
      await versionedChange(
        () => ctx.store.getTask(record.scope, record.clusterName, record.taskId),
        (current) => {
          const base = current ?? record;
          const containers = base.task.containers.map(
            (c): Container =>
              c.name === name
                ? {
                    ...c,
                    runtimeId: listed.runtimeId,
                    lastStatus: "RUNNING",
                    networkBindings: listed.bindings,
                  }
                : c,
          );
          const complete = containers.every((c) => c.runtimeId);
          return ok({
            ...base,
            task: {
              ...base.task,
              containers,
              ...(complete && base.task.lastStatus !== "RUNNING"
                ? { lastStatus: "RUNNING" as const, startedAt: ctx.clock.now() }
                : {}),
              version: base.task.version + 1,
            },
          });
        },
        (r) => ctx.store.putTask(r),
      );
      adopted++;
    }
  }
  // Tasks caught between PROVISIONING and RUNNING with containers still missing start again.
  for (const record of await ctx.store.openTasks()) {
    if (record.task.lastStatus !== "PENDING" || record.task.desiredStatus !== "RUNNING") continue;
    if (record.task.containers.every((c) => c.runtimeId)) continue;
    await restart(ctx, record, all);
    restarted++;
  }
  if (adopted + removed + restarted > 0) logger.info("ecs recovery", { adopted, removed, restarted });
  return { adopted, removed, restarted };
}

async function restart(ctx: EcsContext, record: EcsTaskRecord, runtimes: readonly TaskRuntime[]) {
  for (const c of record.task.containers) {
    if (!c.runtimeId) continue;
    for (const runtime of runtimes) {
      if ((await runtime.inspect(c.runtimeId)).status === "missing") continue;
      await runtime.stop(c.runtimeId, 0);
      await runtime.remove(c.runtimeId);
    }
  }
  await versionedChange(
    () => ctx.store.getTask(record.scope, record.clusterName, record.taskId),
    (current) => {
      const base = current ?? record;
      const containers = base.task.containers.map(
        ({ runtimeId: _id, ...c }): Container => ({ ...c, lastStatus: "PENDING", networkBindings: [] }),
      );
      return ok({
        ...base,
        task: {
          ...base.task,
          lastStatus: "PROVISIONING" as const,
          containers,
          version: base.task.version + 1,
        },
      });
    },
    (r) => ctx.store.putTask(r),
  );
}
