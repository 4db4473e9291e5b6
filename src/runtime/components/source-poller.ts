import type { PushedRef } from "../../engine/source-triggers.js";
import { connectionIdOf, polledSources } from "../../engine/source-triggers.js";
import type { Logger } from "../../lib/logger.js";
import type { PipelineStore, RunStore, Scope } from "../../store/types.js";
import type { Orchestrator } from "../executions/orchestrator.js";
import type { PlanSource } from "../executions/plan-source.js";
import { currentPlans } from "../sources/pipelines-in-scope.js";
import type { SourceEvents } from "../sources/source-events.js";
import type { Component } from "./component.js";

/** Where the poller reads the current revision of a polled source. */
export interface SourceHeads {
  hostedBranch(scope: Scope, repositoryName: string, branch: string): Promise<string | undefined>;
  objectVersion(bucket: string, key: string): Promise<string | undefined>;
}

/** Repositories behind connections: fetched, and the refs that moved since the last look. */
export interface WatchedConnections {
  /** Undefined when the connection's pushes arrive as events anyway (hosted) or it cannot be reached now. */
  changes(scope: Scope, connectionArn: string, fullRepositoryId: string): Promise<PushedRef[] | undefined>;
}

/**
 * PollForSourceChanges (spec §7.2): every interval, looks at each polled source (CodeCommit and
 * S3 sources with PollForSourceChanges true, AWS's default) and starts its pipeline when the
 * revision moved since the last look (trigger PollForSourceChanges, with that revision); and
 * fetches every connection repository a pipeline watches, passing new commits to the trigger
 * filters. The first look at a source compares with the revision the pipeline's newest execution
 * ran (or was started with): a change made while Pipewright was down starts the pipeline after
 * a restart. Without such an execution the first look only notes the revision (a new pipeline
 * already ran once).
 */
export function createSourcePoller(deps: {
  pipelines: PipelineStore;
  runs: RunStore;
  plans: PlanSource;
  heads: SourceHeads;
  connections: WatchedConnections;
  sourceEvents: SourceEvents;
  orchestrator: Orchestrator;
  logger: Logger;
  intervalMs: number;
}): Component {
  const seen = new Map<string, string>();
  return {
    name: "source-poller",
    intervalMs: deps.intervalMs,
    async runOnce(signal) {
      let started = 0;
      for (const scope of await deps.pipelines.scopes()) {
        const plans = await currentPlans(deps.pipelines, deps.plans, scope);
        const repositories = new Map<string, { arn: string; fullRepositoryId: string }>();
        for (const plan of plans) {
          if (signal.aborted) return started;
          for (const source of polledSources(plan)) {
            const value =
              source.kind === "CodeCommit"
                ? await deps.heads.hostedBranch(scope, source.repositoryName, source.branch)
                : await deps.heads.objectVersion(source.bucket, source.key);
            const key = `${scope.accountId}/${scope.region}/${plan.pipelineName}/${source.actionName}`;
            const previous =
              seen.get(key) ??
              (await lastRunRevision(deps.runs, scope, plan.pipelineName, source.actionName));
            if (value === undefined) continue;
            seen.set(key, value);
            if (previous === undefined || previous === value) continue;
            const result = await deps.orchestrator.startExecution(scope, plan.pipelineName, {
              trigger: {
                triggerType: "PollForSourceChanges",
                triggerDetail:
                  source.kind === "S3" ? `s3://${source.bucket}/${source.key}` : source.repositoryName,
              },
              sourceRevisions: [
                {
                  actionName: source.actionName,
                  revisionType: source.kind === "S3" ? "S3_OBJECT_VERSION_ID" : "COMMIT_ID",
                  revisionValue: value,
                },
              ],
            });
            if (result.ok) started++;
            else
              deps.logger.warn("polled change did not start pipeline", {
                pipeline: plan.pipelineName,
                reason: result.error.message,
              });
          }
          for (const action of plan.stages[0]?.actions ?? []) {
            const c = action.configuration;
            if (
              action.actionTypeId.provider !== "CodeStarSourceConnection" ||
              !connectionIdOf(c.ConnectionArn ?? "")
            )
              continue;
            const watched =
              (c.DetectChanges ?? "true") !== "false" ||
              plan.triggers.some((t) => t.gitConfiguration.sourceActionName === action.name);
            if (watched)
              repositories.set(`${c.ConnectionArn}|${c.FullRepositoryId}`, {
                arn: c.ConnectionArn ?? "",
                fullRepositoryId: c.FullRepositoryId ?? "",
              });
          }
        }
        for (const repo of repositories.values()) {
          if (signal.aborted) return started;
          const refs = await deps.connections.changes(scope, repo.arn, repo.fullRepositoryId);
          if (refs?.length)
            started += (
              await deps.sourceEvents.onConnectionChange(scope, repo.arn, repo.fullRepositoryId, refs)
            ).length;
        }
      }
      return started;
    },
  };
}

/** The revision of `actionName` in the pipeline's newest execution: what it ran, or was told to. */
async function lastRunRevision(
  runs: RunStore,
  scope: Scope,
  pipelineName: string,
  actionName: string,
): Promise<string | undefined> {
  const newest = (await runs.listExecutions(scope, pipelineName, { limit: 1 })).items[0]?.state;
  if (!newest) return undefined;
  return (
    newest.artifactRevisions.find((r) => r.actionName === actionName)?.revisionId ??
    newest.sourceRevisions.find((r) => r.actionName === actionName)?.revisionValue
  );
}
