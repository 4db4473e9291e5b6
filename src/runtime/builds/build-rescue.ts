import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { abortedBuild } from "../../codebuild/build-document.js";
import type { BuildDocument } from "../../codebuild/documents.js";
import type { TaskRecord } from "../../store/types.js";
import type { Component } from "../components/component.js";
import type { BuildService } from "./build-service.js";
import { BUILD_TASK, type BuildTaskPayload } from "./build-task.js";

/** Phases in which nothing of a build has run yet: a lost build there may simply run again. */
const NOT_STARTED = new Set(["SUBMITTED", "QUEUED"]);

/**
 * What happens to a build whose worker is gone (its process died: the lease lapsed, or this
 * node restarted). Pipewright never runs a build twice: one that had started (PROVISIONING or
 * later) ends FAULT with a phase message saying why, and its pipeline action fails with it;
 * one that had not started goes back to the queue and runs on another worker. A build whose
 * worker still heartbeats, from any process, is left alone.
 */
export async function rescueBuild(
  service: BuildService,
  task: TaskRecord<BuildTaskPayload>,
  heldBy?: string,
): Promise<"requeued" | "faulted" | "ended" | "skipped"> {
  const { deps } = service;
  const now = deps.clock.now();
  const record = await deps.store.getBuild(task.scope, task.payload.buildId);
  const document = record?.document;
  if (document && !document.buildComplete && NOT_STARTED.has(document.currentPhase)) {
    const requeued = await deps.queue.rescue(
      task.taskId,
      now,
      "Queued",
      `worker ${task.workerId} stopped before the build started`,
      heldBy,
    );
    if (requeued) service.wake();
    return requeued ? "requeued" : "skipped";
  }
  let final: BuildDocument | undefined = document;
  if (document && !document.buildComplete) {
    final = abortedBuild(
      document,
      "FAULT",
      {
        statusCode: "BUILD_INTERRUPTED",
        message: `The Pipewright worker running this build (${task.workerId}) stopped in phase ${document.currentPhase}; Pipewright does not run a build twice, so start it again`,
      },
      now,
    );
  }
  const failed = await deps.queue.rescue(
    task.taskId,
    now,
    "Failed",
    "its worker stopped while it ran",
    heldBy,
  );
  if (!failed) return "skipped";
  if (final && final !== document) await deps.store.putBuild({ scope: task.scope, document: final });
  if (final && task.payload.pipeline)
    await service.onPipelineBuildEnded(task.scope, task.payload.pipeline, final);
  return final === document ? "ended" : "faulted";
}

/** Rescues build tasks whose lease lapsed: their worker, in whatever process, is gone. */
export function createBuildRescuer(service: BuildService, intervalMs: number): Component {
  return {
    name: "build-rescuer",
    intervalMs,
    async runOnce(signal) {
      const expired = await service.deps.queue.expiredTasks(service.deps.clock.now(), 100);
      let rescued = 0;
      for (const task of expired) {
        if (signal.aborted) break;
        if (task.kind !== BUILD_TASK) continue;
        const outcome = await rescueBuild(service, task as TaskRecord<BuildTaskPayload>);
        if (outcome !== "skipped") rescued++;
      }
      return rescued;
    },
  };
}

/**
 * At start-up, before the worker claims anything: the builds this node's previous process held
 * are rescued at once (that process is gone; no need to wait for their leases); builds left
 * unfinished without a task (a crash between recording a build and queueing it) end FAULT;
 * workspaces no running build owns are removed. Returns how many builds it touched.
 */
export async function recoverBuilds(service: BuildService): Promise<number> {
  const { deps } = service;
  let touched = 0;
  for (const task of await deps.queue.tasksHeldBy(deps.options.workerId)) {
    if (task.kind !== BUILD_TASK) continue;
    if (
      (await rescueBuild(service, task as TaskRecord<BuildTaskPayload>, deps.options.workerId)) !== "skipped"
    )
      touched++;
  }
  const open = new Set((await deps.queue.openTasks(BUILD_TASK, 100_000)).map((t) => t.key));
  for (const record of await deps.store.unfinishedBuilds()) {
    if (open.has(record.document.id)) continue;
    const faulted = abortedBuild(
      record.document,
      "FAULT",
      { statusCode: "BUILD_INTERRUPTED", message: "Pipewright stopped before this build was queued" },
      deps.clock.now(),
    );
    await deps.store.putBuild({ scope: record.scope, document: faulted });
    touched++;
  }
  touched += (await deps.executors.reapOrphans?.().catch(() => 0)) ?? 0;
  if (!deps.options.keepWorkspaces) {
    for (const name of await readdir(deps.workDir).catch(() => [] as string[])) {
      await rm(join(deps.workDir, name), { recursive: true, force: true }).catch(() => {});
    }
  }
  return touched;
}
