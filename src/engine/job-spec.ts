import type { ActionRun, ExecutionState } from "./execution-state.js";
import type { ActionPlan, ExecutionPlan } from "./plan.js";
import { resolveText } from "./variables.js";
import type { JobSpec } from "./world.js";

type Extras = Pick<JobSpec, "commands" | "outputVariables" | "environmentVariables">;

/** The job for step `step` of an action run (0 = the first job, then one per continuation). */
export function jobSpecFor(
  state: ExecutionState,
  plan: ExecutionPlan,
  action: ActionPlan,
  run: ActionRun,
  step: number,
  extras: Extras,
  options: { availableAt: number; continuationToken?: string },
): JobSpec {
  if (action.dispatch === "unavailable")
    throw new Error(`action ${action.name} has no worker; it cannot get a job`);
  const sourceRevision = state.sourceRevisions.find((r) => r.actionName === action.name);
  const config = run.resolvedConfiguration;
  return {
    executionId: state.executionId,
    pipelineName: plan.pipelineName,
    pipelineVersion: plan.pipelineVersion,
    stageName: action.stageName,
    actionName: action.name,
    actionExecutionId: run.actionExecutionId,
    actionTypeId: action.actionTypeId,
    dispatch: action.dispatch,
    step,
    idempotencyKey: `${run.actionExecutionId}/${step}`,
    configuration: config,
    inputArtifacts: run.inputArtifacts,
    outputArtifacts: run.outputArtifacts,
    availableAt: options.availableAt,
    timeoutAt: run.timeoutAt,
    ...(options.continuationToken === undefined ? {} : { continuationToken: options.continuationToken }),
    ...(action.queryableKey && config[action.queryableKey] !== undefined
      ? { queryValue: config[action.queryableKey] }
      : {}),
    ...(run.token ? { callbackToken: run.token } : {}),
    ...(plan.encryptionKey ? { encryptionKey: plan.encryptionKey } : {}),
    ...(action.namespace ? { namespace: action.namespace } : {}),
    ...(sourceRevision ? { sourceRevision } : {}),
    ...extras,
  };
}

/** Commands, output variable names and environment variables (the Commands action), resolved. */
export function resolveExtras(
  state: ExecutionState,
  action: ActionPlan,
): { ok: true; value: Extras } | { ok: false; message: string } {
  const value: {
    commands?: string[];
    outputVariables?: readonly string[];
    environmentVariables?: JobSpec["environmentVariables"];
  } = {};
  if (action.commands) {
    const commands: string[] = [];
    for (const [i, c] of action.commands.entries()) {
      const r = resolveText(state, c);
      if (!r.ok)
        return {
          ok: false,
          message: `Command ${i + 1} of action '${action.name}' refers to ${r.reference}, which cannot be resolved: ${r.reason}`,
        };
      commands.push(r.value);
    }
    value.commands = commands;
  }
  if (action.outputVariables) value.outputVariables = action.outputVariables;
  if (action.environmentVariables) {
    const env = [];
    for (const e of action.environmentVariables) {
      const r = resolveText(state, e.value);
      if (!r.ok)
        return {
          ok: false,
          message: `Environment variable '${e.name}' of action '${action.name}' refers to ${r.reference}, which cannot be resolved: ${r.reason}`,
        };
      env.push({ ...e, value: r.value });
    }
    value.environmentVariables = env;
  }
  return { ok: true, value };
}
