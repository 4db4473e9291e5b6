import { type ImagePush, matchImagePush } from "../../engine/image-triggers.js";
import type { ExecutionPlan } from "../../engine/plan.js";
import {
  connectionIdOf,
  matchSourceEvent,
  type PushedRef,
  type SourceEvent,
} from "../../engine/source-triggers.js";
import type { Logger } from "../../lib/logger.js";
import type { PipelineStore, Scope } from "../../store/types.js";
import type { WatchedConnections } from "../components/source-poller.js";
import type { Orchestrator } from "../executions/orchestrator.js";
import type { PlanSource } from "../executions/plan-source.js";
import { currentPlans } from "./pipelines-in-scope.js";

export interface SourceEventsDeps {
  readonly pipelines: PipelineStore;
  readonly plans: PlanSource;
  readonly orchestrator: Orchestrator;
  readonly logger: Logger;
  /** Whether a connection's repositories are this server's hosted ones (so hosted pushes reach it). */
  readonly isHostedConnection: (scope: Scope, connectionId: string) => Promise<boolean>;
  /** Fetches connection repositories and says what moved (the notify call uses it). */
  readonly watched: WatchedConnections;
}

export interface StartedBySource {
  readonly pipelineName: string;
  readonly executionId: string;
}

/**
 * Turns source changes into executions (spec §3.4, §7.2): every pipeline of the scope is asked,
 * through the pure `matchSourceEvent`, whether the change starts it and with which revision; each
 * match starts one execution with that revision as its source revision, so the execution builds
 * exactly what was pushed or uploaded. One event starts a pipeline at most once.
 */
export function createSourceEvents(deps: SourceEventsDeps) {
  async function start(
    scope: Scope,
    pipelineName: string,
    match: NonNullable<ReturnType<typeof matchSourceEvent>>,
    detail: string,
  ) {
    const started = await deps.orchestrator.startExecution(scope, pipelineName, {
      trigger: { triggerType: match.triggerType, triggerDetail: detail },
      sourceRevisions: [match.revision],
    });
    if (!started.ok) {
      deps.logger.warn("source change did not start pipeline", {
        pipeline: pipelineName,
        reason: started.error.message,
      });
      return undefined;
    }
    return { pipelineName, executionId: started.value.executionId };
  }

  async function handle(scope: Scope, event: SourceEvent, detail: string): Promise<StartedBySource[]> {
    const out: StartedBySource[] = [];
    for (const plan of await currentPlans(deps.pipelines, deps.plans, scope)) {
      const match = matchSourceEvent(plan, event);
      if (!match) continue;
      const started = await start(scope, plan.pipelineName, match, detail);
      if (started) out.push(started);
    }
    return out;
  }

  return {
    handle,

    /**
     * A push to a hosted repository: CodeCommit sources of that repository, and connection
     * sources whose connection points at the hosted repositories (`pipewright:`) and whose
     * FullRepositoryId ends with the repository's name.
     */
    async onHostedPush(
      scope: Scope,
      repositoryName: string,
      refs: readonly PushedRef[],
    ): Promise<StartedBySource[]> {
      const out: StartedBySource[] = [];
      const arn = `arn:aws:codecommit:${scope.region}:${scope.accountId}:${repositoryName}`;
      const hosted = new Map<string, boolean>();
      for (const plan of await currentPlans(deps.pipelines, deps.plans, scope)) {
        const events: SourceEvent[] = [
          { kind: "gitPush", source: { provider: "CodeCommit", repositoryName }, refs },
        ];
        for (const action of plan.stages[0]?.actions ?? []) {
          const c = action.configuration;
          const connectionId = connectionIdOf(c.ConnectionArn ?? "");
          if (action.actionTypeId.provider !== "CodeStarSourceConnection" || !connectionId) continue;
          if (c.FullRepositoryId?.split("/").at(-1) !== repositoryName) continue;
          if (!hosted.has(connectionId))
            hosted.set(connectionId, await deps.isHostedConnection(scope, connectionId));
          if (hosted.get(connectionId)) {
            events.push({
              kind: "gitPush",
              source: {
                provider: "CodeStarSourceConnection",
                connectionId,
                fullRepositoryId: c.FullRepositoryId ?? "",
              },
              refs,
            });
          }
        }
        const match = events.map((e) => matchSourceEvent(plan, e)).find((m) => m !== undefined);
        if (!match) continue;
        const started = await start(
          scope,
          plan.pipelineName,
          match,
          match.triggerType === "WebhookV2" ? connectionArnOf(plan, match.actionName) : arn,
        );
        if (started) out.push(started);
      }
      return out;
    },

    /** New commits seen in a connection's repository (by the poller, or a notify call). */
    onConnectionChange(
      scope: Scope,
      connectionArn: string,
      fullRepositoryId: string,
      refs: readonly PushedRef[],
    ) {
      const connectionId = connectionIdOf(connectionArn);
      if (!connectionId) return Promise.resolve([]);
      return handle(
        scope,
        {
          kind: "gitPush",
          source: { provider: "CodeStarSourceConnection", connectionId, fullRepositoryId },
          refs,
        },
        connectionArn,
      );
    },

    /**
     * "Look now": fetches a connection's repository and starts what its new commits trigger,
     * without waiting for the poller (a post-receive hook of the external repository calls it).
     */
    async notify(scope: Scope, connectionArn: string, fullRepositoryId: string): Promise<StartedBySource[]> {
      const refs = await deps.watched.changes(scope, connectionArn, fullRepositoryId);
      return refs?.length ? this.onConnectionChange(scope, connectionArn, fullRepositoryId, refs) : [];
    },

    /** A tag pushed to a registry repository: ECR sources of that repository and tag start. */
    async onImagePushed(scope: Scope, push: ImagePush): Promise<StartedBySource[]> {
      const out: StartedBySource[] = [];
      const arn = `arn:aws:ecr:${scope.region}:${scope.accountId}:repository/${push.repositoryName}`;
      for (const plan of await currentPlans(deps.pipelines, deps.plans, scope)) {
        const match = matchImagePush(plan, push);
        const started = match && (await start(scope, plan.pipelineName, match, arn));
        if (started) out.push(started);
      }
      return out;
    },

    /** An object uploaded to a bucket (PutObject or a completed multipart upload). */
    onObjectCreated(scope: Scope, bucket: string, key: string, versionId: string) {
      return handle(
        scope,
        { kind: "objectCreated", bucket, key, versionId },
        `arn:aws:s3:::${bucket}/${key}`,
      );
    },
  };
}

/** The ConnectionArn of a plan's source action (the trigger detail of WebhookV2 starts). */
function connectionArnOf(plan: ExecutionPlan, actionName: string): string {
  return plan.stages[0]?.actions.find((a) => a.name === actionName)?.configuration.ConnectionArn ?? "";
}

export type SourceEvents = ReturnType<typeof createSourceEvents>;
