import type { ExecutionPlan } from "./plan.js";
import type { SourceStart } from "./source-triggers.js";

/** A tag pushed to a repository of the registry (a `docker push`, or ECR's PutImage). */
export interface ImagePush {
  readonly repositoryName: string;
  readonly tag: string;
  /** The manifest the tag now names: the execution's revision, so it deploys exactly that image. */
  readonly digest: string;
}

/**
 * The start an image push asks of one pipeline, or undefined (pure; spec ecs-deploy.md A.3):
 * an ECR source action of the repository whose ImageTag (default `latest`) is the pushed tag.
 * As on AWS, ECR sources do not poll; pushes start them. One push starts a pipeline once.
 */
export function matchImagePush(plan: ExecutionPlan, push: ImagePush): SourceStart | undefined {
  for (const action of plan.stages[0]?.actions ?? []) {
    const id = action.actionTypeId;
    if (id.category !== "Source" || id.owner !== "AWS" || id.provider !== "ECR") continue;
    const c = action.configuration;
    if (c.RepositoryName !== push.repositoryName || (c.ImageTag || "latest") !== push.tag) continue;
    return {
      actionName: action.name,
      triggerType: "CloudWatchEvent",
      revision: { actionName: action.name, revisionType: "IMAGE_DIGEST", revisionValue: push.digest },
    };
  }
  return undefined;
}
