import type { BuildDocument, EnvironmentVariable } from "../../codebuild/documents.js";
import type { PipelineArtifact, PipelineBuilds } from "../../codebuild/pipeline-build.js";
import type { ArtifactLocation } from "../../engine/execution-state.js";
import type { ActionOutcome } from "../../engine/outcome.js";
import type { ActionTypeId } from "../../model/declaration.js";
import type { ActionContext, ActionProvider } from "../types.js";

/** The action types this provider runs. */
export const CODEBUILD_ACTION_TYPES: readonly ActionTypeId[] = [
  { category: "Build", owner: "AWS", provider: "CodeBuild", version: "1" },
  { category: "Test", owner: "AWS", provider: "CodeBuild", version: "1" },
];

export interface CodeBuildProviderDeps {
  readonly builds: PipelineBuilds;
  /** How long to wait between looks at a running build (builds started before builds were queue tasks). */
  readonly pollAfterMs?: number;
}

const POLL_MS = 500;

/**
 * The CodeBuild action (Build and Test categories, spec/buildspec.md §6): starts a build of
 * `ProjectName` whose primary source is the PrimarySource input artifact (the only one by
 * default) unzipped into CODEBUILD_SRC_DIR, the others into CODEBUILD_SRC_DIR_<name>; a
 * CODEBUILD_CLONE_REF input is cloned instead, so the build has `.git`. EnvironmentVariables
 * arrive as StartBuild overrides. The action's job is then parked (no lease, no polling): the
 * build runs as a work-queue task, and when it ends the build service completes the action
 * (codebuild/pipeline-build.ts): exported variables become output variables, a failed build
 * fails it with "Build terminated with state: FAILED". Starting is idempotent per job step (a
 * re-offered job finds the same build). An action that is abandoned or times out stops its
 * build (AWS lets it run on; a build nobody waits for only holds a slot).
 */
export function createCodeBuildProvider(deps: CodeBuildProviderDeps): ActionProvider {
  const pollAfterMs = deps.pollAfterMs ?? POLL_MS;
  return {
    actionTypeIds: CODEBUILD_ACTION_TYPES,
    async start(ctx) {
      const c = ctx.configuration;
      const variables = parseVariables(c.EnvironmentVariables);
      if (!variables.ok) return configurationError(`EnvironmentVariables ${variables.message}`);
      const primaryName = c.PrimarySource ?? ctx.inputArtifacts[0]?.name;
      const primary = ctx.inputArtifacts.find((a) => a.name === primaryName);
      if (!primary)
        return configurationError(`PrimarySource ${primaryName ?? "(none)"} is not an input artifact`);
      const started = await deps.builds.start(scopeOf(ctx), {
        projectName: c.ProjectName ?? "",
        initiator: `codepipeline/${ctx.job.pipelineName}`,
        environmentVariablesOverride: variables.value,
        ...(c.BuildspecOverride === undefined ? {} : { buildspecOverride: c.BuildspecOverride }),
        link: {
          jobId: ctx.jobId,
          actionExecutionId: ctx.job.actionExecutionId,
          idempotencyKey: ctx.idempotencyKey,
          pipelineName: ctx.job.pipelineName,
          primary: artifactOf(primary),
          secondary: ctx.inputArtifacts.filter((a) => a !== primary).map(artifactOf),
          outputs: ctx.outputArtifacts.map(artifactOf),
        },
      });
      if (!started.ok) return configurationError(`Error calling startBuild: ${started.message}`);
      // Done already (a re-offered job found its finished build): report it now.
      if (started.build.buildComplete) return buildOutcome(started.build);
      return {
        kind: "awaitingCallback",
        summary: `Build ${started.build.id} is running`,
        externalExecutionId: started.build.id,
        externalExecutionUrl: started.build.logs.deepLink,
      };
    },
    // Continuation jobs exist only for builds started before builds became queue tasks.
    async poll(ctx) {
      const id = ctx.continuationToken ?? "";
      const build = await deps.builds.get(scopeOf(ctx), id);
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
      return buildOutcome(build);
    },
    cancel(actionExecutionIds) {
      void deps.builds.stopForActions(actionExecutionIds).catch(() => {});
    },
  };
}

/** What a finished build means for its action. */
export function buildOutcome(build: BuildDocument): ActionOutcome {
  if (build.buildStatus === "SUCCEEDED") {
    return {
      kind: "succeeded",
      outputVariables: Object.fromEntries(build.exportedEnvironmentVariables.map((v) => [v.name, v.value])),
      externalExecutionId: build.id,
      externalExecutionUrl: build.logs.deepLink,
    };
  }
  return {
    kind: "failed",
    failure: {
      type: "JobFailed",
      message: `Build terminated with state: ${build.buildStatus}`,
      externalExecutionId: build.id,
    },
  };
}

function artifactOf(a: ArtifactLocation): PipelineArtifact {
  return {
    name: a.name,
    bucket: a.bucket,
    key: a.key,
    ...(a.revision === undefined ? {} : { revision: a.revision }),
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
