/**
 * Amazon ECS resources as Pipewright stores and answers them: the shapes of botocore's ecs
 * 2014-11-13 model (Cluster, TaskDefinition, Service, Deployment, Task, Container), with the
 * member names verbatim. Times are epoch milliseconds here; the API turns them into epoch
 * seconds. Only the members Pipewright fills are typed; docs/ecs.md lists what is left out.
 */

export interface KeyValuePair {
  readonly name: string;
  readonly value: string;
}

export interface PortMapping {
  readonly containerPort: number;
  /** 0 or absent: an ephemeral host port chosen when the task starts. */
  readonly hostPort?: number;
  readonly protocol?: "tcp" | "udp";
  readonly name?: string;
}

/** `containerDefinitions[].healthCheck`: run by Pipewright (docker exec or a host process). */
export interface HealthCheck {
  /** `["CMD", exe, ...args]` or `["CMD-SHELL", "shell line"]`; anything else counts as CMD. */
  readonly command: readonly string[];
  /** Seconds between checks (5-300, default 30). */
  readonly interval?: number;
  /** Seconds before one check counts as failed (2-60, default 5). */
  readonly timeout?: number;
  /** Consecutive failures before UNHEALTHY (1-10, default 3). */
  readonly retries?: number;
  /** Seconds after start during which failures do not count (0-300). */
  readonly startPeriod?: number;
}

export interface Secret {
  readonly name: string;
  readonly valueFrom: string;
}

/** `containerDefinitions[].logConfiguration`: `awslogs` output is kept for the Logs API (docs/ecs.md). */
export interface LogConfiguration {
  readonly logDriver: string;
  readonly options?: Readonly<Record<string, string>>;
}

export interface ContainerDefinition {
  readonly name: string;
  readonly image: string;
  /** Absent means true (AWS's default). */
  readonly essential?: boolean;
  readonly command?: readonly string[];
  readonly entryPoint?: readonly string[];
  readonly environment?: readonly KeyValuePair[];
  readonly secrets?: readonly Secret[];
  readonly portMappings?: readonly PortMapping[];
  readonly workingDirectory?: string;
  /** CPU units (1024 = one vCPU). */
  readonly cpu?: number;
  /** Hard memory limit in MiB. */
  readonly memory?: number;
  readonly memoryReservation?: number;
  readonly healthCheck?: HealthCheck;
  /** Seconds between SIGTERM and SIGKILL when the container is stopped (AWS agent default 30). */
  readonly stopTimeout?: number;
  readonly startTimeout?: number;
  readonly user?: string;
  readonly dockerLabels?: Readonly<Record<string, string>>;
  readonly logConfiguration?: LogConfiguration;
}

export type TaskDefinitionStatus = "ACTIVE" | "INACTIVE" | "DELETE_IN_PROGRESS";

export interface TaskDefinition {
  readonly taskDefinitionArn: string;
  readonly family: string;
  /** 1, 2, 3, ... per family; a revision number is never reused. */
  readonly revision: number;
  readonly status: TaskDefinitionStatus;
  readonly containerDefinitions: readonly ContainerDefinition[];
  readonly cpu?: string;
  readonly memory?: string;
  readonly networkMode?: string;
  readonly taskRoleArn?: string;
  readonly executionRoleArn?: string;
  readonly requiresCompatibilities?: readonly string[];
  readonly compatibilities: readonly string[];
  readonly registeredAt: number;
  readonly registeredBy?: string;
  readonly deregisteredAt?: number;
}

export interface Tag {
  readonly key: string;
  readonly value: string;
}

export type ClusterStatus = "ACTIVE" | "INACTIVE";

export interface Cluster {
  readonly clusterArn: string;
  readonly clusterName: string;
  readonly status: ClusterStatus;
  readonly tags: readonly Tag[];
  readonly settings: readonly KeyValuePair[];
  readonly createdAt: number;
}

export interface DeploymentCircuitBreaker {
  readonly enable: boolean;
  readonly rollback: boolean;
}

export interface DeploymentConfiguration {
  readonly deploymentCircuitBreaker?: DeploymentCircuitBreaker;
  /** Percent of desiredCount that may run at once during a deployment (rounded down); default 200. */
  readonly maximumPercent?: number;
  /** Percent of desiredCount that must stay healthy (rounded up); default 100. */
  readonly minimumHealthyPercent?: number;
}

export interface LoadBalancer {
  readonly targetGroupArn?: string;
  readonly loadBalancerName?: string;
  readonly containerName?: string;
  readonly containerPort?: number;
}

export type DeploymentStatus = "PRIMARY" | "ACTIVE" | "INACTIVE";
export type RolloutState = "IN_PROGRESS" | "COMPLETED" | "FAILED";

