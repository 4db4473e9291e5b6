import type { ExecutorPreference } from "../../build-agent/types.js";
import { abortedBuild } from "../../codebuild/build-document.js";
import type { BuildDocument } from "../../codebuild/documents.js";
import type { PipelineBuildIo, PipelineBuildLink } from "../../codebuild/pipeline-build.js";
import type { Scope, TaskRecord } from "../../store/types.js";
import type { Component } from "../components/component.js";
import { executeBuild } from "./build-execution.js";
import type { BuildService } from "./build-service.js";
import { BUILD_TASK, type BuildTaskPayload } from "./build-task.js";

export interface BuildWorker extends Component {
  /** Resolves once every build this worker has started has ended. */
  drain(): Promise<void>;
  /** Aborts every running build (server shutdown); they end STOPPED. */
  stopAll(): Promise<void>;
}

/**
 * A build worker: claims `build` tasks from the work queue up to its capacity
 * (`maxConcurrentBuilds`, per worker), runs each through the agent, heartbeats while it runs,
 * and ends the task when the build has ended and its pipeline action (if any) has been told.
 * A heartbeat that finds the task cancelled (StopBuild) or no longer ours stops the build.
 * The in-process worker is one; a remote build agent would be another over the same queue.
 */
export function createBuildWorker(service: BuildService, intervalMs: number): BuildWorker {
  const deps = service.deps;
  const { workerId, leaseMs } = deps.options;
  const running = new Map<string, { stop: AbortController; done: Promise<void> }>();
  service.stopLocal = (buildId) => {
    const run = running.get(buildId);
    if (!run) return undefined;
    run.stop.abort();
    return run.done;
  };

  async function run(task: TaskRecord<BuildTaskPayload>, stop: AbortController): Promise<void> {
    const { scope, payload } = task;
    const now = () => deps.clock.now();
    const record = await deps.store.getBuild(scope, payload.buildId);
    if (!record) {
      await deps.queue.fail(task.taskId, workerId, now(), `the build record ${payload.buildId} is missing`);
      return;
    }
    if (record.document.buildComplete) {
      await deps.queue.complete(task.taskId, workerId, now());
      return;
    }
    const heartbeat = setInterval(
      () => {
        deps.queue.heartbeat(task.taskId, workerId, now(), leaseMs).then(
          (beat) => {
            if (!beat.held || beat.cancelRequested) stop.abort();
          },
          (error: unknown) =>
            deps.logger.warn("build heartbeat failed", { buildId: payload.buildId, error: String(error) }),
        );
      },
      Math.max(200, leaseMs / 3),
    );
    heartbeat.unref();
    service.logs.begin(scope, payload.buildId);
    try {
      await execute(scope, record.document, payload, stop.signal);
    } finally {
      clearInterval(heartbeat);
      await service.logs.end(payload.buildId);
    }
    const final = (await deps.store.getBuild(scope, payload.buildId))?.document ?? record.document;
    if (payload.pipeline) await tell(scope, payload.pipeline, final);
    if (final.buildStatus === "STOPPED")
      await deps.queue.fail(task.taskId, workerId, now(), "the build was stopped");
    else await deps.queue.complete(task.taskId, workerId, now());
  }

  async function execute(
    scope: Scope,
    document: BuildDocument,
    payload: BuildTaskPayload,
    signal: AbortSignal,
  ) {
    try {
      if (signal.aborted) {
        const stopped = abortedBuild(
          document,
          "STOPPED",
          { statusCode: "BUILD_STOPPED", message: "Build was stopped" },
          deps.clock.now(),
        );
        await deps.store.putBuild({ scope, document: stopped });
        return;
      }
      const preference = (payload.tags.find((t) => t.key === "pipewright:executor")?.value ??
        deps.options.executor) as ExecutorPreference;
      await executeBuild({
        deps,
        logs: service.logs,
        scope,
        document,
        signal,
        pipeline: payload.pipeline ? pipelineIo(scope, payload.pipeline) : undefined,
        preference,
        artifacts: payload.artifacts,
      });
    } catch (error) {
      deps.logger.error("build failed inside Pipewright", { buildId: document.id, error: String(error) });
      const current = (await deps.store.getBuild(scope, document.id))?.document ?? document;
      if (!current.buildComplete) {
        const faulted = abortedBuild(
          current,
          "FAULT",
          {
            statusCode: "INTERNAL_ERROR",
            message: `Pipewright failed to run the build: ${(error as Error).message}`,
          },
          deps.clock.now(),
        );
        await deps.store.putBuild({ scope, document: faulted }).catch(() => {});
      }
    }
  }

  async function tell(scope: Scope, link: PipelineBuildLink, build: BuildDocument): Promise<void> {
    try {
      await service.onPipelineBuildEnded(scope, link, build);
    } catch (error) {
      // The task stays ours; a rescue after our lease lapses (or a restart) tells the action again.
      deps.logger.error("telling a pipeline action its build ended failed", {
        buildId: build.id,
        error: String(error),
      });
      throw error;
    }
  }

  function pipelineIo(scope: Scope, link: PipelineBuildLink): PipelineBuildIo {
    return {
      secondaryInputs: link.secondary.map((a) => a.name),
      outputs: link.outputs.map((a) => ({ name: a.name, identifier: a.name })),
      async download(dirs) {
        const primary = await deps.pipelineIo.download(scope, link.primary, dirs.primary);
        const secondary = new Map<string, { sourceVersion?: string }>();
        for (const artifact of link.secondary) {
          const dir = dirs.secondary.get(artifact.name);
          if (!dir) continue;
          const info = await deps.pipelineIo.download(scope, artifact, dir);
          secondary.set(
            artifact.name,
            info.resolvedSourceVersion === undefined ? {} : { sourceVersion: info.resolvedSourceVersion },
          );
        }
        return { ...primary, secondary };
      },
      deliver(name, produced) {
        const artifact = link.outputs.find((a) => a.name === name);
        if (!artifact) throw new Error(`no output artifact named ${name}`);
        return deps.pipelineIo.deliver(scope, artifact, produced);
      },
    };
  }

  return {
    name: "build-worker",
    intervalMs,
    async runOnce() {
      const free = deps.options.maxConcurrentBuilds - running.size;
      if (free <= 0) return 0;
      const claimed = await deps.queue.claimTasks({
        workerId,
        now: deps.clock.now(),
        leaseMs,
        capacity: { [BUILD_TASK]: free },
      });
      for (const task of claimed as TaskRecord<BuildTaskPayload>[]) {
        const stop = new AbortController();
        const buildId = task.payload.buildId;
        const done = run(task, stop)
          .catch((error: unknown) =>
            deps.logger.error("running a build task failed", { buildId, error: String(error) }),
          )
          .finally(() => running.delete(buildId));
        running.set(buildId, { stop, done });
      }
      return claimed.length;
    },
    async drain() {
      while (running.size > 0) await Promise.all([...running.values()].map((r) => r.done));
    },
    async stopAll() {
      for (const r of running.values()) r.stop.abort();
      await this.drain();
    },
  };
}
