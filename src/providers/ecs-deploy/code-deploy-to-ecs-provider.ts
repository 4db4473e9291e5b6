import type { ActionOutcome } from "../../engine/outcome.js";
import type { Result } from "../../lib/result.js";
import type { ActionTypeId } from "../../model/declaration.js";
import type { Service } from "../../model/ecs/types.js";
import {
  artifactsRead,
  type BlueGreenDeployment,
  type BlueGreenObservation,
  CODE_DEPLOY_TO_ECS_ACTION_TYPE,
  checkServiceForBlueGreen,
  decideBlueGreen,
  deploymentGroupTarget,
  type EcsDeployError,
  ecsDeployError,
  parseCodeDeployToEcsConfiguration,
  type RegisterTaskDefinitionInput,
  renderAppSpecTemplate,
  renderBlueGreenInputs,
} from "../../model/ecs-deploy/index.js";
import type { FailureType } from "../../model/failure.js";
import { readZipFiles } from "../../zip/index.js";
import type { ActionContext, ActionProvider } from "../types.js";
import type { EcsDeployProviderOptions, EcsScope } from "./ecs-deploy-provider.js";

/** The action types this provider runs. */
export const CODE_DEPLOY_TO_ECS_ACTION_TYPES: readonly ActionTypeId[] = [CODE_DEPLOY_TO_ECS_ACTION_TYPE];

/** Input artifacts of this action may hold at most 3 MB (spec A.4); zips are read up to this. */
const MAX_ARTIFACT_BYTES = 3 * 1024 * 1024;
/** Local defaults (AWS: CodeDeploy waits 1 hour before it terminates blue; docs/ecs-deploy-action.md). */
export const BLUE_GREEN_BAKE_MS = 5_000;
export const BLUE_GREEN_TIMEOUT_MS = 10 * 60_000;
const POLL_MS = 500;

/**
 * What the CodeDeployToECS action needs from ECS (main/ wires it to runtime/ecs/blue-green.ts).
 * Every method answers ECS's error message instead of throwing for a refused request.
 */
export interface CodeDeployToEcsTarget {
  describeService(scope: EcsScope, cluster: string, service: string): Promise<Service | undefined>;
  registerTaskDefinition(
    scope: EcsScope,
    input: RegisterTaskDefinitionInput,
  ): Promise<Result<string, string>>;
  /** Starts green (a PRIMARY deployment of the task definition, tasks on standby); answers its id. */
  startGreen(
    scope: EcsScope,
    cluster: string,
    service: string,
    taskDefinitionArn: string,
  ): Promise<Result<{ deploymentId: string }, string>>;
  view(
    scope: EcsScope,
    cluster: string,
    service: string,
    deploymentId: string,
  ): Promise<BlueGreenObservation>;
  /** Moves every new request to the named green tasks at once; refused (nothing changed) when one is not healthy. */
  switchTraffic(
    scope: EcsScope,
    cluster: string,
    service: string,
    deploymentId: string,
    taskIds: readonly string[],
  ): Promise<Result<void, string>>;
  endBake(
    scope: EcsScope,
    cluster: string,
    service: string,
    deploymentId: string,
  ): Promise<Result<void, string>>;
  rollBack(
    scope: EcsScope,
    cluster: string,
    service: string,
    deploymentId: string,
    reason: string,
  ): Promise<Result<void, string>>;
}

/**
 * The `Deploy/AWS/CodeDeployToECS` blue/green action (spec A.4; decisions in model/ecs-deploy):
 * render taskdef.json with the images of the ImageN artifacts' imageDetail.json, check
 * appspec.yaml, register, start green on standby beside blue, switch the load balancer when every
 * green task is healthy, bake, then let the scheduler stop blue. Green failing before the
 * switch rolls back (blue keeps serving) and fails the action with the reason. The
 * continuation token is the BlueGreenDeployment, so a restart loses nothing.
 */
