import { buildIdFrom, projectNameFrom } from "../../../codebuild/arns.js";
import type { BuildOverrides } from "../../../codebuild/build-document.js";
import type { EnvironmentVariable } from "../../../codebuild/documents.js";
import { anyJson, bool, int, list, optional, string, struct } from "../../../lib/shape.js";
import { apiError } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import { decodeNextToken, encodeNextToken } from "../../pagination.js";
import type { CodeBuildDeps } from "../deps.js";
import { renderBuild } from "../render.js";
import {
  environmentVariable,
  projectArtifacts,
  projectCache,
  projectSource,
  secondarySourceVersions,
  sourceTypes,
} from "../shapes.js";
import { projectError } from "./projects.js";

/** StartBuild members Pipewright accepts and has no use for (IAM, KMS, networking, reporting). */
const acceptedOverrides = {
  sourceAuthOverride: optional(anyJson()),
  gitCloneDepthOverride: optional(int({ min: 0 })),
  gitSubmodulesConfigOverride: optional(anyJson()),
  insecureSslOverride: optional(bool()),
  reportBuildStatusOverride: optional(bool()),
  buildStatusConfigOverride: optional(anyJson()),
  environmentTypeOverride: optional(string()),
  certificateOverride: optional(string()),
  serviceRoleOverride: optional(string({ min: 1 })),
  encryptionKeyOverride: optional(string({ min: 1 })),
  logsConfigOverride: optional(anyJson()),
  registryCredentialOverride: optional(anyJson()),
  imagePullCredentialsTypeOverride: optional(string({ enum: ["CODEBUILD", "SERVICE_ROLE"] })),
  fleetOverride: optional(anyJson()),
  autoRetryLimitOverride: optional(int()),
};

export const startBuild = (deps: CodeBuildDeps) =>
  defineOperation({
    name: "StartBuild",
    input: struct({
      projectName: string({ min: 1 }),
      secondarySourcesOverride: optional(list(projectSource, { max: 12 })),
      secondarySourcesVersionOverride: optional(secondarySourceVersions),
      sourceVersion: optional(string()),
      artifactsOverride: optional(projectArtifacts),
      secondaryArtifactsOverride: optional(list(projectArtifacts, { max: 12 })),
      environmentVariablesOverride: optional(list(environmentVariable)),
      sourceTypeOverride: optional(string({ enum: sourceTypes })),
      sourceLocationOverride: optional(string()),
      buildspecOverride: optional(string()),
      imageOverride: optional(string({ min: 1 })),
      computeTypeOverride: optional(string()),
      cacheOverride: optional(projectCache),
      privilegedModeOverride: optional(bool()),
      timeoutInMinutesOverride: optional(int({ min: 5, max: 2160 })),
      queuedTimeoutInMinutesOverride: optional(int({ min: 5, max: 480 })),
      idempotencyToken: optional(string()),
      debugSessionEnabled: optional(bool()),
      ...acceptedOverrides,
    }),
    async handle(input, ctx) {
      if (input.debugSessionEnabled) {
        throw apiError(
          "InvalidInputException",
          "debugSessionEnabled is not supported by Pipewright: builds run on this machine, so debug them here",
        );
      }
      const overrides: BuildOverrides = {
        ...pick(input, [
          "sourceVersion",
          "buildspecOverride",
          "timeoutInMinutesOverride",
          "queuedTimeoutInMinutesOverride",
          "imageOverride",
          "privilegedModeOverride",
          "computeTypeOverride",
          "sourceLocationOverride",
          "secondarySourcesVersionOverride",
        ]),
        ...(input.environmentVariablesOverride === undefined
          ? {}
          : {
              environmentVariablesOverride: input.environmentVariablesOverride.map(
                (v): EnvironmentVariable => ({ name: v.name, value: v.value, type: v.type ?? "PLAINTEXT" }),
              ),
            }),
        ...(input.artifactsOverride === undefined ? {} : { artifactsOverride: input.artifactsOverride }),
        ...(input.secondaryArtifactsOverride === undefined
          ? {}
          : { secondaryArtifactsOverride: input.secondaryArtifactsOverride }),
        ...(input.cacheOverride === undefined ? {} : { cacheOverride: input.cacheOverride }),
        ...(input.sourceTypeOverride === undefined ? {} : { sourceTypeOverride: input.sourceTypeOverride }),
        ...(input.secondarySourcesOverride === undefined
          ? {}
          : { secondarySourcesOverride: input.secondarySourcesOverride }),
      };
      const result = await deps.builds.start(ctx.scope, {
        projectName: projectNameFrom(input.projectName),
        overrides,
        initiator: ctx.principal,
        ...(input.idempotencyToken === undefined ? {} : { idempotencyToken: input.idempotencyToken }),
      });
      if (!result.ok) throw projectError(result.error);
      return { build: renderBuild(result.value) };
    },
  });

