import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type {
  BuildAgent,
  ExecutorPreference,
  ExecutorSelector,
  SecretResolver,
} from "../../build-agent/types.js";
import { buildArn } from "../../codebuild/arns.js";
import { abortedBuild, type BuildOverrides, initialBuild } from "../../codebuild/build-document.js";
import type { BuildDocument } from "../../codebuild/documents.js";
import type { Clock } from "../../lib/clock.js";
import type { Logger } from "../../lib/logger.js";
import { err, ok, type Result } from "../../lib/result.js";
import type { BuildRecord, BuildStore, Page, Scope } from "../../store/types.js";
import { type Execution, executeBuild } from "./build-execution.js";
import { BuildLogHub } from "./log-hub.js";
import type { BuildArtifactSink, BuildInsideAccess, BuildSourceFetcher, PipelineBuildIo } from "./ports.js";
import { notFound, type ProjectFailure } from "./project-service.js";

export interface BuildServiceDeps {
  readonly store: BuildStore;
  readonly agent: BuildAgent;
  readonly executors: ExecutorSelector;
  readonly sources: BuildSourceFetcher;
  readonly artifacts: BuildArtifactSink;
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
  /** How many builds run at once; the rest wait in QUEUED. */
  readonly maxConcurrentBuilds: number;
  /** How long a "minute" of timeoutInMinutes lasts (tests shorten it). */
  readonly minuteMs: number;
  /** The executor builds use unless a project's `pipewright:executor` tag says otherwise. */
  readonly executor: ExecutorPreference;
  /** Keep build workspaces after the build (for debugging). */
  readonly keepWorkspaces: boolean;
}

export interface StartBuildRequest {
  readonly projectName: string;
  readonly overrides: BuildOverrides;
  readonly initiator: string;
  /** Set for builds a pipeline action starts. */
  readonly pipeline?: PipelineBuildIo;
  /** StartBuild's idempotencyToken: the same token within 5 minutes returns the same build. */
  readonly idempotencyToken?: string;
}

const IDEMPOTENCY_MS = 5 * 60 * 1000;

/**
 * CodeBuild builds: StartBuild records a build (SUBMITTED, QUEUED) and runs it in the
 * background through the agent; BatchGetBuilds reads what the store holds, which the running
 * build keeps current phase by phase. StopBuild aborts a running build (it ends STOPPED).
 * A build found unfinished at start-up (the process died under it) ends as FAULT.
 */
export class BuildService {
  readonly logs: BuildLogHub;
  private readonly running = new Map<string, { stop: AbortController; done: Promise<void> }>();
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  /** idempotencyToken -> build, kept in memory for the token's five minutes. */
  private readonly tokens = new Map<string, { buildId: string; projectName: string; expires: number }>();

  constructor(private readonly deps: BuildServiceDeps) {
    this.logs = new BuildLogHub(deps.store, deps.logger);
  }

  async start(scope: Scope, request: StartBuildRequest): Promise<Result<BuildDocument, ProjectFailure>> {
    const project = await this.deps.store.getProject(scope, request.projectName);
    if (!project) return err(notFound(scope, request.projectName));
    const tokenKey =
      request.idempotencyToken === undefined
        ? undefined
        : `${scope.accountId}/${scope.region}/${request.idempotencyToken}`;
    const seen = tokenKey === undefined ? undefined : this.tokens.get(tokenKey);
    if (seen && seen.expires > this.deps.clock.now()) {
      if (seen.projectName !== request.projectName) {
        return err({
          exception: "InvalidInputException",
          message: `idempotencyToken ${request.idempotencyToken} was already used for another StartBuild request`,
        });
      }
      const previous = await this.deps.store.getBuild(scope, seen.buildId);
      if (previous) return ok(previous.document);
    }
    const source = project.document.source;
    if (source.type === "CODEPIPELINE" && !request.pipeline) {
      return err({
        exception: "InvalidInputException",
        message:
          "Project source type CODEPIPELINE can only be built by a pipeline; use sourceTypeOverride to build it directly",
      });
    }
    const uuid = this.deps.newId();
    const id = `${request.projectName}:${uuid}`;
    const now = this.deps.clock.now();
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
    if (tokenKey !== undefined) {
      for (const [k, v] of this.tokens) if (v.expires <= now) this.tokens.delete(k);
      this.tokens.set(tokenKey, {
        buildId: id,
        projectName: request.projectName,
        expires: now + IDEMPOTENCY_MS,
      });
    }
    this.logs.begin(scope, id);
    const stop = new AbortController();
    const artifacts = {
      primary: request.overrides.artifactsOverride ?? project.document.artifacts,
      secondary: request.overrides.secondaryArtifactsOverride ?? project.document.secondaryArtifacts,
    };
    const done = this.run(
      scope,
      document,
      project.document.tags,
      stop.signal,
      request.pipeline,
      artifacts,
    ).finally(() => this.running.delete(id));
    this.running.set(id, { stop, done });
    return ok(document);
  }

