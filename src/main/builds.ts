import { createReadStream } from "node:fs";
import { join } from "node:path";
import { createSelector } from "../build-agent/executors/select-executor.js";
import type {
  BuildAgent,
  ExecutorPreference,
  ExecutorSelector,
  SecretResolver,
} from "../build-agent/types.js";
import type { PipelineBuilds } from "../codebuild/pipeline-build.js";
import { codeCommitRepositoryOf, s3LocationOf } from "../codebuild/project-input.js";
import { cloneAt, listRefs } from "../git/index.js";
import type { Clock } from "../lib/clock.js";
import type { Logger } from "../lib/logger.js";
import { createCodeBuildProvider } from "../providers/codebuild/codebuild-provider.js";
import type { ActionProvider } from "../providers/types.js";
import { createBuildRescuer, recoverBuilds } from "../runtime/builds/build-rescue.js";
import {
  BuildService,
  type BuildServiceOptions,
  type PipelineBuildEnded,
} from "../runtime/builds/build-service.js";
import { type BuildWorker, createBuildWorker } from "../runtime/builds/build-worker.js";
import type { BuildArtifactSink, BuildInsideAccess, BuildSourceFetcher } from "../runtime/builds/ports.js";
import { ProjectService } from "../runtime/builds/project-service.js";
import type { Component } from "../runtime/components/component.js";
import type { Scope, Stores } from "../store/types.js";
import { extractZip } from "../zip/index.js";
import { type CloneReference, createPipelineArtifactIo } from "./pipeline-artifacts.js";

export interface BuildWiringOptions {
  readonly stores: Stores;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly logger: Logger;
  readonly secrets: (scope: Scope) => SecretResolver;
  /** Build workspaces and project caches live under here. */
  readonly buildsDir: string;
  /** Host directories sandboxed builds must not see besides `buildsDir` (the data directory). */
  readonly hideFromBuilds?: readonly string[];
  readonly publicEndpoint: () => string;
  readonly options: BuildServiceOptions;
  /** Tests pass their own; the default looks for bubblewrap and a Docker engine. */
  readonly executors?: ExecutorSelector;
  /** AWS access from inside builds (main/inside.ts). */
  readonly inside?: BuildInsideAccess;
  /** How often the build worker and rescuer look at the queue when nothing wakes them. */
  readonly pollIntervalMs: number;
}

export interface BuildWiring {
  readonly projects: ProjectService;
  readonly builds: BuildService;
  readonly provider: ActionProvider;
  /** The in-process build worker and the rescuer of lost builds, for the runtime's host. */
  readonly components: readonly Component[];
  readonly worker: BuildWorker;
  /** At start-up, before the components run: what a killed predecessor left (build-rescue.ts). */
  recover(): Promise<number>;
  /** Wires the end of a pipeline build to its action (the runtime exists after the builds). */
  onPipelineBuildEnded(hook: PipelineBuildEnded): void;
}

/** Defaults for a server: 8 builds at once per worker, real minutes, automatic executor choice. */
export const defaultBuildOptions: BuildServiceOptions = {
  maxConcurrentBuilds: 8,
  minuteMs: 60_000,
  executor: "auto",
  keepWorkspaces: false,
  workerId: "build-worker",
  leaseMs: 15_000,
};

/**
 * Wires CodeBuild: the build service over the build store and the agent, its sources (hosted
 * repositories and buckets), S3 artifacts, and the pipeline action that runs builds.
 */
