import { bool, int, list, optional, string, struct } from "../../../lib/shape.js";
import { clusterNameOf, serviceArn, serviceNameOf } from "../../../model/ecs/arns.js";
import { fromFailure } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import type { EcsDeps } from "../deps.js";
import { page } from "../paginate.js";
import { renderService } from "../render.js";
import {
  cluster,
  deploymentConfiguration,
  failureOf,
  loadBalancers,
  maxResults,
  nextToken,
  tags,
} from "../shapes.js";
import { checkTags } from "./tags.js";

const launchType = optional(string({ enum: ["EC2", "FARGATE", "EXTERNAL"] as const }));

export const createService = (deps: EcsDeps) =>
  defineOperation({
    name: "CreateService",
    input: struct({
      cluster,
      serviceName: string(),
      taskDefinition: optional(string()),
      desiredCount: optional(int({ min: 0 })),
      launchType,
      deploymentConfiguration,
      loadBalancers,
      healthCheckGracePeriodSeconds: optional(int({ min: 0, max: 2147483647 })),
      schedulingStrategy: optional(string({ enum: ["REPLICA", "DAEMON"] as const })),
      deploymentController: optional(
        struct({ type: string({ enum: ["ECS", "CODE_DEPLOY", "EXTERNAL"] as const }) }),
      ),
      clientToken: optional(string()),
      tags,
      enableECSManagedTags: optional(bool()),
      propagateTags: optional(string({ enum: ["TASK_DEFINITION", "SERVICE", "NONE"] as const })),
      enableExecuteCommand: optional(bool()),
      role: optional(string()),
      platformVersion: optional(string()),
    }),
    async handle(input, { scope, principal }) {
      checkTags(input.tags);
      if (input.taskDefinition === undefined)
        throw fromFailure({
          type: "InvalidParameterException",
          message: "TaskDefinition can not be blank. Give taskDefinition (family, family:revision or ARN).",
        });
      if (input.schedulingStrategy === "DAEMON")
        throw fromFailure({
          type: "InvalidParameterException",
          message: "schedulingStrategy DAEMON is not supported by Pipewright; use REPLICA (docs/ecs.md).",
        });
      if (input.deploymentController !== undefined && input.deploymentController.type !== "ECS")
        throw fromFailure({
          type: "InvalidParameterException",
          message: `deploymentController ${input.deploymentController.type} is not supported by Pipewright; use ECS (rolling updates; docs/ecs.md). The CodeDeployToECS pipeline action deploys an ECS-controller service blue/green (docs/ecs-deploy-action.md).`,
        });
      const { taskDefinition, desiredCount, cluster: clusterRef, ...rest } = input;
      const created = await deps.services.create(
        scope,
        {
          ...rest,
          ...(clusterRef === undefined ? {} : { cluster: clusterRef }),
          taskDefinition,
          desiredCount: desiredCount ?? 0,
        },
        principal,
      );
      if (!created.ok) throw fromFailure(created.error);
      return { service: renderService(created.value, deps.endpointOf) };
    },
  });

export const updateService = (deps: EcsDeps) =>
  defineOperation({
    name: "UpdateService",
    input: struct({
      cluster,
      service: string(),
      desiredCount: optional(int({ min: 0 })),
      taskDefinition: optional(string()),
      deploymentConfiguration,
      forceNewDeployment: optional(bool()),
      healthCheckGracePeriodSeconds: optional(int({ min: 0, max: 2147483647 })),
      loadBalancers,
      enableExecuteCommand: optional(bool()),
      platformVersion: optional(string()),
    }),
    async handle(input, { scope }) {
      const { cluster: clusterRef, service, platformVersion: _p, ...update } = input;
      const updated = await deps.services.update(scope, clusterRef, service, update);
      if (!updated.ok) throw fromFailure(updated.error);
      return { service: renderService(updated.value, deps.endpointOf) };
    },
  });

export const describeServices = (deps: EcsDeps) =>
  defineOperation({
    name: "DescribeServices",
    input: struct({ cluster, services: list(string(), { max: 10 }), include: optional(list(string())) }),
    async handle(input, { scope }) {
      const cluster = await deps.clusters.get(scope, input.cluster);
      if (cluster?.cluster.status !== "ACTIVE")
        throw fromFailure({
          type: "ClusterNotFoundException",
          message: `Cluster not found. No ACTIVE cluster '${clusterNameOf(input.cluster)}' in ${scope.region}.`,
        });
      const services = [];
      const failures = [];
      for (const reference of input.services) {
        const found = await deps.services.get(scope, input.cluster, reference);
        if (found) services.push(renderService(found, deps.endpointOf));
        else {
          const arn = reference.startsWith("arn:")
            ? reference
            : serviceArn(scope, clusterNameOf(input.cluster), serviceNameOf(reference));
          failures.push(failureOf(arn, "MISSING"));
        }
      }
      return { services, failures };
    },
  });

export const listServices = (deps: EcsDeps) =>
  defineOperation({
    name: "ListServices",
    input: struct({ cluster, nextToken, maxResults, launchType, schedulingStrategy: optional(string()) }),
    async handle(input, { scope }) {
      const arns = await deps.services.listArns(scope, input.cluster);
      if (!arns.ok) throw fromFailure(arns.error);
      const { items, nextToken: next } = page(
        `ecs:ListServices:${clusterNameOf(input.cluster)}`,
        arns.value,
        input.nextToken,
        input.maxResults,
      );
      return { serviceArns: items, ...(next === undefined ? {} : { nextToken: next }) };
    },
  });

export const deleteService = (deps: EcsDeps) =>
  defineOperation({
    name: "DeleteService",
    input: struct({ cluster, service: string(), force: optional(bool()) }),
    async handle(input, { scope }) {
      const removed = await deps.services.remove(scope, input.cluster, input.service, input.force ?? false);
      if (!removed.ok) throw fromFailure(removed.error);
      return { service: renderService(removed.value, deps.endpointOf) };
    },
  });