  async get(scope: Scope, id: string): Promise<BuildRecord | undefined> {
    return this.deps.store.getBuild(scope, id);
  }

  list(scope: Scope, query: Parameters<BuildStore["listBuildIds"]>[1]): Promise<Page<string>> {
    return this.deps.store.listBuildIds(scope, query);
  }

  /**
   * Stops a build: a running one is aborted and this resolves once it has ended (at most a few
   * seconds); a finished one is returned as it is.
   */
  async stop(scope: Scope, id: string): Promise<BuildDocument | undefined> {
    const record = await this.deps.store.getBuild(scope, id);
    if (!record) return undefined;
    const run = this.running.get(id);
    if (run) {
      run.stop.abort();
      await Promise.race([run.done, new Promise((r) => setTimeout(r, 10_000).unref())]);
    }
    return (await this.deps.store.getBuild(scope, id))?.document ?? record.document;
  }

  /** Waits for a build started by this process to end (tests and the CLI). */
  async settled(id: string): Promise<void> {
    await this.running.get(id)?.done;
  }

  /** Ends builds a previous process left unfinished: they are FAULT, their logs say why. */
  async recover(): Promise<number> {
    const unfinished = await this.deps.store.unfinishedBuilds();
    for (const record of unfinished) {
      if (this.running.has(record.document.id)) continue;
      const now = this.deps.clock.now();
      const document = abortedBuild(
        record.document,
        "FAULT",
        { statusCode: "BUILD_INTERRUPTED", message: "Pipewright stopped while this build was running" },
        now,
      );
      await this.deps.store.putBuild({ scope: record.scope, document });
    }
    await this.removeOrphanedWorkspaces();
    return unfinished.length;
  }

  /**
   * Workspaces no running build owns: those of builds a killed predecessor was running (they may
   * hold checked-out sources and build outputs). Kept when workspaces are kept for debugging.
   */
  private async removeOrphanedWorkspaces(): Promise<void> {
    if (this.deps.options.keepWorkspaces) return;
    const owned = new Set([...this.running.keys()].map((id) => id.slice(id.lastIndexOf(":") + 1)));
    for (const name of await readdir(this.deps.workDir).catch(() => [] as string[])) {
      if (owned.has(name)) continue;
      await rm(join(this.deps.workDir, name), { recursive: true, force: true }).catch(() => {});
    }
  }

  /** Stops every running build (server shutdown) and waits for them to end. */
  async close(): Promise<void> {
    for (const run of this.running.values()) run.stop.abort();
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  private async run(
    scope: Scope,
    document: BuildDocument,
    tags: readonly { key: string; value: string }[],
    signal: AbortSignal,
    pipeline: PipelineBuildIo | undefined,
    artifacts: Execution["artifacts"],
  ): Promise<void> {
    await this.slot();
    try {
      if (signal.aborted) {
        const stopped = abortedBuild(
          document,
          "STOPPED",
          { statusCode: "BUILD_STOPPED", message: "Build was stopped" },
          this.deps.clock.now(),
        );
        await this.deps.store.putBuild({ scope, document: stopped });
        return;
      }
      const preference = (tags.find((t) => t.key === "pipewright:executor")?.value ??
        this.deps.options.executor) as ExecutorPreference;
      await executeBuild({
        deps: this.deps,
        logs: this.logs,
        scope,
        document,
        signal,
        pipeline,
        preference,
        artifacts,
      });
    } catch (error) {
      this.deps.logger.error("build failed inside Pipewright", {
        buildId: document.id,
        error: String(error),
      });
      const current = (await this.deps.store.getBuild(scope, document.id))?.document ?? document;
      if (!current.buildComplete) {
        const faulted = abortedBuild(
          current,
          "FAULT",
          {
            statusCode: "INTERNAL_ERROR",
            message: `Pipewright failed to run the build: ${(error as Error).message}`,
          },
          this.deps.clock.now(),
        );
        await this.deps.store.putBuild({ scope, document: faulted }).catch(() => {});
      }
    } finally {
      await this.logs.end(document.id);
      this.release();
    }
  }

  private async slot(): Promise<void> {
    if (this.active < this.deps.options.maxConcurrentBuilds) {
      this.active += 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active -= 1;
  }
}