export interface Deployment {
  /** `ecs-svc/<19 digits>`; a service task's `startedBy` names it. */
  readonly id: string;
  readonly status: DeploymentStatus;
  readonly taskDefinition: string;
  readonly desiredCount: number;
  readonly pendingCount: number;
  readonly runningCount: number;
  /** Tasks of this deployment that failed (the circuit breaker counts them). */
  readonly failedTasks: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly launchType: string;
  readonly rolloutState: RolloutState;
  readonly rolloutStateReason: string;
  /**
   * Pipewright's addition (a member AWS does not have; clients ignore it): present while this
   * deployment is a blue/green deployment of the CodeDeployToECS action (model/ecs/blue-green.ts).
   */
  readonly pipewrightBlueGreen?: BlueGreenMarker;
}

/**
 * A blue/green deployment in progress. Until `trafficShiftedAt` its tasks (green) are health
 * checked on standby in the service's target groups and get no traffic; from then on they get
 * all of it and the older deployments' tasks (blue) get none. While the marker is there the
 * scheduler stops no task of an older deployment; the action removes it when the bake is over.
 */
export interface BlueGreenMarker {
  readonly trafficShiftedAt?: number;
}

export interface ServiceEvent {
  readonly id: string;
  readonly createdAt: number;
  readonly message: string;
}

export type ServiceStatus = "ACTIVE" | "DRAINING" | "INACTIVE";

export interface Service {
  readonly serviceArn: string;
  readonly serviceName: string;
  readonly clusterArn: string;
  readonly status: ServiceStatus;
  readonly desiredCount: number;
  readonly runningCount: number;
  readonly pendingCount: number;
  readonly launchType: string;
  readonly taskDefinition: string;
  readonly deploymentConfiguration: DeploymentConfiguration;
  /** Newest first: PRIMARY, then ACTIVE ones; INACTIVE ones are dropped from the list. */
  readonly deployments: readonly Deployment[];
  /** Newest first, at most 100 (as the console keeps them). */
  readonly events: readonly ServiceEvent[];
  readonly loadBalancers: readonly LoadBalancer[];
  readonly healthCheckGracePeriodSeconds?: number;
  readonly createdAt: number;
  readonly createdBy?: string;
  readonly schedulingStrategy: "REPLICA";
  readonly deploymentController: { readonly type: "ECS" };
  readonly enableECSManagedTags: boolean;
  readonly propagateTags: string;
  readonly enableExecuteCommand: boolean;
  readonly tags: readonly Tag[];
}

export type TaskStatus =
  | "PROVISIONING"
  | "PENDING"
  | "ACTIVATING"
  | "RUNNING"
  | "DEACTIVATING"
  | "STOPPING"
  | "DEPROVISIONING"
  | "STOPPED";

export type HealthStatus = "HEALTHY" | "UNHEALTHY" | "UNKNOWN";

export interface NetworkBinding {
  readonly bindIP: string;
  readonly containerPort: number;
  readonly hostPort: number;
  readonly protocol: "tcp" | "udp";
}

export interface Container {
  readonly containerArn: string;
  readonly taskArn: string;
  readonly name: string;
  readonly image: string;
  readonly lastStatus: TaskStatus;
  readonly healthStatus: HealthStatus;
  readonly networkBindings: readonly NetworkBinding[];
  /** The container (Docker id) or process (pid) behind it. */
  readonly runtimeId?: string;
  readonly exitCode?: number;
  readonly reason?: string;
  readonly essential: boolean;
}

export type StopCode =
  | "TaskFailedToStart"
  | "EssentialContainerExited"
  | "UserInitiated"
  | "ServiceSchedulerInitiated";

export interface Task {
  readonly taskArn: string;
  readonly clusterArn: string;
  readonly taskDefinitionArn: string;
  /** `service:<name>` for a service's task, `family:<family>` for RunTask. */
  readonly group: string;
  /** A service task: its deployment's id (`ecs-svc/...`); RunTask: the caller's startedBy. */
  readonly startedBy?: string;
  readonly lastStatus: TaskStatus;
  readonly desiredStatus: "RUNNING" | "STOPPED";
  readonly healthStatus: HealthStatus;
  readonly containers: readonly Container[];
  readonly launchType: string;
  readonly cpu?: string;
  readonly memory?: string;
  readonly createdAt: number;
  readonly startedAt?: number;
  readonly stoppingAt?: number;
  readonly stoppedAt?: number;
  readonly stoppedReason?: string;
  readonly stopCode?: StopCode;
  readonly tags: readonly Tag[];
  /** Increases with every change, as AWS's `version`. */
  readonly version: number;
}
