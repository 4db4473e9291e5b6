import type { ActionTypeId } from "../model/declaration.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * How long an action may stay InProgress before it fails (spec §5.9, AWS's quotas page). A
 * manual approval's `timeoutInMinutes` overrides its default. Tests and local runs can shorten
 * any of them (`TimeoutPolicy`), since waiting days for a timeout helps nobody on a laptop.
 */
export function defaultActionTimeoutMs(id: ActionTypeId): number {
  if (id.owner === "Custom") return DAY;
  switch (`${id.category}/${id.provider}`) {
    case "Approval/Manual":
      return 7 * DAY;
    case "Deploy/CloudFormation":
      return 3 * DAY;
    case "Deploy/CodeDeploy":
    case "Deploy/CodeDeployToECS":
      return 5 * DAY;
    case "Build/CodeBuild":
    case "Test/CodeBuild":
    case "Compute/Commands":
      return 8 * HOUR;
    case "Invoke/Lambda":
      return 20 * MINUTE;
    case "Deploy/S3":
      return 90 * MINUTE;
    case "Invoke/StepFunctions":
      return 7 * DAY;
    default:
      return HOUR;
  }
}

/**
 * Overrides of the defaults, by `Category/Provider` (e.g. `Approval/Manual`), by category, by
 * `Custom` for every custom action, or `*` for everything; the most specific key wins. An
 * approval's own `timeoutInMinutes` still wins over all of them.
 */
export type TimeoutPolicy = Readonly<Record<string, number>>;

export function actionTimeoutMs(
  id: ActionTypeId,
  timeoutInMinutes: number | undefined,
  policy: TimeoutPolicy,
): number {
  if (timeoutInMinutes !== undefined && id.category === "Approval") return timeoutInMinutes * MINUTE;
  return (
    policy[`${id.category}/${id.provider}`] ??
    (id.owner === "Custom" ? policy.Custom : undefined) ??
    policy[id.category] ??
    policy["*"] ??
    defaultActionTimeoutMs(id)
  );
}
