import { createHash } from "node:crypto";
import type {
  BuildAgent,
  ExecutorPreference,
  ExecutorSelector,
  SecretResolver,
} from "../../build-agent/types.js";
import { buildArn } from "../../codebuild/arns.js";
import { abortedBuild, type BuildOverrides, initialBuild } from "../../codebuild/build-document.js";
import type { BuildDocument } from "../../codebuild/documents.js";
import type { PipelineBuildLink } from "../../codebuild/pipeline-build.js";
import type { Clock } from "../../lib/clock.js";
import type { Logger } from "../../lib/logger.js";
import { err, ok, type Result } from "../../lib/result.js";
import type { BuildRecord, BuildStore, Page, Scope, WorkQueue } from "../../store/types.js";
import { BUILD_TASK, type BuildTaskPayload } from "./build-task.js";
import { BuildLogHub } from "./log-hub.js";
import type {
  BuildArtifactSink,
  BuildInsideAccess,
  BuildSourceFetcher,
  PipelineArtifactIo,
} from "./ports.js";
import { notFound, type ProjectFailure } from "./project-service.js";

export interface BuildServiceDeps {
  readonly store: BuildStore;
  readonly queue: WorkQueue;
  readonly agent: BuildAgent;
  readonly executors: ExecutorSelector;
  readonly sources: BuildSourceFetcher;
  readonly artifacts: BuildArtifactSink;
  /** Reads a pipeline build's input artifacts and writes its outputs. */
  readonly pipelineIo: PipelineArtifactIo;
  readonly secrets: (scope: Scope) => SecretResolver;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly logger: Logger;
  /** Where build workspaces are made (one directory per build, removed when it ends). */
  readonly workDir: string;
  /** The local cache directory of a project (cache type LOCAL or S3). */
  readonly cacheDir: (scope: Scope, projectName: string) => string;
  /** This server's URL, for log deep links and CODEBUILD_BUILD_URL. */
  readonly publicEndpoint: () => string;
  /** The host environment builds on the host start from (PATH, LANG, ...). */
  readonly baseEnv: Readonly<Record<string, string>>;
  readonly options: BuildServiceOptions;
  /** AWS access from inside builds; absent: builds get no credentials and no endpoint. */
  readonly inside?: BuildInsideAccess;
}

export interface BuildServiceOptions {
  /** How many builds this worker runs at once; the rest wait in QUEUED. */
  readonly maxConcurrentBuilds: number;
  /** How long a "minute" of timeoutInMinutes lasts (tests shorten it). */
  readonly minuteMs: number;
  /** The executor builds use unless a project's `pipewright:executor` tag says otherwise. */
  readonly executor: ExecutorPreference;
  /** Keep build workspaces after the build (for debugging). */
  readonly keepWorkspaces: boolean;
  /** This process's identity on the build tasks it claims; recovery rescues what a dead one held. */
  readonly workerId: string;
  /** How long a claimed build stays this worker's without a heartbeat (heartbeats every third of it). */
  readonly leaseMs: number;
}

export interface StartBuildRequest {
  readonly projectName: string;
  readonly overrides: BuildOverrides;
  readonly initiator: string;
  /** Set for builds a pipeline action starts. */
  readonly pipeline?: PipelineBuildLink;
  /** StartBuild's idempotencyToken: the same token within 5 minutes returns the same build. */
  readonly idempotencyToken?: string;
}

const IDEMPOTENCY_MS = 5 * 60 * 1000;

/** Called when a pipeline build has ended: the wiring completes its action (main/builds.ts). */
export type PipelineBuildEnded = (
  scope: Scope,
  link: PipelineBuildLink,
  build: BuildDocument,
) => Promise<void>;

/**
 * CodeBuild builds as work-queue tasks. StartBuild records the build (SUBMITTED, QUEUED) and
 * enqueues a `build` task keyed by the build id; a build worker (build-worker.ts, in this
 * process or another) claims it, runs it through the agent and keeps the stored build current;
 * BatchGetBuilds reads what the store holds. StopBuild cancels through the queue: a queued
 * build ends STOPPED at once, a running one when its worker sees the cancel (at once when it
 * runs in this process). docs/codebuild.md states what a restart does to each kind of build.
 */
export class BuildService {
  readonly logs: BuildLogHub;
  /** Set by the wiring once the runtime exists: reports a pipeline build's end to its action. */
  onPipelineBuildEnded: PipelineBuildEnded = async () => {};
  /** Set by the in-process build worker: aborts a build it runs here (StopBuild's fast path). */
  stopLocal: (buildId: string) => Promise<void> | undefined = () => undefined;
  /** Set by the in-process build worker: wakes it when a build is queued. */
  wake: () => void = () => {};

  constructor(readonly deps: BuildServiceDeps) {
    this.logs = new BuildLogHub(deps.store, deps.logger);
  }

