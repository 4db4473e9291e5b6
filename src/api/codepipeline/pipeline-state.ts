import type { ExecutionState } from "../../engine/execution-state.js";
import { laneOf } from "../../engine/lanes.js";
import type { ActionTypeCatalog } from "../../model/action-types/action-type.js";
import type { PipelineView } from "../../runtime/definitions/pipeline-definitions.js";
import type { LanesRecord } from "../../store/types.js";
import { epochSeconds } from "../pagination.js";
import { latestRun, renderActionExecution } from "./render-execution.js";

/**
 * GetPipelineState (spec §5.14): the current version's stages and actions in declaration order;
 * each stage's latest execution and the executions waiting at its inbound transition; each
 * action's latest run in any execution.
 */
export function renderPipelineState(
  view: PipelineView,
  lanes: LanesRecord,
  executions: ReadonlyMap<string, ExecutionState>,
  catalog: ActionTypeCatalog,
) {
  const decl = view.declaration;
  const parallel = decl.executionMode === "PARALLEL";
  return {
    pipelineName: decl.name,
    pipelineVersion: view.record.version,
    stageStates: decl.stages.map((stage, index) => {
      const lane = laneOf(lanes.lanes, stage.name);
      const latest = lane.latestExecutionId ? executions.get(lane.latestExecutionId) : undefined;
      const run = latest?.stages[stage.name];
      const waiting = lane.waiting.flatMap((id) => {
        const s = executions.get(id);
        return s ? [{ pipelineExecutionId: id, status: s.status, type: s.executionType }] : [];
      });
      const transition = lane.transition;
      return {
        stageName: stage.name,
        ...(index === 0
          ? {}
          : {
              inboundTransitionState: {
                enabled: transition?.enabled ?? true,
                ...(transition
                  ? {
                      lastChangedBy: transition.lastChangedBy,
                      lastChangedAt: epochSeconds(transition.lastChangedAt),
                    }
                  : {}),
                ...(transition?.disabledReason ? { disabledReason: transition.disabledReason } : {}),
              },
            }),
        ...(waiting[0] ? { inboundExecution: waiting[0] } : {}),
        ...(waiting.length > 0 && decl.executionMode === "QUEUED" ? { inboundExecutions: waiting } : {}),
        actionStates: stage.actions.map((action) => {
          const owner = lane.latestActions[action.name];
          const state = owner ? executions.get(owner) : undefined;
          const last = state ? latestRun(state, stage.name, action.name) : undefined;
          const revision = last?.currentRevision;
          const settings = catalog.find(action.actionTypeId)?.settings;
          const config = action.configuration ?? {};
          const entityUrl = settings?.entityUrlTemplate && fillTemplate(settings.entityUrlTemplate, config);
          const executionUrl =
            last && !last.externalExecutionUrl && settings?.executionUrlTemplate
              ? fillTemplate(settings.executionUrlTemplate, config, last.externalExecutionId)
              : undefined;
          return {
            actionName: action.name,
            ...(revision
              ? {
                  currentRevision: {
                    revisionId: revision.revision,
                    revisionChangeId: revision.changeIdentifier ?? revision.revision,
                    created: epochSeconds(revision.created ?? last.lastUpdateTime),
                  },
                }
              : {}),
            ...(last
              ? {
                  latestExecution: {
                    ...renderActionExecution(last, { showToken: !parallel }),
                    ...(executionUrl ? { externalExecutionUrl: executionUrl } : {}),
                  },
                }
              : {}),
            ...(entityUrl ? { entityUrl } : {}),
          };
        }),
        ...(latest && run
          ? {
              latestExecution: {
                pipelineExecutionId: latest.executionId,
                status: run.status,
                type: latest.executionType,
              },
              ...(run.autoStageRetryAttempt + run.manualStageRetryAttempt > 0
                ? {
                    retryStageMetadata: {
                      autoStageRetryAttempt: run.autoStageRetryAttempt,
                      manualStageRetryAttempt: run.manualStageRetryAttempt,
                      ...(run.latestRetryTrigger ? { latestRetryTrigger: run.latestRetryTrigger } : {}),
                    },
                  }
                : {}),
              ...conditionStates(run.conditions),
            }
          : {}),
      };
    }),
    created: epochSeconds(view.record.created),
    updated: epochSeconds(view.record.updated),
  };
}

type Conditions = NonNullable<ExecutionState["stages"][string]>["conditions"];

function conditionStates(conditions: Conditions) {
  const out: Record<string, unknown> = {};
  for (const [kind, c] of Object.entries(conditions)) {
    if (!c) continue;
    out[`${kind}ConditionState`] = {
      latestExecution: { status: c.status, summary: c.summary },
      conditionStates: [
        {
          latestExecution: { status: c.status, summary: c.summary, lastStatusChange: epochSeconds(c.at) },
          ruleStates: c.rules.map((r) => ({
            ruleName: r.ruleName,
            latestExecution: {
              ruleExecutionId: r.ruleExecutionId,
              status: r.status,
              summary: r.summary,
              lastStatusChange: epochSeconds(c.at),
            },
          })),
        },
      ],
    };
  }
  return out;
}

/**
 * A custom action type's URL template (CreateCustomActionType settings): `{Config:Name}` takes
 * the action's configuration value, `{ExternalExecutionId}` the id its worker reported. A
 * template that names something missing gives no URL rather than a broken one.
 */
export function fillTemplate(
  template: string,
  config: Readonly<Record<string, string>>,
  externalExecutionId?: string,
): string | undefined {
  let missing = false;
  const url = template.replace(
    /\{(Config:([^}]+)|ExternalExecutionId)\}/gu,
    (_, whole: string, key?: string) => {
      const value = whole === "ExternalExecutionId" ? externalExecutionId : config[key ?? ""];
      if (value === undefined) missing = true;
      return encodeURIComponent(value ?? "");
    },
  );
  return missing ? undefined : url;
}

/** Executions GetPipelineState needs: each stage's latest, each action's latest, and the waiting ones. */
export function executionsNamedBy(lanes: LanesRecord): string[] {
  const ids = new Set<string>();
  for (const lane of Object.values(lanes.lanes.stages)) {
    if (lane.latestExecutionId) ids.add(lane.latestExecutionId);
    for (const id of Object.values(lane.latestActions)) ids.add(id);
    for (const id of lane.waiting) ids.add(id);
  }
  return [...ids];
}
