import type { ClusterCounts } from "../../runtime/ecs/clusters.js";
import type {
  EcsClusterRecord,
  EcsServiceRecord,
  EcsTaskDefinitionRecord,
  EcsTaskRecord,
} from "../../store/types.js";
import { epochSeconds } from "../pagination.js";

/** Stored ECS records in botocore's output shapes: times as epoch seconds, internal members left out. */

export function renderCluster(record: EcsClusterRecord, counts: ClusterCounts) {
  const { createdAt: _created, ...cluster } = record.cluster;
  return {
    ...cluster,
    registeredContainerInstancesCount: 0,
    ...counts,
    statistics: [],
    capacityProviders: [],
    defaultCapacityProviderStrategy: [],
  };
}

export function renderTaskDefinition(record: EcsTaskDefinitionRecord) {
  const td = record.taskDefinition;
  return {
    ...td,
    registeredAt: epochSeconds(td.registeredAt),
    ...(td.deregisteredAt === undefined ? {} : { deregisteredAt: epochSeconds(td.deregisteredAt) }),
    volumes: [],
    placementConstraints: [],
    requiresAttributes: [],
    containerDefinitions: td.containerDefinitions.map((c) => ({
      portMappings: [],
      environment: [],
      mountPoints: [],
      volumesFrom: [],
      ...c,
      cpu: c.cpu ?? 0,
    })),
  };
}

/**
 * DescribeServices' service. With `endpointOf`, each `loadBalancers` entry also carries
 * `pipewrightEndpoint`: the URL of the built-in load balancer of its target group (a member AWS
 * does not have; clients ignore it).
 */
export function renderService(
  record: EcsServiceRecord,
  endpointOf?: (targetGroupArn: string) => string | undefined,
) {
  const s = record.service;
  return {
    ...s,
    loadBalancers: s.loadBalancers.map((lb) => {
      const endpoint = lb.targetGroupArn ? endpointOf?.(lb.targetGroupArn) : undefined;
      return endpoint ? { ...lb, pipewrightEndpoint: endpoint } : lb;
    }),
    createdAt: epochSeconds(s.createdAt),
    deployments: s.deployments.map((d) => ({
      ...d,
      createdAt: epochSeconds(d.createdAt),
      updatedAt: epochSeconds(d.updatedAt),
    })),
    events: s.events.map((e) => ({ ...e, createdAt: epochSeconds(e.createdAt) })),
    placementConstraints: [],
    placementStrategy: [],
  };
}

export function renderTask(record: EcsTaskRecord) {
  const t = record.task;
  const times = (["createdAt", "startedAt", "stoppingAt", "stoppedAt"] as const).flatMap((k) =>
    t[k] === undefined ? [] : [[k, epochSeconds(t[k])] as const],
  );
  return {
    ...t,
    ...Object.fromEntries(times),
    containers: t.containers.map(({ essential: _essential, ...c }) => c),
    attachments: [],
    attributes: [],
    overrides: {
      containerOverrides: t.containers.map((c) => ({ name: c.name })),
      inferenceAcceleratorOverrides: [],
    },
  };
}