  async start(scope: Scope, request: StartBuildRequest): Promise<Result<BuildDocument, ProjectFailure>> {
    const project = await this.deps.store.getProject(scope, request.projectName);
    if (!project) return err(notFound(scope, request.projectName));
    const now = this.deps.clock.now();
    if (request.idempotencyToken !== undefined) {
      const seen = await this.deps.store.findBuildToken(scope, request.idempotencyToken);
      if (seen && seen.expires > now) {
        if (seen.projectName !== request.projectName) {
          return err({
            exception: "InvalidInputException",
            message: `idempotencyToken ${request.idempotencyToken} was already used for another StartBuild request`,
          });
        }
        const previous = await this.deps.store.getBuild(scope, seen.buildId);
        if (previous) return ok(previous.document);
      }
    }
    const source = project.document.source;
    if (source.type === "CODEPIPELINE" && !request.pipeline) {
      return err({
        exception: "InvalidInputException",
        message:
          "Project source type CODEPIPELINE can only be built by a pipeline; use sourceTypeOverride to build it directly",
      });
    }
    // A pipeline build's id follows from its action's job step, so a re-offered job (after a
    // crash) finds the build it started instead of starting a second one.
    const uuid = request.pipeline ? uuidOf(request.pipeline.idempotencyKey) : this.deps.newId();
    const id = `${request.projectName}:${uuid}`;
    if (request.pipeline) {
      const existing = await this.deps.store.getBuild(scope, id);
      if (existing) return ok(existing.document);
    }
    const number = await this.deps.store.nextBuildNumber(scope, request.projectName);
    const endpoint = this.deps.publicEndpoint();
    const document = initialBuild({
      project: project.document,
      overrides: request.overrides,
      id,
      arn: buildArn(scope, id),
      number,
      now,
      initiator: request.initiator,
      logs: {
        groupName: `/aws/codebuild/${request.projectName}`,
        streamName: uuid,
        deepLink: `${endpoint}/_pipewright/builds/${encodeURIComponent(id)}/log`,
      },
    });
    await this.deps.store.putBuild({ scope, document });
    if (request.idempotencyToken !== undefined) {
      await this.deps.store.putBuildToken(scope, {
        token: request.idempotencyToken,
        buildId: id,
        projectName: request.projectName,
        expires: now + IDEMPOTENCY_MS,
      });
    }
    const payload: BuildTaskPayload = {
      buildId: id,
      artifacts: {
        primary: request.overrides.artifactsOverride ?? project.document.artifacts,
        secondary: request.overrides.secondaryArtifactsOverride ?? project.document.secondaryArtifacts,
      },
      tags: project.document.tags,
      ...(request.pipeline ? { pipeline: request.pipeline } : {}),
    };
    // A build that never started may run again after its worker died (build-rescue.ts).
    await this.deps.queue.enqueue(
      { taskId: this.deps.newId(), kind: BUILD_TASK, key: id, scope, payload, maxAttempts: 3 },
      now,
    );
    this.wake();
    return ok(document);
  }

  async get(scope: Scope, id: string): Promise<BuildRecord | undefined> {
    return this.deps.store.getBuild(scope, id);
  }

  list(scope: Scope, query: Parameters<BuildStore["listBuildIds"]>[1]): Promise<Page<string>> {
    return this.deps.store.listBuildIds(scope, query);
  }

  /**
   * Stops a build: a queued one ends STOPPED at once; a running one is cancelled through the
   * queue and this resolves once it has ended (at most about 10 seconds); a finished one is
   * returned as it is.
   */
  async stop(scope: Scope, id: string): Promise<BuildDocument | undefined> {
    const record = await this.deps.store.getBuild(scope, id);
    if (!record) return undefined;
    const task = await this.deps.queue.findTask<BuildTaskPayload>(BUILD_TASK, id);
    if (task && (task.status === "Queued" || task.status === "InProgress")) {
      const after = await this.deps.queue.cancel(task.taskId, this.deps.clock.now());
      if (after === "Cancelled") {
        const stopped = abortedBuild(
          record.document,
          "STOPPED",
          { statusCode: "BUILD_STOPPED", message: "Build was stopped" },
          this.deps.clock.now(),
        );
        await this.deps.store.putBuild({ scope, document: stopped });
        if (task.payload.pipeline) await this.onPipelineBuildEnded(scope, task.payload.pipeline, stopped);
        return stopped;
      }
      await this.stopLocal(id);
      for (let waited = 0; waited < 10_000; waited += 100) {
        const now = await this.deps.store.getBuild(scope, id);
        if (now?.document.buildComplete) return now.document;
        await new Promise((r) => setTimeout(r, 100).unref());
      }
    }
    return (await this.deps.store.getBuild(scope, id))?.document ?? record.document;
  }

  /** Stops the builds these action runs started (they were abandoned or timed out). */
  async stopForActions(actionExecutionIds: readonly string[]): Promise<void> {
    const wanted = new Set(actionExecutionIds);
    for (const task of await this.deps.queue.openTasks(BUILD_TASK, 10_000)) {
      const link = (task.payload as BuildTaskPayload).pipeline;
      if (link && wanted.has(link.actionExecutionId)) {
        await this.stop(task.scope, (task.payload as BuildTaskPayload).buildId);
      }
    }
  }
}

/** A UUID (v4-shaped) that follows from `text`: the same text always gives the same id. */
export function uuidOf(text: string): string {
  const h = createHash("sha256").update(`pipewright-build:${text}`).digest("hex");
  const variant = ((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
