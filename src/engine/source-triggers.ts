import { passesFilter } from "../model/glob.js";
import type { SourceRevisionOverride } from "./execution-state.js";
import type { ActionPlan, ExecutionPlan } from "./plan.js";
import type { TriggerType } from "./statuses.js";

/**
 * Which source changes start a pipeline, and with which revision (spec §3.4, §7.2). Pure: the
 * runtime turns pushes and uploads into SourceEvents, asks `matchSourceEvent` of every pipeline
 * that uses the source, and starts the matches.
 */

/** A git source: a hosted repository, or a repository behind a connection. */
export type GitSource =
  | { readonly provider: "CodeCommit"; readonly repositoryName: string }
  | {
      readonly provider: "CodeStarSourceConnection";
      readonly connectionId: string;
      readonly fullRepositoryId: string;
    };

export interface PushedRef {
  /** `refs/heads/<branch>` or `refs/tags/<tag>`. */
  readonly ref: string;
  /** The commit the ref points at now; absent when the push deleted it. */
  readonly commit?: string;
  /** Paths the push changed on this ref (for filePaths filters). */
  readonly changedFiles: readonly string[];
}

export type SourceEvent =
  | { readonly kind: "gitPush"; readonly source: GitSource; readonly refs: readonly PushedRef[] }
  | {
      readonly kind: "objectCreated";
      readonly bucket: string;
      readonly key: string;
      /** The new version's id ("null" in an unversioned bucket). */
      readonly versionId: string;
    };

export interface SourceStart {
  readonly actionName: string;
  readonly triggerType: TriggerType;
  readonly revision: SourceRevisionOverride;
}

/** The connection id in a `ConnectionArn` (codestar-connections or codeconnections, any region). */
export function connectionIdOf(arn: string): string | undefined {
  return /^arn:aws[\w-]*:(?:codestar-connections|codeconnections):[^:]*:\d{12}:connection\/([0-9a-f-]{36})$/u.exec(
    arn,
  )?.[1];
}

const branchOf = (ref: string) =>
  ref.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : undefined;
const tagOf = (ref: string) => (ref.startsWith("refs/tags/") ? ref.slice("refs/tags/".length) : undefined);

/**
 * The start one source event asks of one pipeline, or undefined. At most one start per event
 * and pipeline, whatever the number of refs or matching actions: one push never starts a
 * pipeline twice. Sources that poll (PollForSourceChanges true, AWS's default for CodeCommit
 * and S3) are left to the poller; connections detect changes unless DetectChanges is false, and
 * V2 triggers replace that default with their filters.
 */
export function matchSourceEvent(plan: ExecutionPlan, event: SourceEvent): SourceStart | undefined {
  for (const action of plan.stages[0]?.actions ?? []) {
    const start = event.kind === "gitPush" ? matchPush(plan, action, event) : matchObject(action, event);
    if (start) return start;
  }
  return undefined;
}

function matchPush(
  plan: ExecutionPlan,
  action: ActionPlan,
  event: Extract<SourceEvent, { kind: "gitPush" }>,
): SourceStart | undefined {
  const c = action.configuration;
  const provider = action.actionTypeId.provider;
  const source = event.source;
  const start = (pushed: PushedRef, triggerType: TriggerType): SourceStart | undefined =>
    pushed.commit
      ? {
          actionName: action.name,
          triggerType,
          revision: { actionName: action.name, revisionType: "COMMIT_ID", revisionValue: pushed.commit },
        }
      : undefined;
  const pushToBranch = (triggerType: TriggerType) => {
    const pushed = event.refs.find((r) => r.commit && branchOf(r.ref) === c.BranchName);
    return pushed ? start(pushed, triggerType) : undefined;
  };
  if (provider === "CodeCommit" && source.provider === "CodeCommit") {
    if (c.RepositoryName !== source.repositoryName || (c.PollForSourceChanges ?? "true") !== "false")
      return undefined;
    return pushToBranch("CloudWatchEvent");
  }
  if (provider === "CodeStarSourceConnection" && source.provider === "CodeStarSourceConnection") {
    if (
      connectionIdOf(c.ConnectionArn ?? "") !== source.connectionId ||
      c.FullRepositoryId !== source.fullRepositoryId
    )
      return undefined;
    const triggers = plan.triggers.filter((t) => t.gitConfiguration.sourceActionName === action.name);
    if (triggers.length === 0)
      return (c.DetectChanges ?? "true") === "false" ? undefined : pushToBranch("WebhookV2");
    for (const trigger of triggers) {
      const filters = trigger.gitConfiguration.push;
      if (!filters?.length) {
        // A trigger without push filters starts on pushes to the action's branch (user guide).
        if (!trigger.gitConfiguration.pullRequest?.length) return pushToBranch("WebhookV2");
        continue;
      }
      for (const pushed of event.refs) {
        if (!pushed.commit) continue;
        const branch = branchOf(pushed.ref);
        const tag = tagOf(pushed.ref);
        const passes = filters.some((f) => {
          if (f.tags) return tag !== undefined && passesFilter(tag, f.tags);
          if (branch === undefined || !f.branches || !passesFilter(branch, f.branches)) return false;
          return !f.filePaths || pushed.changedFiles.some((file) => passesFilter(file, f.filePaths!));
        });
        if (passes) return start(pushed, "WebhookV2");
      }
    }
  }
  return undefined;
}

function matchObject(
  action: ActionPlan,
  event: Extract<SourceEvent, { kind: "objectCreated" }>,
): SourceStart | undefined {
  const c = action.configuration;
  if (action.actionTypeId.provider !== "S3" || action.actionTypeId.category !== "Source") return undefined;
  if (
    c.S3Bucket !== event.bucket ||
    c.S3ObjectKey !== event.key ||
    (c.PollForSourceChanges ?? "true") !== "false"
  )
    return undefined;
  return {
    actionName: action.name,
    triggerType: "CloudWatchEvent",
    revision: {
      actionName: action.name,
      revisionType: "S3_OBJECT_VERSION_ID",
      revisionValue: event.versionId,
    },
  };
}

/** A source the poller watches: the action, and what to look at. */
export type PolledSource =
  | {
      readonly actionName: string;
      readonly kind: "CodeCommit";
      readonly repositoryName: string;
      readonly branch: string;
    }
  | { readonly actionName: string; readonly kind: "S3"; readonly bucket: string; readonly key: string };

/** Source actions that poll for changes (PollForSourceChanges true or absent). */
export function polledSources(plan: ExecutionPlan): PolledSource[] {
  const out: PolledSource[] = [];
  for (const action of plan.stages[0]?.actions ?? []) {
    const c = action.configuration;
    if ((c.PollForSourceChanges ?? "true") === "false") continue;
    if (action.actionTypeId.provider === "CodeCommit" && c.RepositoryName && c.BranchName) {
      out.push({
        actionName: action.name,
        kind: "CodeCommit",
        repositoryName: c.RepositoryName,
        branch: c.BranchName,
      });
    } else if (
      action.actionTypeId.provider === "S3" &&
      action.actionTypeId.category === "Source" &&
      c.S3Bucket &&
      c.S3ObjectKey
    ) {
      out.push({ actionName: action.name, kind: "S3", bucket: c.S3Bucket, key: c.S3ObjectKey });
    }
  }
  return out;
}
