import { list, optional, string, struct } from "../../../lib/shape.js";
import { fromFailure } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import type { EcsDeps } from "../deps.js";
import { page } from "../paginate.js";
import { renderTaskDefinition } from "../render.js";
import { containerDefinition, maxResults, nextToken, tags } from "../shapes.js";
import { checkTags } from "./tags.js";

const status = optional(string({ enum: ["ACTIVE", "INACTIVE", "DELETE_IN_PROGRESS"] as const }));

export const registerTaskDefinition = (deps: EcsDeps) =>
  defineOperation({
    name: "RegisterTaskDefinition",
    input: struct({
      family: string(),
      containerDefinitions: list(containerDefinition),
      taskRoleArn: optional(string()),
      executionRoleArn: optional(string()),
      networkMode: optional(string({ enum: ["bridge", "host", "awsvpc", "none"] as const })),
      requiresCompatibilities: optional(list(string())),
      cpu: optional(string()),
      memory: optional(string()),
      tags,
    }),
    async handle(input, { scope, principal }) {
      checkTags(input.tags);
      const registered = await deps.taskDefinitions.register(scope, input, principal, input.tags);
      if (!registered.ok) throw fromFailure(registered.error);
      return { taskDefinition: renderTaskDefinition(registered.value), tags: registered.value.tags ?? [] };
    },
  });

export const describeTaskDefinition = (deps: EcsDeps) =>
  defineOperation({
    name: "DescribeTaskDefinition",
    input: struct({ taskDefinition: string(), include: optional(list(string())) }),
    async handle(input, { scope }) {
      const found = await deps.taskDefinitions.resolve(scope, input.taskDefinition);
      if (!found.ok) throw fromFailure(found.error);
      // AWS returns the tags only when asked (include: ["TAGS"]).
      const tags = input.include?.includes("TAGS") ? (found.value.tags ?? []) : [];
      return { taskDefinition: renderTaskDefinition(found.value), tags };
    },
  });

export const deregisterTaskDefinition = (deps: EcsDeps) =>
  defineOperation({
    name: "DeregisterTaskDefinition",
    input: struct({ taskDefinition: string() }),
    async handle(input, { scope }) {
      const done = await deps.taskDefinitions.deregister(scope, input.taskDefinition);
      if (!done.ok) throw fromFailure(done.error);
      return { taskDefinition: renderTaskDefinition(done.value) };
    },
  });

export const listTaskDefinitions = (deps: EcsDeps) =>
  defineOperation({
    name: "ListTaskDefinitions",
    input: struct({
      familyPrefix: optional(string()),
      status,
      sort: optional(string({ enum: ["ASC", "DESC"] as const })),
      nextToken,
      maxResults,
    }),
    async handle(input, { scope }) {
      const records = await deps.taskDefinitions.list(scope, {
        ...(input.familyPrefix === undefined ? {} : { familyPrefix: input.familyPrefix }),
        status: input.status ?? "ACTIVE",
      });
      const arns = records.map((r) => r.taskDefinition.taskDefinitionArn);
      if (input.sort === "DESC") arns.reverse();
      const { items, nextToken: next } = page(
        "ecs:ListTaskDefinitions",
        arns,
        input.nextToken,
        input.maxResults,
      );
      return { taskDefinitionArns: items, ...(next === undefined ? {} : { nextToken: next }) };
    },
  });

export const listTaskDefinitionFamilies = (deps: EcsDeps) =>
  defineOperation({
    name: "ListTaskDefinitionFamilies",
    input: struct({
      familyPrefix: optional(string()),
      status: optional(string({ enum: ["ACTIVE", "INACTIVE", "ALL"] as const })),
      nextToken,
      maxResults,
    }),
    async handle(input, { scope }) {
      const wanted = input.status ?? "ACTIVE";
      const prefix = input.familyPrefix === undefined ? {} : { familyPrefix: input.familyPrefix };
      const all = await deps.taskDefinitions.families(scope, prefix);
      const active = new Set(await deps.taskDefinitions.families(scope, { ...prefix, status: "ACTIVE" }));
      // INACTIVE lists the families that no longer have any ACTIVE revision (as AWS documents).
      const families = wanted === "ALL" ? all : all.filter((f) => active.has(f) === (wanted === "ACTIVE"));
      const { items, nextToken: next } = page(
        "ecs:ListTaskDefinitionFamilies",
        families,
        input.nextToken,
        input.maxResults,
      );
      return { families: items, ...(next === undefined ? {} : { nextToken: next }) };
    },
  });
