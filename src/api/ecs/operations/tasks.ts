import { bool, int, list, optional, string, struct } from "../../../lib/shape.js";
import { clusterNameOf, taskArn, taskIdOf } from "../../../model/ecs/arns.js";
import { fromFailure } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import type { EcsDeps } from "../deps.js";
import { page } from "../paginate.js";
import { renderTask } from "../render.js";
import { cluster, failureOf, maxResults, nextToken, tags } from "../shapes.js";
import { checkTags } from "./tags.js";

export const runTask = (deps: EcsDeps) =>
  defineOperation({
    name: "RunTask",
    input: struct({
      cluster,
      taskDefinition: string(),
      count: optional(int({ min: 1, max: 10 })),
      startedBy: optional(string({ max: 128 })),
      group: optional(string()),
      launchType: optional(string({ enum: ["EC2", "FARGATE", "EXTERNAL"] as const })),
      tags,
      propagateTags: optional(string({ enum: ["TASK_DEFINITION", "SERVICE", "NONE"] as const })),
      enableECSManagedTags: optional(bool()),
      overrides: optional(struct({})),
      networkConfiguration: optional(struct({})),
      platformVersion: optional(string()),
    }),
    async handle(input, { scope }) {
      const {
        overrides: _o,
        networkConfiguration: _n,
        platformVersion: _p,
        enableECSManagedTags: _m,
        ...rest
      } = input;
      checkTags(input.tags);
      const started = await deps.tasks.run(scope, rest);
      if (!started.ok) throw fromFailure(started.error);
      return { tasks: started.value.map(renderTask), failures: [] };
    },
  });

export const stopTask = (deps: EcsDeps) =>
  defineOperation({
    name: "StopTask",
    input: struct({ cluster, task: string(), reason: optional(string()) }),
    async handle(input, { scope }) {
      const stopped = await deps.tasks.stop(scope, input.cluster, input.task, input.reason);
      if (!stopped.ok) throw fromFailure(stopped.error);
      return { task: renderTask(stopped.value) };
    },
  });

export const describeTasks = (deps: EcsDeps) =>
  defineOperation({
    name: "DescribeTasks",
    input: struct({ cluster, tasks: list(string(), { max: 100 }), include: optional(list(string())) }),
    async handle(input, { scope }) {
      const tasks = [];
      const failures = [];
      for (const reference of input.tasks) {
        const found = await deps.tasks.get(scope, input.cluster, reference);
        if (found) tasks.push(renderTask(found));
        else {
          const arn = reference.startsWith("arn:")
            ? reference
            : taskArn(scope, clusterNameOf(input.cluster), taskIdOf(reference));
          failures.push(failureOf(arn, "MISSING"));
        }
      }
      return { tasks, failures };
    },
  });

export const listTasks = (deps: EcsDeps) =>
  defineOperation({
    name: "ListTasks",
    input: struct({
      cluster,
      containerInstance: optional(string()),
      family: optional(string()),
      nextToken,
      maxResults,
      startedBy: optional(string()),
      serviceName: optional(string()),
      desiredStatus: optional(string({ enum: ["RUNNING", "PENDING", "STOPPED"] as const })),
      launchType: optional(string()),
    }),
    async handle(input, { scope }) {
      const {
        cluster: clusterRef,
        nextToken: token,
        maxResults: max,
        containerInstance: _c,
        launchType: _l,
        ...query
      } = input;
      const arns = await deps.tasks.listArns(scope, clusterRef, query);
      if (!arns.ok) throw fromFailure(arns.error);
      const { items, nextToken: next } = page(
        `ecs:ListTasks:${clusterNameOf(clusterRef)}`,
        arns.value,
        token,
        max,
      );
      return { taskArns: items, ...(next === undefined ? {} : { nextToken: next }) };
    },
  });
