/**
 * The scheduler's service event messages, verbatim as ECS writes them (spec A.10: AWS docs,
 * field reports such as aws/aws-cdk#30728). Tests and users grep these strings, so keep them exact.
 */

const taskList = (taskIds: readonly string[]) => taskIds.map((id) => `(task ${id})`).join(" ");

export const serviceEvents = {
  steadyState: (service: string) => `service (${service}) has reached a steady state.`,
  startedTasks: (service: string, taskIds: readonly string[]) =>
    `service (${service}) has started ${taskIds.length} tasks: ${taskList(taskIds)}.`,
  stoppedTasks: (service: string, taskIds: readonly string[]) =>
    `service (${service}) has stopped ${taskIds.length} running tasks: ${taskList(taskIds)}.`,
  deploymentCompleted: (service: string, deploymentId: string) =>
    `service (${service}) (deployment ${deploymentId}) deployment completed.`,
  deploymentFailed: (service: string, deploymentId: string) =>
    `service (${service}) (deployment ${deploymentId}) deployment failed: tasks failed to start.`,
  unhealthyTask: (service: string, taskId: string) =>
    `service (${service}) task ${taskId} failed container health checks.`,
  /** Pipewright's: why a task of the service stopped before it ran (AWS shows it on the task only). */
  taskFailedToStart: (service: string, taskId: string, reason: string) =>
    `service (${service}) task ${taskId} failed to start: ${reason}`,
  unableToStartConsistently: (service: string) =>
    `service (${service}) is unable to consistently start tasks successfully.`,
  stalledByConfiguration: (service: string) =>
    `service (${service}) was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.`,
};

/** `rolloutStateReason` texts (spec A.6, A.8). */
export const rolloutReasons = {
  inProgress: (deploymentId: string) => `ECS deployment ${deploymentId} in progress.`,
  completed: (deploymentId: string) => `ECS deployment ${deploymentId} completed.`,
  failed: () => "ECS deployment circuit breaker: tasks failed to start.",
  rollingBack: (deploymentId: string) =>
    `ECS deployment circuit breaker: rolling back to deploymentId ${deploymentId}.`,
};

/** Stopped reasons on tasks the scheduler stops. */
export const stoppedReasons = {
  scaling: (deploymentId: string) => `Scaling activity initiated by (deployment ${deploymentId})`,
  unhealthy: "Task failed container health checks",
  essentialExited: "Essential container in task exited",
  userStopped: "Task stopped by user",
  serviceDeleted: "Service deleted",
};
