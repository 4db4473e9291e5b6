import { projectNameFrom } from "../../../codebuild/arns.js";
import type { ProjectInput } from "../../../codebuild/project-input.js";
import { int, list, optional, string, struct } from "../../../lib/shape.js";
import type { ProjectFailure } from "../../../runtime/builds/project-service.js";
import { apiError } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import { decodeNextToken, encodeNextToken } from "../../pagination.js";
import type { CodeBuildDeps } from "../deps.js";
import { renderProject } from "../render.js";
import {
  passThroughProjectFields,
  projectArtifacts,
  projectCache,
  projectEnvironment,
  projectSource,
  secondarySourceVersions,
  tagList,
} from "../shapes.js";

const NAME = { min: 2, max: 150, pattern: "[A-Za-z0-9][A-Za-z0-9\\-_]{1,149}" };

const projectFields = {
  description: optional(string({ max: 255 })),
  secondarySources: optional(list(projectSource, { max: 12 })),
  sourceVersion: optional(string()),
  secondarySourceVersions: optional(secondarySourceVersions),
  secondaryArtifacts: optional(list(projectArtifacts, { max: 12 })),
  cache: optional(projectCache),
  timeoutInMinutes: optional(int({ min: 5, max: 2160 })),
  queuedTimeoutInMinutes: optional(int({ min: 5, max: 480 })),
  encryptionKey: optional(string({ min: 1 })),
  tags: optional(tagList),
  ...passThroughProjectFields,
};

type ProjectFields = { [K in keyof typeof projectFields]?: unknown } & Record<string, unknown>;

/** The request's project fields, known ones typed and pass-through ones kept in `extra`. */
function toProjectInput(name: string, input: ProjectFields): ProjectInput {
  const extra = Object.fromEntries(
    Object.keys(passThroughProjectFields).flatMap((k) => (input[k] === undefined ? [] : [[k, input[k]]])),
  );
  const pick = <T>(k: string) => input[k] as T | undefined;
  const fields: Record<string, unknown> = {
    name,
    description: pick("description"),
    source: pick("source"),
    secondarySources: pick("secondarySources"),
    sourceVersion: pick("sourceVersion"),
    secondarySourceVersions: pick("secondarySourceVersions"),
    artifacts: pick("artifacts"),
    secondaryArtifacts: pick("secondaryArtifacts"),
    cache: pick("cache"),
    environment: pick("environment"),
    serviceRole: pick("serviceRole"),
    timeoutInMinutes: pick("timeoutInMinutes"),
    queuedTimeoutInMinutes: pick("queuedTimeoutInMinutes"),
    encryptionKey: pick("encryptionKey"),
    tags: pick("tags"),
    extra,
  };
  return Object.fromEntries(
    Object.entries(fields).filter(([, v]) => v !== undefined),
  ) as unknown as ProjectInput;
}

export function projectError(failure: ProjectFailure) {
  return apiError(failure.exception, failure.message);
}

export const createProject = (deps: CodeBuildDeps) =>
  defineOperation({
    name: "CreateProject",
    input: struct({
      name: string(NAME),
      source: projectSource,
      artifacts: projectArtifacts,
      environment: projectEnvironment,
      serviceRole: string({ min: 1 }),
      ...projectFields,
    }),
    async handle(input, ctx) {
      const result = await deps.projects.create(ctx.scope, toProjectInput(input.name, input), ctx.now);
      if (!result.ok) throw projectError(result.error);
      return { project: renderProject(result.value) };
    },
  });

export const updateProject = (deps: CodeBuildDeps) =>
  defineOperation({
    name: "UpdateProject",
    input: struct({
      name: string({ min: 1 }),
      source: optional(projectSource),
      artifacts: optional(projectArtifacts),
      environment: optional(projectEnvironment),
      serviceRole: optional(string({ min: 1 })),
      ...projectFields,
    }),
    async handle(input, ctx) {
      const name = projectNameFrom(input.name);
      const result = await deps.projects.update(ctx.scope, toProjectInput(name, input), ctx.now);
      if (!result.ok) throw projectError(result.error);
      return { project: renderProject(result.value) };
    },
  });

export const batchGetProjects = (deps: CodeBuildDeps) =>
  defineOperation({
    name: "BatchGetProjects",
    input: struct({ names: list(string({ min: 1 }), { min: 1, max: 100 }) }),
    async handle(input, ctx) {
      const projects: Record<string, unknown>[] = [];
      const projectsNotFound: string[] = [];
      for (const given of input.names) {
        const record = await deps.projects.get(ctx.scope, projectNameFrom(given));
        if (record) projects.push(renderProject(record));
        else projectsNotFound.push(given);
      }
      return { projects, projectsNotFound };
    },
  });

export const listProjects = (deps: CodeBuildDeps) =>
  defineOperation({
    name: "ListProjects",
    input: struct({
      sortBy: optional(string({ enum: ["NAME", "CREATED_TIME", "LAST_MODIFIED_TIME"] })),
      sortOrder: optional(string({ enum: ["ASCENDING", "DESCENDING"] })),
      nextToken: optional(string({ min: 1 })),
    }),
    async handle(input, ctx) {
      const names = await deps.projects.listNames(
        ctx.scope,
        input.sortBy ?? "NAME",
        input.sortOrder ?? "ASCENDING",
      );
      const offset = Number(decodeNextToken("ListProjects", input.nextToken) ?? "0");
      const size = deps.pageSize ?? 100;
      const page = names.slice(offset, offset + size);
      const more = offset + size < names.length;
      return {
        projects: page,
        ...(more ? { nextToken: encodeNextToken("ListProjects", String(offset + size)) } : {}),
      };
    },
  });

export const deleteProject = (deps: CodeBuildDeps) =>
  defineOperation({
    name: "DeleteProject",
    input: struct({ name: string({ min: 1 }) }),
    async handle(input, ctx) {
      await deps.projects.remove(ctx.scope, projectNameFrom(input.name));
      return {};
    },
  });
