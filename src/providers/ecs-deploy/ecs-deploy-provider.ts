import type { ActionOutcome } from "../../engine/outcome.js";
import type { Result } from "../../lib/result.js";
import type { ActionTypeId } from "../../model/declaration.js";
import {
  checkServiceForEcsAction,
  type DeployableServiceRecord,
  decideDeploymentProgress,
  ECS_ACTION_TYPE,
  type EcsDeployError,
  type OwnDeployment,
  parseEcsDeployConfiguration,
  type RegisterTaskDefinitionInput,
  readImageDefinitions,
  swapImages,
  type TaskDefinitionLike,
} from "../../model/ecs-deploy/index.js";
import type { FailureType } from "../../model/failure.js";
import { readZipFiles } from "../../zip/index.js";
import type { ActionProvider } from "../types.js";

/** The action types this provider runs. */
export const ECS_DEPLOY_ACTION_TYPES: readonly ActionTypeId[] = [ECS_ACTION_TYPE];

/** An account and region, as the ECS service sees them. */
export interface EcsScope {
  readonly accountId: string;
  readonly region: string;
}

/**
 * What the ECS deploy action needs from ECS (main/ wires it to runtime/ecs): the operations the
 * action calls on AWS, with DescribeServices' and DescribeTaskDefinition's shapes.
 */
export interface EcsDeployTarget {
  describeService(
    scope: EcsScope,
    cluster: string,
    service: string,
  ): Promise<DeployableServiceRecord | undefined>;
  describeTaskDefinition(
    scope: EcsScope,
    reference: string,
  ): Promise<
    { taskDefinition: TaskDefinitionLike; tags: readonly { key?: string; value?: string }[] } | undefined
  >;
  /** Answers the new revision's ARN, or ECS's error message. */
  registerTaskDefinition(
    scope: EcsScope,
    input: RegisterTaskDefinitionInput,
  ): Promise<Result<string, string>>;
  /** Answers the id of the PRIMARY deployment UpdateService started, or ECS's error message. */
  updateService(
    scope: EcsScope,
    cluster: string,
    service: string,
    taskDefinitionArn: string,
  ): Promise<Result<{ deploymentId: string }, string>>;
}

export interface EcsDeployProviderOptions {
  /** How often a deployment in progress is looked at (AWS's action: about a minute). */
  readonly pollAfterMs?: number;
  /** CodeDeployToECS: how often a blue/green deployment is looked at (default 500 ms). */
  readonly blueGreenPollAfterMs?: number;
  /** CodeDeployToECS: how long blue stays up without traffic after the switch (default 5 s; AWS: 1 hour). */
  readonly blueGreenBakeMs?: number;
  /** CodeDeployToECS: how long green may take to be healthy before the action rolls back (default 10 min). */
  readonly blueGreenTimeoutMs?: number;
}

const POLL_MS = 1000;

/**
 * The `Deploy/AWS/ECS` action (spec A.1, A.2; model/ecs-deploy holds every decision): copy the
 * service's task definition with the images of imagedefinitions.json, register it, update the
 * service, then follow that deployment until it is COMPLETED with every task running, and fail
 * as soon as it FAILED or was rolled back (the circuit breaker), quoting the service's events.
 * The continuation token is the deployment followed, so a restart loses nothing. A re-offered
 * start after a crash between UpdateService and the job's record registers and updates again;
 * the newer deployment replaces the first, and the action follows it.
 */