export function wireBuilds(o: BuildWiringOptions): BuildWiring {
  const { stores } = o;
  const hostedGitDir = async (scope: Scope, url: string) => {
    const name = codeCommitRepositoryOf(url);
    const record = name === undefined ? undefined : await stores.repositories.get(scope, name);
    return record ? stores.repositories.gitDir(record) : undefined;
  };

  const sources: BuildSourceFetcher = {
    async fetch(scope, source, sourceVersion, dir) {
      switch (source.type) {
        case "NO_SOURCE":
          return {};
        case "CODECOMMIT": {
          const url = source.location ?? "";
          const gitDir = await hostedGitDir(scope, url);
          if (!gitDir) throw new Error(`repository not found: ${url}`);
          const revision = await resolveRevision(gitDir, sourceVersion);
          if (!revision)
            throw new Error(`reference not found for primary source and source version ${sourceVersion}`);
          await cloneAt(gitDir, dir, {
            commit: revision.commit,
            ...(revision.branch === undefined ? {} : { branch: revision.branch }),
            originUrl: url,
          });
          return {
            resolvedSourceVersion: revision.commit,
            ...(sourceVersion === undefined ? {} : { sourceVersion }),
            sourceRepoUrl: url,
          };
        }
        case "S3": {
          const where = s3LocationOf(source.location ?? "");
          if (!where) throw new Error(`invalid S3 source location ${source.location}`);
          const found = await stores.objects.getObject(
            where.bucket,
            where.key,
            sourceVersion === undefined ? {} : { versionId: sourceVersion },
          );
          if (!found) {
            throw new Error(`NoSuchKey: the source object s3://${where.bucket}/${where.key} does not exist`);
          }
          const object = found.version;
          const bytes = await readAll(found.body);
          await extractZip(bytes, dir, { allowSymlinks: true }).catch((error: Error) => {
            throw new Error(
              `the source object s3://${where.bucket}/${where.key} is not a valid zip: ${error.message}`,
            );
          });
          return {
            ...(object.versionId && object.versionId !== "null"
              ? { resolvedSourceVersion: object.versionId }
              : {}),
            ...(sourceVersion === undefined ? {} : { sourceVersion }),
            sourceRepoUrl: `s3://${where.bucket}/${where.key}`,
          };
        }
        default:
          throw new Error(`source type ${source.type} cannot be fetched by Pipewright`);
      }
    },
  };

  // S3 artifacts are stored as one zip object, also for packaging NONE (docs/codebuild.md).
  const artifacts: BuildArtifactSink = {
    async upload(_scope, settings, build, produced) {
      const bucket = settings.location ?? "";
      if (!(await stores.objects.getBucket(bucket))) throw new Error(`the bucket ${bucket} does not exist`);
      const name =
        settings.overrideArtifactName && produced.name ? produced.name : (settings.name ?? build.uuid);
      const parts = [settings.path, settings.namespaceType === "BUILD_ID" ? build.uuid : undefined, name];
      const key = parts.filter((p) => p !== undefined && p !== "" && p !== "/").join("/") || build.uuid;
      const stored = await stores.objects.putObject({
        bucket,
        key,
        body: createReadStream(produced.zipPath),
        contentType: "application/zip",
        metadata: {
          "codebuild-buildarn": build.id,
          "codebuild-content-md5": produced.md5,
          "codebuild-content-sha256": produced.sha256,
        },
        now: o.clock.now(),
      });
      if (!stored) throw new Error(`the bucket ${bucket} could not be written`);
      return `arn:aws:s3:::${bucket}/${key}`;
    },
  };

  const clone = async (scope: Scope, reference: CloneReference, dir: string) => {
    // A repository this server hosts is cloned from its directory: no credentials, no HTTP.
    const source = (await hostedGitDir(scope, reference.cloneUrl)) ?? reference.cloneUrl;
    await cloneAt(source, dir, {
      commit: reference.commitId,
      ...(reference.branch === undefined ? {} : { branch: reference.branch }),
      originUrl: reference.cloneUrl,
    });
  };

  const workDir = join(o.buildsDir, "work");
  const builds = new BuildService({
    store: stores.builds,
    queue: stores.queue,
    pipelineIo: createPipelineArtifactIo({ objects: stores.objects, clock: o.clock, clone }),
    agent: lazyAgent,
    // Sandboxed builds see neither the data directory (database, secrets.key) nor other builds.
    executors: o.executors ?? createSelector({ hide: [...(o.hideFromBuilds ?? []), o.buildsDir] }),
    sources,
    artifacts,
    secrets: o.secrets,
    clock: o.clock,
    newId: o.newId,
    logger: o.logger,
    workDir,
    cacheDir: (scope, project) => join(o.buildsDir, "cache", scope.accountId, scope.region, project),
    publicEndpoint: o.publicEndpoint,
    baseEnv: hostEnvironment(),
    options: o.options,
    ...(o.inside === undefined ? {} : { inside: o.inside }),
  });
  const projects = new ProjectService(stores.builds);

  const pipelineBuilds: PipelineBuilds = {
    async start(scope, request) {
      const result = await builds.start(scope, {
        projectName: request.projectName,
        initiator: request.initiator,
        overrides: {
          environmentVariablesOverride: request.environmentVariablesOverride,
          ...(request.buildspecOverride === undefined
            ? {}
            : { buildspecOverride: request.buildspecOverride }),
        },
        pipeline: request.link,
      });
      return result.ok ? { ok: true, build: result.value } : { ok: false, message: result.error.message };
    },
    async get(scope, id) {
      return (await builds.get(scope, id))?.document;
    },
    stopForActions: (ids) => builds.stopForActions(ids),
  };
  const provider = createCodeBuildProvider({ builds: pipelineBuilds });
  const worker = createBuildWorker(builds, o.pollIntervalMs);
  const components = [worker, createBuildRescuer(builds, Math.max(1_000, o.pollIntervalMs))];
  return {
    projects,
    builds,
    provider,
    components,
    worker,
    recover: () => recoverBuilds(builds),
    onPipelineBuildEnded(hook) {
      builds.onPipelineBuildEnded = hook;
    },
  };
}

/** A branch, tag or commit of a hosted repository; the default branch when absent. */
async function resolveRevision(
  gitDir: string,
  version: string | undefined,
): Promise<{ commit: string; branch?: string } | undefined> {
  const refs = await listRefs(gitDir);
  const wanted = version?.replace(/^refs\/heads\//, "") ?? undefined;
  if (wanted === undefined) {
    const head =
      [...refs].find(([name]) => name === "refs/heads/main") ??
      [...refs].find(([n]) => n.startsWith("refs/heads/"));
    return head ? { commit: head[1], branch: head[0].slice("refs/heads/".length) } : undefined;
  }
  const branch = refs.get(`refs/heads/${wanted}`);
  if (branch) return { commit: branch, branch: wanted };
  const tag = refs.get(`refs/tags/${wanted.replace(/^refs\/tags\//, "")}`);
  if (tag) return { commit: tag };
  if (/^[0-9a-f]{7,40}$/.test(wanted)) return { commit: wanted };
  return undefined;
}

async function readAll(body: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** The host variables builds on the host start from: enough to find tools and speak UTF-8. */
export function hostEnvironment(): Record<string, string> {
  const keep = ["PATH", "HOME", "LANG", "LC_ALL", "TERM", "TZ", "USER"];
  return Object.fromEntries(
    keep.flatMap((k) => (process.env[k] === undefined ? [] : [[k, process.env[k] as string]])),
  );
}

export type { ExecutorPreference };

/**
 * The build agent, loaded on the first build: it brings the buildspec parser, YAML, zip and the
 * report parsers (about 60 ms of a server's start-up that most servers never need at once).
 */
const lazyAgent: BuildAgent = {
  run: async (request) => (await import("../build-agent/run-build.js")).createBuildAgent().run(request),
};
