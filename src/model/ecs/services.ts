import { rolloutReasons } from "./service-events.js";
import type {
  Deployment,
  DeploymentConfiguration,
  LoadBalancer,
  Service,
  ServiceEvent,
  Tag,
} from "./types.js";

/**
 * Pure changes to a Service record: creation, UpdateService and events. The scheduler
 * (engine/ecs/) changes deployments' counts and states; these are the API's changes.
 */

/** AWS's defaults for a REPLICA service (spec A.5). */
export const DEFAULT_MAXIMUM_PERCENT = 200;
export const DEFAULT_MINIMUM_HEALTHY_PERCENT = 100;
/** The console keeps the 100 most recent events; so does Pipewright. */
export const MAX_SERVICE_EVENTS = 100;

export function newDeployment(options: {
  id: string;
  taskDefinition: string;
  desiredCount: number;
  now: number;
  launchType: string;
  reason?: string;
}): Deployment {
  return {
    id: options.id,
    status: "PRIMARY",
    taskDefinition: options.taskDefinition,
    desiredCount: options.desiredCount,
    pendingCount: 0,
    runningCount: 0,
    failedTasks: 0,
    createdAt: options.now,
    updatedAt: options.now,
    launchType: options.launchType,
    rolloutState: "IN_PROGRESS",
    rolloutStateReason: options.reason ?? rolloutReasons.inProgress(options.id),
  };
}

export interface NewService {
  readonly serviceArn: string;
  readonly serviceName: string;
  readonly clusterArn: string;
  readonly taskDefinition: string;
  readonly desiredCount: number;
  readonly launchType: string;
  readonly deploymentConfiguration?: DeploymentConfiguration;
  readonly loadBalancers?: readonly LoadBalancer[];
  readonly healthCheckGracePeriodSeconds?: number;
  readonly tags?: readonly Tag[];
  readonly enableECSManagedTags?: boolean;
  readonly propagateTags?: string;
  readonly enableExecuteCommand?: boolean;
}

/** The filled-in deployment configuration (AWS answers with the defaults it applied). */
export function withConfigurationDefaults(
  config: DeploymentConfiguration | undefined,
): DeploymentConfiguration {
  return {
    deploymentCircuitBreaker: config?.deploymentCircuitBreaker ?? { enable: false, rollback: false },
    maximumPercent: config?.maximumPercent ?? DEFAULT_MAXIMUM_PERCENT,
    minimumHealthyPercent: config?.minimumHealthyPercent ?? DEFAULT_MINIMUM_HEALTHY_PERCENT,
  };
}

export function createService(
  input: NewService,
  deploymentId: string,
  now: number,
  principal: string,
): Service {
  return {
    serviceArn: input.serviceArn,
    serviceName: input.serviceName,
    clusterArn: input.clusterArn,
    status: "ACTIVE",
    desiredCount: input.desiredCount,
    runningCount: 0,
    pendingCount: 0,
    launchType: input.launchType,
    taskDefinition: input.taskDefinition,
    deploymentConfiguration: withConfigurationDefaults(input.deploymentConfiguration),
    deployments: [
      newDeployment({
        id: deploymentId,
        taskDefinition: input.taskDefinition,
        desiredCount: input.desiredCount,
        now,
        launchType: input.launchType,
      }),
    ],
    events: [],
    loadBalancers: input.loadBalancers ?? [],
    ...(input.healthCheckGracePeriodSeconds === undefined
      ? {}
      : { healthCheckGracePeriodSeconds: input.healthCheckGracePeriodSeconds }),
    createdAt: now,
    createdBy: principal,
    schedulingStrategy: "REPLICA",
    deploymentController: { type: "ECS" },
    enableECSManagedTags: input.enableECSManagedTags ?? false,
    propagateTags: input.propagateTags ?? "NONE",
    enableExecuteCommand: input.enableExecuteCommand ?? false,
    tags: input.tags ?? [],
  };
}

export interface ServiceUpdate {
  readonly taskDefinition?: string;
  readonly desiredCount?: number;
  readonly forceNewDeployment?: boolean;
  readonly deploymentConfiguration?: DeploymentConfiguration;
  readonly healthCheckGracePeriodSeconds?: number;
  readonly loadBalancers?: readonly LoadBalancer[];
  readonly enableExecuteCommand?: boolean;
}

/** Whether UpdateService starts a new deployment (spec A.5): a new task definition, load balancers or force. */
export function startsDeployment(service: Service, update: ServiceUpdate): boolean {
  return (
    update.forceNewDeployment === true ||
    (update.taskDefinition !== undefined && update.taskDefinition !== service.taskDefinition) ||
    (update.loadBalancers !== undefined &&
      JSON.stringify(update.loadBalancers) !== JSON.stringify(service.loadBalancers))
  );
}

/**
 * UpdateService: a new PRIMARY deployment when `startsDeployment` (the old PRIMARY becomes
 * ACTIVE; its tasks are replaced by the scheduler); a desiredCount change scales the PRIMARY
 * deployment in place (it is not a new deployment).
 */
export function updateService(
  service: Service,
  update: ServiceUpdate,
  deploymentId: string,
  now: number,
): Service {
  const desiredCount = update.desiredCount ?? service.desiredCount;
  const taskDefinition = update.taskDefinition ?? service.taskDefinition;
  const merged = withConfigurationDefaults({
    ...service.deploymentConfiguration,
    ...update.deploymentConfiguration,
  });
  let deployments: Deployment[];
  if (startsDeployment(service, update)) {
    deployments = [
      newDeployment({ id: deploymentId, taskDefinition, desiredCount, now, launchType: service.launchType }),
      ...service.deployments.map((d) =>
        d.status === "PRIMARY" ? { ...d, status: "ACTIVE" as const, updatedAt: now } : d,
      ),
    ];
  } else {
    deployments = service.deployments.map((d) =>
      d.status === "PRIMARY" && d.desiredCount !== desiredCount ? { ...d, desiredCount, updatedAt: now } : d,
    );
  }
  return {
    ...service,
    desiredCount,
    taskDefinition,
    deploymentConfiguration: merged,
    deployments,
    ...(update.healthCheckGracePeriodSeconds === undefined
      ? {}
      : { healthCheckGracePeriodSeconds: update.healthCheckGracePeriodSeconds }),
    ...(update.loadBalancers === undefined ? {} : { loadBalancers: update.loadBalancers }),
    ...(update.enableExecuteCommand === undefined
      ? {}
      : { enableExecuteCommand: update.enableExecuteCommand }),
  };
}

/** Adds events newest first, keeping at most MAX_SERVICE_EVENTS. */
export function withEvents(service: Service, events: readonly ServiceEvent[]): Service {
  if (events.length === 0) return service;
  return { ...service, events: [...[...events].reverse(), ...service.events].slice(0, MAX_SERVICE_EVENTS) };
}