function pick<T extends object, K extends keyof T>(input: T, keys: readonly K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(keys.flatMap((k) => (input[k] === undefined ? [] : [[k, input[k]]]))) as Partial<
    Pick<T, K>
  >;
}

export const batchGetBuilds = (deps: CodeBuildDeps) =>
  defineOperation({
    name: "BatchGetBuilds",
    input: struct({ ids: list(string({ min: 1 }), { min: 1, max: 100 }) }),
    async handle(input, ctx) {
      const builds: Record<string, unknown>[] = [];
      const buildsNotFound: string[] = [];
      for (const given of input.ids) {
        const id = buildIdFrom(given);
        const record = id === undefined ? undefined : await deps.builds.get(ctx.scope, id);
        if (record) builds.push(renderBuild(record.document));
        else buildsNotFound.push(given);
      }
      return { builds, buildsNotFound };
    },
  });

export const stopBuild = (deps: CodeBuildDeps) =>
  defineOperation({
    name: "StopBuild",
    input: struct({ id: string({ min: 1 }) }),
    async handle(input, ctx) {
      const id = buildIdFrom(input.id);
      const build = id === undefined ? undefined : await deps.builds.stop(ctx.scope, id);
      if (!build) throw apiError("ResourceNotFoundException", `Build ${input.id} not found`);
      return { build: renderBuild(build) };
    },
  });

const sortOrder = optional(string({ enum: ["ASCENDING", "DESCENDING"] }));

export const listBuilds = (deps: CodeBuildDeps) =>
  defineOperation({
    name: "ListBuilds",
    input: struct({ sortOrder, nextToken: optional(string()) }),
    async handle(input, ctx) {
      return listPage(deps, ctx.scope, "ListBuilds", input.sortOrder, input.nextToken);
    },
  });

export const listBuildsForProject = (deps: CodeBuildDeps) =>
  defineOperation({
    name: "ListBuildsForProject",
    input: struct({ projectName: string({ min: 1 }), sortOrder, nextToken: optional(string()) }),
    async handle(input, ctx) {
      const projectName = projectNameFrom(input.projectName);
      if (!(await deps.projects.get(ctx.scope, projectName))) {
        throw apiError("ResourceNotFoundException", `Project cannot be found: ${input.projectName}`);
      }
      return listPage(
        deps,
        ctx.scope,
        `ListBuildsForProject/${projectName}`,
        input.sortOrder,
        input.nextToken,
        projectName,
      );
    },
  });

async function listPage(
  deps: CodeBuildDeps,
  scope: Parameters<CodeBuildDeps["builds"]["list"]>[0],
  kind: string,
  order: "ASCENDING" | "DESCENDING" | undefined,
  token: string | undefined,
  projectName?: string,
) {
  const after = decodeNextToken(kind, token);
  const page = await deps.builds.list(scope, {
    order: order ?? "DESCENDING",
    limit: deps.pageSize ?? 100,
    ...(after === undefined ? {} : { after }),
    ...(projectName === undefined ? {} : { projectName }),
  });
  return {
    ids: page.items,
    ...(page.nextAfter === undefined ? {} : { nextToken: encodeNextToken(kind, page.nextAfter) }),
  };
}