export function createCodeDeployToEcsProvider(
  target: CodeDeployToEcsTarget,
  options: EcsDeployProviderOptions = {},
): ActionProvider {
  const pollAfterMs = options.blueGreenPollAfterMs ?? POLL_MS;
  return {
    actionTypeIds: CODE_DEPLOY_TO_ECS_ACTION_TYPES,
    async start(ctx) {
      const names = ctx.inputArtifacts.map((a) => a.name);
      const config = parseCodeDeployToEcsConfiguration(ctx.configuration, names);
      if (!config.ok) return failed(config.error);
      const c = config.value;
      const read = artifactReader(ctx);
      const artifacts = new Map<string, Files>();
      for (const name of artifactsRead(c)) {
        const files = await read(name);
        if (!files.ok) return failed(files.error);
        artifacts.set(name, files.value);
      }
      // Checked before anything is registered, with a stand-in ARN; rendered again below.
      const standIn = `arn:aws:ecs:${ctx.region}:${ctx.accountId}:task-definition/pending:0`;
      const inputs = renderBlueGreenInputs(c, artifacts, standIn);
      if (!inputs.ok) return failed(inputs.error);
      const { taskDefinition, appSpec, images, containerNames, appSpecText } = inputs.value;
      const scope = { accountId: ctx.accountId, region: ctx.region };
      const where = deploymentGroupTarget(c);
      let service = await target.describeService(scope, where.cluster, where.service);
      // A re-offered start (a crash after green started) replaces the green it left behind.
      const left = service?.deployments[0]?.pipewrightBlueGreen;
      if (service && left && left.trafficShiftedAt === undefined) {
        await target.rollBack(
          scope,
          where.cluster,
          where.service,
          service.deployments[0]!.id,
          "replaced by a new CodeDeployToECS deployment",
        );
        service = await target.describeService(scope, where.cluster, where.service);
      }
      const ready = checkServiceForBlueGreen(
        service,
        where,
        { ...appSpec, path: c.appSpecTemplatePath },
        taskDefinition,
        c.taskDefinitionTemplatePath,
      );
      if (!ready.ok) return failed(ready.error);
      const registered = await target.registerTaskDefinition(scope, taskDefinition);
      if (!registered.ok)
        return failedWith(
          "JobFailed",
          `RegisterTaskDefinition failed for ${c.taskDefinitionTemplatePath}: ${registered.error}`,
        );
      const startedAt = ctx.clock.now();
      const green = await target.startGreen(scope, where.cluster, where.service, registered.value);
      if (!green.ok)
        return failedWith("JobFailed", `The blue/green deployment could not start: ${green.error}`);
      const deployment: BlueGreenDeployment = {
        cluster: where.cluster,
        service: where.service,
        deploymentId: green.value.deploymentId,
        taskDefinitionArn: registered.value,
        blueTaskDefinition: ready.value.blueTaskDefinition,
        startedAt,
        greenTimeoutMs: options.blueGreenTimeoutMs ?? BLUE_GREEN_TIMEOUT_MS,
        bakeMs: options.blueGreenBakeMs ?? BLUE_GREEN_BAKE_MS,
        graceMs: ready.value.graceMs,
        greenHasHealthCheck: taskDefinition.containerDefinitions.some(
          (x) => x.essential !== false && typeof x.healthCheck === "object" && x.healthCheck !== null,
        ),
      };
      const final = renderAppSpecTemplate(
        appSpecText,
        c.appSpecTemplatePath,
        registered.value,
        containerNames,
      );
      ctx.log.write(
        `Registered ${registered.value} (${images.map((i) => `<${i.placeholder}>=${i.imageUri}`).join(", ") || "no image placeholders"}); green deployment ${deployment.deploymentId} of service ${where.service} in cluster ${where.cluster} started beside blue (${deployment.blueTaskDefinition}), traffic to ${appSpec.containerName}:${appSpec.containerPort}`,
      );
      if (final.ok) ctx.log.write(`AppSpec:\n${final.value.text}`);
      return inProgress(deployment, pollAfterMs, `Starting green ${registered.value}`);
    },
    async poll(ctx) {
      const d = parseToken(ctx.continuationToken);
      if (!d)
        return failedWith("JobFailed", "The CodeDeployToECS action's continuation token is not one it wrote");
      const scope = { accountId: ctx.accountId, region: ctx.region };
      const seen = await target.view(scope, d.cluster, d.service, d.deploymentId);
      const now = ctx.clock.now();
      const step = decideBlueGreen(d, seen, now);
      switch (step.kind) {
        case "wait":
          return inProgress(d, pollAfterMs, step.message);
        case "switch": {
          const switched = await target.switchTraffic(
            scope,
            d.cluster,
            d.service,
            d.deploymentId,
            step.taskIds,
          );
          if (!switched.ok) {
            ctx.log.write(`Switch postponed: ${switched.error}`);
            return inProgress(d, pollAfterMs, `Switch postponed: ${switched.error}`);
          }
          ctx.log.write(
            `Traffic switched to green (${step.taskIds.length} tasks) ${now - d.startedAt} ms after green started; baking for ${d.bakeMs} ms before blue stops`,
          );
          return inProgress({ ...d, shiftedAt: ctx.clock.now() }, pollAfterMs, "Traffic on green; baking");
        }
        case "endBake": {
          const ended = await target.endBake(scope, d.cluster, d.service, d.deploymentId);
          if (!ended.ok) return failedWith("JobFailed", `The bake could not end: ${ended.error}`, d);
          ctx.log.write("Bake over: stopping blue");
          return inProgress({ ...d, bakeEndedAt: ctx.clock.now() }, pollAfterMs, "Stopping blue");
        }
        case "rollBack": {
          const message = `Green (${d.taskDefinitionArn}) failed before the traffic switch: ${step.reason}. Rolled back: blue (${d.blueTaskDefinition}) kept every request and keeps serving; green's tasks are stopped.`;
          const rolled = await target.rollBack(scope, d.cluster, d.service, d.deploymentId, step.reason);
          ctx.log.write(rolled.ok ? message : `${message} (The rollback failed: ${rolled.error})`);
          return failedWith(
            "JobFailed",
            rolled.ok ? message : `${message} The rollback failed: ${rolled.error}`,
            d,
          );
        }
        case "succeeded":
          ctx.log.write(step.summary);
          return {
            kind: "succeeded",
            summary: step.summary.slice(0, 2048),
            externalExecutionId: d.deploymentId,
          };
        case "failed":
          ctx.log.write(step.message);
          return failedWith("JobFailed", step.message, d);
      }
    },
  };
}

