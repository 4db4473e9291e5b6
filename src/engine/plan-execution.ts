import type { ActionTypeCatalog } from "../model/action-types/action-type.js";
import { effectivePipelineType } from "../model/apply-defaults.js";
import type {
  ActionDeclaration,
  Condition,
  ConditionResult,
  PipelineDeclaration,
} from "../model/declaration.js";
import type { ActionPlan, ConditionPlan, Dispatch, ExecutionPlan, StagePlan } from "./plan.js";
import { actionTimeoutMs, type TimeoutPolicy } from "./timeouts.js";

export interface PlanOptions {
  /** The region the pipeline lives in: picks the artifact store when there are several. */
  readonly region: string;
  readonly catalog: ActionTypeCatalog;
  /** How each action type is served, decided by the runtime from the providers it has. */
  readonly dispatchFor: (action: ActionDeclaration) => { dispatch: Dispatch; reason?: string };
  readonly timeouts: TimeoutPolicy;
}

/** Compiles a stored (validated, defaulted) declaration into the plan executions run on. */
export function planExecution(decl: PipelineDeclaration, options: PlanOptions): ExecutionPlan {
  const store =
    decl.artifactStore ??
    decl.artifactStores?.[options.region] ??
    Object.values(decl.artifactStores ?? {})[0];
  return {
    pipelineName: decl.name,
    pipelineVersion: decl.version ?? 1,
    pipelineType: effectivePipelineType(decl),
    executionMode: decl.executionMode ?? "SUPERSEDED",
    artifactBucket: store?.location ?? "codepipeline-artifacts",
    ...(store?.encryptionKey ? { encryptionKey: store.encryptionKey } : {}),
    variables: decl.variables ?? [],
    triggers: decl.triggers ?? [],
    stages: decl.stages.map((stage, index): StagePlan => {
      const actions = stage.actions.map((a) => planAction(stage.name, a, options));
      return {
        name: stage.name,
        index,
        actions,
        runOrders: [...new Set(actions.map((a) => a.runOrder))].sort((x, y) => x - y),
        ...condition("beforeEntry", stage.beforeEntry?.conditions?.[0], "FAIL"),
        ...condition("onSuccess", stage.onSuccess?.conditions?.[0], "FAIL"),
        ...(stage.onFailure
          ? {
              onFailure: {
                ...(stage.onFailure.result ? { result: stage.onFailure.result } : {}),
                retryMode: stage.onFailure.retryConfiguration?.retryMode ?? "FAILED_ACTIONS",
                ...condition(
                  "condition",
                  stage.onFailure.conditions?.[0],
                  stage.onFailure.result ?? "ROLLBACK",
                ),
              },
            }
          : {}),
      };
    }),
  };
}

function condition<K extends string>(
  key: K,
  c: Condition | undefined,
  fallback: ConditionResult,
): { [P in K]?: ConditionPlan } {
  if (!c?.rules?.length) return {};
  const plan: ConditionPlan = {
    result: c.result ?? fallback,
    rules: c.rules.map((r) => ({
      name: r.name,
      provider: r.ruleTypeId.provider,
      configuration: r.configuration ?? {},
    })),
  };
  return { [key]: plan } as { [P in K]?: ConditionPlan };
}

function planAction(stageName: string, a: ActionDeclaration, options: PlanOptions): ActionPlan {
  const spec = options.catalog.find(a.actionTypeId);
  const route = options.dispatchFor(a);
  const queryable = spec?.actionConfigurationProperties.find((p) => p.queryable);
  return {
    name: a.name,
    stageName,
    actionTypeId: a.actionTypeId,
    runOrder: a.runOrder ?? 1,
    configuration: a.configuration ?? {},
    inputArtifacts: (a.inputArtifacts ?? []).map((i) => i.name),
    outputArtifacts: (a.outputArtifacts ?? []).map((o) =>
      o.files ? { name: o.name, files: o.files } : { name: o.name },
    ),
    ...(a.namespace ? { namespace: a.namespace } : {}),
    ...(a.region ? { region: a.region } : {}),
    ...(a.roleArn ? { roleArn: a.roleArn } : {}),
    ...(a.commands ? { commands: a.commands } : {}),
    ...(a.outputVariables ? { outputVariables: a.outputVariables } : {}),
    ...(a.environmentVariables ? { environmentVariables: a.environmentVariables } : {}),
    timeoutMs: actionTimeoutMs(a.actionTypeId, a.timeoutInMinutes, options.timeouts),
    dispatch: route.dispatch,
    ...(route.reason ? { unavailableReason: route.reason } : {}),
    secretKeys: (spec?.actionConfigurationProperties ?? []).filter((p) => p.secret).map((p) => p.name),
    ...(queryable ? { queryableKey: queryable.name } : {}),
  };
}
