// Fixtures for the ECS store contract (kept out of the published build by the .contract.ts suffix).
import type { Service, Task, TaskDefinition } from "../../model/ecs/types.js";
import type { EcsServiceRecord, EcsTaskDefinitionRecord, EcsTaskRecord, Scope } from "../types.js";
import { scope as defaultScope, T0 } from "./builders.contract.js";

const arn = (scope: Scope, resource: string) => `arn:aws:ecs:${scope.region}:${scope.accountId}:${resource}`;

export function taskDefinitionRecord(
  family: string,
  revision: number,
  extra: Partial<TaskDefinition> = {},
  scope: Scope = defaultScope,
): EcsTaskDefinitionRecord {
  return {
    scope,
    taskDefinition: {
      taskDefinitionArn: arn(scope, `task-definition/${family}:${revision}`),
      family,
      revision,
      status: "ACTIVE",
      containerDefinitions: [{ name: "web", image: `web:${revision}`, essential: true }],
      compatibilities: ["EC2"],
      registeredAt: T0 + revision,
      ...extra,
    },
  };
}

export function serviceRecord(
  cluster: string,
  name: string,
  version: number,
  extra: Partial<Service> = {},
  scope: Scope = defaultScope,
): EcsServiceRecord {
  return {
    scope,
    clusterName: cluster,
    version,
    service: {
      serviceArn: arn(scope, `service/${cluster}/${name}`),
      serviceName: name,
      clusterArn: arn(scope, `cluster/${cluster}`),
      status: "ACTIVE",
      desiredCount: 1,
      runningCount: 0,
      pendingCount: 0,
      launchType: "EC2",
      taskDefinition: arn(scope, "task-definition/web:1"),
      deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 100 },
      deployments: [],
      events: [],
      loadBalancers: [],
      createdAt: T0,
      schedulingStrategy: "REPLICA",
      deploymentController: { type: "ECS" },
      enableECSManagedTags: false,
      propagateTags: "NONE",
      enableExecuteCommand: false,
      tags: [],
      ...extra,
    },
  };
}

export function taskRecord(
  cluster: string,
  taskId: string,
  version: number,
  options: { serviceName?: string; createdAt?: number; task?: Partial<Task>; scope?: Scope } = {},
): EcsTaskRecord {
  const scope = options.scope ?? defaultScope;
  const taskArn = arn(scope, `task/${cluster}/${taskId}`);
  return {
    scope,
    clusterName: cluster,
    taskId,
    ...(options.serviceName === undefined ? {} : { serviceName: options.serviceName }),
    version,
    task: {
      taskArn,
      clusterArn: arn(scope, `cluster/${cluster}`),
      taskDefinitionArn: arn(scope, "task-definition/web:1"),
      group: options.serviceName ? `service:${options.serviceName}` : "family:web",
      lastStatus: "PENDING",
      desiredStatus: "RUNNING",
      healthStatus: "UNKNOWN",
      containers: [],
      launchType: "EC2",
      createdAt: options.createdAt ?? T0,
      tags: [],
      version,
      ...options.task,
    },
  };
}
