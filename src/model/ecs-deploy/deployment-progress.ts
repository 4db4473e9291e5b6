/**
 * "Is this ECS action's deployment done?", decided from one DescribeServices record (pure).
 * Unlike AWS's action, which waits out its timeout after a circuit breaker trips
 * (aws/containers-roadmap#1399), this fails as soon as the deployment FAILED or was rolled
 * back (spec A.12 item 6).
 */

/** The members of DescribeServices' `deployments[]` read here. Times: Date or epoch ms. */
export interface EcsDeploymentRecord {
  readonly id?: string;
  readonly status?: string;
  readonly taskDefinition?: string;
  readonly desiredCount?: number;
  readonly runningCount?: number;
  readonly pendingCount?: number;
  readonly failedTasks?: number;
  readonly rolloutState?: string;
  readonly rolloutStateReason?: string;
}

export interface EcsServiceEventRecord {
  readonly id?: string;
  readonly createdAt?: Date | number;
  readonly message?: string;
}

/** The members of DescribeServices' `services[]` read here. */
export interface EcsServiceRecord {
  readonly serviceName?: string;
  readonly status?: string;
  readonly desiredCount?: number;
  readonly runningCount?: number;
  readonly deployments?: readonly EcsDeploymentRecord[];
  /** Newest first, as DescribeServices returns them. */
  readonly events?: readonly EcsServiceEventRecord[];
}

/** What the action started: the deployment UpdateService answered with. */
export interface OwnDeployment {
  /** The PRIMARY deployment's id in UpdateService's answer (`ecs-svc/...`). */
  readonly deploymentId: string;
  /** The task definition ARN the action registered. */
  readonly taskDefinitionArn: string;
  /** When the action called UpdateService (ms); events before it are not this deployment's. */
  readonly startedAt: number;
  readonly timeoutMinutes: number;
}

export type DeploymentProgress =
  | { readonly kind: "succeeded"; readonly summary: string }
  | { readonly kind: "failed"; readonly message: string }
  | { readonly kind: "inProgress"; readonly message: string };

/** How many of the latest service events a failure message quotes. */
export const QUOTED_EVENTS = 5;

function ms(t: Date | number | undefined): number | undefined {
  if (t === undefined) return undefined;
  return typeof t === "number" ? t : t.getTime();
}

/** The latest events since the deployment started, newest first, one per line. */
export function latestEvents(service: EcsServiceRecord, since: number, count = QUOTED_EVENTS): string {
  const events = (service.events ?? [])
    .filter((e) => (ms(e.createdAt) ?? since) >= since && e.message)
    .slice()
    .sort((a, b) => (ms(b.createdAt) ?? 0) - (ms(a.createdAt) ?? 0))
    .slice(0, count);
  if (events.length === 0) return "";
  const lines = events.map((e) => {
    const at = ms(e.createdAt);
    return `  ${at === undefined ? "" : `${new Date(at).toISOString()} `}${e.message}`;
  });
  return `\nLatest service events:\n${lines.join("\n")}`;
}

function counts(d: EcsDeploymentRecord): string {
  return `${d.runningCount ?? 0} running, ${d.pendingCount ?? 0} pending of ${d.desiredCount ?? 0} desired`;
}

/**
 * Succeeds only when this action's deployment is PRIMARY with rolloutState COMPLETED and
 * runningCount == desiredCount. Fails when the service is gone or inactive, when the deployment
 * FAILED, when it was rolled back or replaced by another deployment, and when
 * DeploymentTimeout passed; otherwise it is still going.
 */
export function decideDeploymentProgress(
  service: EcsServiceRecord | undefined,
  own: OwnDeployment,
  now: number,
): DeploymentProgress {
  const name = service?.serviceName ?? "the service";
  const ref = `deployment ${own.deploymentId} (${own.taskDefinitionArn})`;
  if (!service)
    return {
      kind: "failed",
      message: `The service no longer exists (DescribeServices reports it MISSING); ${ref} cannot finish.`,
    };
  const events = () => latestEvents(service, own.startedAt);
  if (service.status && service.status !== "ACTIVE")
    return {
      kind: "failed",
      message: `Service ${name} is ${service.status}; ${ref} cannot finish.${events()}`,
    };
  const deployments = service.deployments ?? [];
  const mine = deployments.find((d) => d.id === own.deploymentId);
  const primary = deployments.find((d) => d.status === "PRIMARY");
  if (mine?.rolloutState === "FAILED") {
    const reason = mine.rolloutStateReason ? `: ${mine.rolloutStateReason.replace(/\.$/u, "")}` : "";
    const rolledBack =
      primary && primary.id !== mine.id ? ` The service is rolling back to ${primary.taskDefinition}.` : "";
    return {
      kind: "failed",
      message: `ECS ${ref} of service ${name} failed${reason}.${rolledBack}${events()}`,
    };
  }
  if (mine?.status !== "PRIMARY") {
    // Once a rollback has completed, the failed deployment is gone from the list and the
    // rollback's reason says "completed": the breaker's event naming this deployment remains.
    const tripped = (service.events ?? []).some((e) =>
      (e.message ?? "").includes(`(deployment ${own.deploymentId}) deployment failed`),
    );
    const now_ = primary ? ` The PRIMARY deployment is now ${primary.id} (${primary.taskDefinition}).` : "";
    if (tripped)
      return {
        kind: "failed",
        message: `ECS ${ref} of service ${name} failed: ECS deployment circuit breaker: tasks failed to start; the service rolled back.${now_}${events()}`,
      };
    const rollback =
      /circuit breaker: rolling back/iu.test(primary?.rolloutStateReason ?? "") ||
      (service.events ?? []).some(
        (e) => (ms(e.createdAt) ?? own.startedAt) >= own.startedAt && /rolling back/iu.test(e.message ?? ""),
      );
    return {
      kind: "failed",
      message: rollback
        ? `ECS ${ref} of service ${name} was rolled back.${now_}${events()}`
        : `ECS ${ref} of service ${name} was replaced by another deployment before it finished.${now_}${events()}`,
    };
  }
  if (mine.rolloutState === "COMPLETED" && (mine.runningCount ?? 0) === (mine.desiredCount ?? 0))
    return {
      kind: "succeeded",
      summary: `Deployed ${own.taskDefinitionArn} to service ${name}: ${counts(mine)}`,
    };
  const deadline = own.startedAt + own.timeoutMinutes * 60_000;
  if (now >= deadline)
    return {
      kind: "failed",
      message: `ECS ${ref} of service ${name} did not finish within DeploymentTimeout (${own.timeoutMinutes} minutes): ${counts(mine)}, rolloutState ${mine.rolloutState ?? "unknown"}.${events()}`,
    };
  const reason = mine.rolloutStateReason ? ` (${mine.rolloutStateReason})` : "";
  return {
    kind: "inProgress",
    message: `Deploying ${own.taskDefinitionArn} to service ${name}: ${counts(mine)}${reason}`,
  };
}
