import { createReadStream } from "node:fs";
import type { EnvironmentVariable } from "../../codebuild/documents.js";
import type { PipelineBuilds, PipelineSourceInfo } from "../../codebuild/pipeline-build.js";
import type { ArtifactLocation } from "../../engine/execution-state.js";
import type { ActionOutcome } from "../../engine/outcome.js";
import { extractZip } from "../../zip/index.js";
import type { ActionContext, ActionProvider } from "../types.js";

/** A CODEBUILD_CLONE_REF artifact (docs/sources.md): where to clone and which commit. */
export interface CloneReference {
  readonly cloneUrl: string;
  readonly branch?: string;
  readonly commitId: string;
}

export interface CodeBuildProviderDeps {
  readonly builds: PipelineBuilds;
  /** Clones the repository with its history into `dir` and checks out the commit on the branch. */
  readonly clone: (
    scope: { readonly accountId: string; readonly region: string },
    reference: CloneReference,
    dir: string,
  ) => Promise<void>;
  /** How long to wait between looks at a running build. */
  readonly pollAfterMs?: number;
}

const POLL_MS = 500;

/**
 * The CodeBuild action (Build and Test categories, spec/buildspec.md §6): starts a build of
 * `ProjectName` whose primary source is the PrimarySource input artifact (the only one by
 * default) unzipped into CODEBUILD_SRC_DIR, the others into CODEBUILD_SRC_DIR_<name>; a
 * CODEBUILD_CLONE_REF input is cloned instead, so the build has `.git`. EnvironmentVariables
 * arrive as StartBuild overrides. The action then polls the build: exported variables become
 * its output variables, a failed build fails it with "Build terminated with state: FAILED".
 * An action that is abandoned or times out stops its build (AWS lets it run on; a build nobody
 * waits for only holds a slot).
 */
export function createCodeBuildProvider(deps: CodeBuildProviderDeps): ActionProvider {
  const pollAfterMs = deps.pollAfterMs ?? POLL_MS;
  /** Builds of action runs still polling, by action execution id. */
  const polling = new Map<string, { scope: ReturnType<typeof scopeOf>; buildId: string }>();
  return {
    actionTypeIds: [
      { category: "Build", owner: "AWS", provider: "CodeBuild", version: "1" },
      { category: "Test", owner: "AWS", provider: "CodeBuild", version: "1" },
    ],
    async start(ctx) {
      const c = ctx.configuration;
      const variables = parseVariables(c.EnvironmentVariables);
      if (!variables.ok) return configurationError(`EnvironmentVariables ${variables.message}`);
      const primaryName = c.PrimarySource ?? ctx.inputArtifacts[0]?.name;
      const primary = ctx.inputArtifacts.find((a) => a.name === primaryName);
      if (!primary)
        return configurationError(`PrimarySource ${primaryName ?? "(none)"} is not an input artifact`);
      const secondary = ctx.inputArtifacts.filter((a) => a !== primary);
      const started = await deps.builds.start(scopeOf(ctx), {
        projectName: c.ProjectName ?? "",
        initiator: `codepipeline/${ctx.job.pipelineName}`,
        environmentVariablesOverride: variables.value,
        ...(c.BuildspecOverride === undefined ? {} : { buildspecOverride: c.BuildspecOverride }),
        io: {
          secondaryInputs: secondary.map((a) => a.name),
          outputs: ctx.outputArtifacts.map((a) => ({ name: a.name, identifier: a.name })),
          download: (dirs) => download(ctx, deps, primary, secondary, dirs),
          deliver: async (name, produced) => {
            const location = ctx.outputArtifacts.find((a) => a.name === name);
            if (!location) throw new Error(`no output artifact named ${name}`);
            await ctx.artifacts.write(location, createReadStream(produced.zipPath), "application/zip");
            return `arn:aws:s3:::${location.bucket}/${location.key}`;
          },
        },
      });
      if (!started.ok) return configurationError(`Error calling startBuild: ${started.message}`);
      polling.set(ctx.job.actionExecutionId, { scope: scopeOf(ctx), buildId: started.build.id });
      return {
        kind: "inProgress",
        continuationToken: started.build.id,
        pollAfterMs,
        externalExecutionId: started.build.id,
        externalExecutionUrl: started.build.logs.deepLink,
      };
    },
    async poll(ctx) {
      const id = ctx.continuationToken ?? "";
      const build = await deps.builds.get(scopeOf(ctx), id);
      if (build && !build.buildComplete)
        polling.set(ctx.job.actionExecutionId, { scope: scopeOf(ctx), buildId: id });
      else polling.delete(ctx.job.actionExecutionId);
      if (!build) {
        return { kind: "failed", failure: { type: "JobFailed", message: `Build ${id} no longer exists` } };
      }
      if (!build.buildComplete) {
        return {
          kind: "inProgress",
          continuationToken: id,
          pollAfterMs,
          externalExecutionId: id,
          externalExecutionUrl: build.logs.deepLink,
        };
      }
      if (build.buildStatus === "SUCCEEDED") {
        return {
          kind: "succeeded",
          outputVariables: Object.fromEntries(
            build.exportedEnvironmentVariables.map((v) => [v.name, v.value]),
          ),
          externalExecutionId: id,
          externalExecutionUrl: build.logs.deepLink,
        };
      }
      return {
        kind: "failed",
        failure: {
          type: "JobFailed",
          message: `Build terminated with state: ${build.buildStatus}`,
          externalExecutionId: id,
        },
      };
    },
    cancel(actionExecutionIds) {
      for (const id of actionExecutionIds) {
        const run = polling.get(id);
        if (!run) continue;
        polling.delete(id);
        void deps.builds.stop(run.scope, run.buildId).catch(() => {});
      }
    },
  };
}