export function createEcsDeployProvider(
  target: EcsDeployTarget,
  options: EcsDeployProviderOptions = {},
): ActionProvider {
  const pollAfterMs = options.pollAfterMs ?? POLL_MS;
  return {
    actionTypeIds: ECS_DEPLOY_ACTION_TYPES,
    async start(ctx) {
      const config = parseEcsDeployConfiguration(ctx.configuration);
      if (!config.ok) return failed(config.error);
      const { clusterName, serviceName, fileName } = config.value;
      const input = ctx.inputArtifacts[0];
      if (!input)
        return failedWith(
          "ConfigurationError",
          "The ECS action needs one input artifact holding the image definitions file",
        );
      let files: Map<string, Uint8Array>;
      try {
        files = await readZipFiles(await ctx.artifacts.read(input), { maxBytes: 256 * 1024 * 1024 });
      } catch (error) {
        return failedWith(
          "JobFailed",
          `The input artifact ${input.name} could not be read as a zip archive: ${(error as Error).message}`,
        );
      }
      const images = readImageDefinitions(files, input.name, fileName);
      if (!images.ok) return failed(images.error);
      const scope = { accountId: ctx.accountId, region: ctx.region };
      const service = await target.describeService(scope, clusterName, serviceName);
      const current = checkServiceForEcsAction(service, clusterName, serviceName);
      if (!current.ok) return failed(current.error);
      const described = await target.describeTaskDefinition(scope, current.value);
      if (!described)
        return failedWith(
          "JobFailed",
          `The task definition ${current.value} of service ${serviceName} cannot be described; register one and update the service first.`,
        );
      const next = swapImages(described.taskDefinition, images.value, fileName, described.tags);
      if (!next.ok) return failed(next.error);
      const registered = await target.registerTaskDefinition(scope, next.value);
      if (!registered.ok)
        return failedWith("JobFailed", `RegisterTaskDefinition failed: ${registered.error}`);
      const startedAt = ctx.clock.now();
      const updated = await target.updateService(scope, clusterName, serviceName, registered.value);
      if (!updated.ok) return failedWith("JobFailed", `UpdateService failed: ${updated.error}`);
      const own: OwnDeployment = {
        deploymentId: updated.value.deploymentId,
        taskDefinitionArn: registered.value,
        startedAt,
        timeoutMinutes: config.value.deploymentTimeoutMinutes,
      };
      ctx.log.write(
        `Registered ${registered.value} with ${images.value.map((i) => `${i.name}=${i.imageUri}`).join(", ")}; deployment ${own.deploymentId} of service ${serviceName} in cluster ${clusterName} started`,
      );
      return inProgress(own, clusterName, serviceName, pollAfterMs, `Deploying ${registered.value}`);
    },
    async poll(ctx) {
      const token = parseToken(ctx.continuationToken);
      if (!token) return failedWith("JobFailed", "The ECS action's continuation token is not one it wrote");
      const scope = { accountId: ctx.accountId, region: ctx.region };
      const service = await target.describeService(scope, token.cluster, token.service);
      const progress = decideDeploymentProgress(service, token.own, ctx.clock.now());
      if (progress.kind === "succeeded") {
        ctx.log.write(progress.summary);
        return { kind: "succeeded", summary: progress.summary, externalExecutionId: token.own.deploymentId };
      }
      if (progress.kind === "failed") {
        ctx.log.write(progress.message);
        return {
          kind: "failed",
          failure: {
            type: "JobFailed",
            message: progress.message,
            externalExecutionId: token.own.deploymentId,
          },
        };
      }
      return inProgress(token.own, token.cluster, token.service, pollAfterMs, progress.message);
    },
  };
}

interface Token {
  readonly own: OwnDeployment;
  readonly cluster: string;
  readonly service: string;
}

function inProgress(
  own: OwnDeployment,
  cluster: string,
  service: string,
  pollAfterMs: number,
  summary: string,
): ActionOutcome {
  const token: Token = { own, cluster, service };
  return {
    kind: "inProgress",
    continuationToken: JSON.stringify(token),
    pollAfterMs,
    summary: summary.slice(0, 2048),
    externalExecutionId: own.deploymentId,
  };
}

function parseToken(text: string | undefined): Token | undefined {
  try {
    const t = JSON.parse(text ?? "") as Token;
    return typeof t?.own?.deploymentId === "string" &&
      typeof t.cluster === "string" &&
      typeof t.service === "string"
      ? t
      : undefined;
  } catch {
    return undefined;
  }
}

function failed(error: EcsDeployError): ActionOutcome {
  return failedWith(error.failureType, error.message);
}

function failedWith(type: FailureType, message: string): ActionOutcome {
  return { kind: "failed", failure: { type, message } };
}