type Files = Map<string, Uint8Array>;

/** Reads each input artifact's zip once. */
function artifactReader(ctx: ActionContext) {
  const cache = new Map<string, Promise<Result<Files, EcsDeployError>>>();
  return (name: string) => {
    let pending = cache.get(name);
    if (!pending) {
      const location = ctx.inputArtifacts.find((a) => a.name === name)!;
      pending = ctx.artifacts.read(location).then(async (bytes): Promise<Result<Files, EcsDeployError>> => {
        if (bytes.length > MAX_ARTIFACT_BYTES)
          return {
            ok: false,
            error: ecsDeployError(
              "FileTooLarge",
              `The input artifact ${name} is ${bytes.length} bytes; CodeDeployToECS reads input artifacts of at most 3 MB.`,
            ),
          };
        try {
          return { ok: true, value: await readZipFiles(bytes, { maxBytes: 64 * 1024 * 1024 }) };
        } catch (error) {
          return {
            ok: false,
            error: ecsDeployError(
              "InvalidEncoding",
              `The input artifact ${name} could not be read as a zip archive: ${(error as Error).message}`,
            ),
          };
        }
      });
      cache.set(name, pending);
    }
    return pending;
  };
}

function inProgress(d: BlueGreenDeployment, pollAfterMs: number, summary: string): ActionOutcome {
  return {
    kind: "inProgress",
    continuationToken: JSON.stringify(d),
    pollAfterMs,
    summary: summary.slice(0, 2048),
    externalExecutionId: d.deploymentId,
  };
}

function parseToken(text: string | undefined): BlueGreenDeployment | undefined {
  try {
    const t = JSON.parse(text ?? "") as BlueGreenDeployment;
    return typeof t?.deploymentId === "string" &&
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

function failedWith(type: FailureType, message: string, d?: BlueGreenDeployment): ActionOutcome {
  return {
    kind: "failed",
    failure: { type, message: message.slice(0, 5000), ...(d ? { externalExecutionId: d.deploymentId } : {}) },
  };
}