function scopeOf(ctx: ActionContext) {
  return { accountId: ctx.accountId, region: ctx.region };
}

function configurationError(message: string): ActionOutcome {
  return { kind: "failed", failure: { type: "ConfigurationError", message } };
}

function parseVariables(
  text: string | undefined,
): { ok: true; value: EnvironmentVariable[] } | { ok: false; message: string } {
  if (text === undefined || text.trim() === "") return { ok: true, value: [] };
  try {
    const raw = JSON.parse(text) as { name: string; value: string; type?: EnvironmentVariable["type"] }[];
    if (!Array.isArray(raw)) return { ok: false, message: "must be a JSON array" };
    return {
      ok: true,
      value: raw.map((v) => ({ name: v.name, value: v.value, type: v.type ?? "PLAINTEXT" })),
    };
  } catch (error) {
    return { ok: false, message: `is not valid JSON: ${(error as Error).message}` };
  }
}

async function download(
  ctx: ActionContext,
  deps: CodeBuildProviderDeps,
  primary: ArtifactLocation,
  secondary: readonly ArtifactLocation[],
  dirs: { primary: string; secondary: ReadonlyMap<string, string> },
): Promise<PipelineSourceInfo> {
  const primaryInfo = await fetchInput(ctx, deps, primary, dirs.primary);
  const more = new Map<string, { sourceVersion?: string }>();
  for (const artifact of secondary) {
    const dir = dirs.secondary.get(artifact.name);
    if (!dir) continue;
    const info = await fetchInput(ctx, deps, artifact, dir);
    more.set(
      artifact.name,
      info.resolvedSourceVersion === undefined ? {} : { sourceVersion: info.resolvedSourceVersion },
    );
  }
  return { ...primaryInfo, secondary: more };
}

/** One input artifact into a directory: a clone for a CODEBUILD_CLONE_REF, else the zip unpacked. */
async function fetchInput(
  ctx: ActionContext,
  deps: CodeBuildProviderDeps,
  artifact: ArtifactLocation,
  dir: string,
): Promise<PipelineSourceInfo> {
  const bytes = await ctx.artifacts.read(artifact);
  const reference = cloneReferenceOf(bytes);
  if (reference) {
    await deps.clone({ accountId: ctx.accountId, region: ctx.region }, reference, dir);
    return {
      resolvedSourceVersion: reference.commitId,
      sourceVersion: reference.commitId,
      sourceRepoUrl: reference.cloneUrl,
    };
  }
  try {
    await extractZip(bytes, dir, { allowSymlinks: true });
  } catch (error) {
    throw new Error(`cannot unzip input artifact ${artifact.name}: ${(error as Error).message}`);
  }
  return {
    sourceVersion: `arn:aws:s3:::${artifact.bucket}/${artifact.key}`,
    ...(artifact.revision === undefined ? {} : { resolvedSourceVersion: artifact.revision }),
  };
}

function cloneReferenceOf(bytes: Uint8Array): CloneReference | undefined {
  if (bytes.length > 64 * 1024 || bytes[0] !== 0x7b /* { */) return undefined;
  try {
    const value = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
    if (
      value.type !== "CODEBUILD_CLONE_REF" ||
      typeof value.cloneUrl !== "string" ||
      typeof value.commitId !== "string"
    ) {
      return undefined;
    }
    return {
      cloneUrl: value.cloneUrl,
      commitId: value.commitId,
      ...(typeof value.branch === "string" ? { branch: value.branch } : {}),
    };
  } catch {
    return undefined;
  }
}
