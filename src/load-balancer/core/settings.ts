import { err, ok, type Result } from "../../lib/result.js";

/**
 * A target group's health check and draining settings, named as ELBv2's CreateTargetGroup and
 * target group attributes name them. Times are in seconds as on AWS; fractions are accepted so
 * that local services can check every 0.5 s (AWS's minimum interval is 5 s).
 */
export interface TargetGroupSettings {
  /** Path requested by the health check (GET). AWS default `/`. */
  readonly healthCheckPath: string;
  /** Seconds between checks of one target. AWS default 30. */
  readonly healthCheckIntervalSeconds: number;
  /** Seconds without an answer before a check counts as failed (Target.Timeout). AWS default 5. */
  readonly healthCheckTimeoutSeconds: number;
  /** Consecutive successes that make an unhealthy target healthy. AWS default 5. */
  readonly healthyThresholdCount: number;
  /** Consecutive failures that make a target unhealthy. AWS default 2. */
  readonly unhealthyThresholdCount: number;
  /**
   * Newly registered targets need only this many passing checks (ECS developer guide, verified
   * 2026: "newly registered targets need only one passing check"); 1 unless told otherwise.
   */
  readonly initialHealthyThresholdCount: number;
  /** ELBv2's Matcher.HttpCode: `200`, `200,202`, `200-299`. AWS default `200`. */
  readonly matcher: string;
  /** `deregistration_delay.timeout_seconds`: longest a draining target keeps its requests. AWS default 300. */
  readonly deregistrationDelaySeconds: number;
}

/** ELBv2's defaults for an HTTP target group (spec ecs-deploy.md A.7). */
export const awsTargetGroupDefaults: TargetGroupSettings = {
  healthCheckPath: "/",
  healthCheckIntervalSeconds: 30,
  healthCheckTimeoutSeconds: 5,
  healthyThresholdCount: 5,
  unhealthyThresholdCount: 2,
  initialHealthyThresholdCount: 1,
  matcher: "200",
  deregistrationDelaySeconds: 300,
};

/**
 * Pipewright's local defaults: AWS's "speeding up deployments" advice (interval 5 s, threshold 2,
 * deregistration ~5 s) made faster still, since the targets are on this machine.
 */
export const localTargetGroupDefaults: TargetGroupSettings = {
  healthCheckPath: "/",
  healthCheckIntervalSeconds: 1,
  healthCheckTimeoutSeconds: 1,
  healthyThresholdCount: 2,
  unhealthyThresholdCount: 2,
  initialHealthyThresholdCount: 1,
  matcher: "200",
  deregistrationDelaySeconds: 5,
};

/** A parsed Matcher: the status codes that count as healthy. */
export type StatusMatcher = (status: number) => boolean;

/**
 * Parses ELBv2's Matcher.HttpCode (`200`, `200,202`, `200-299`; codes 200 to 499 for HTTP
 * health checks, as ELBv2 allows).
 */
export function parseMatcher(httpCode: string): Result<StatusMatcher, string> {
  const ranges: [number, number][] = [];
  for (const part of httpCode.split(",")) {
    const m = /^\s*(\d{3})(?:\s*-\s*(\d{3}))?\s*$/u.exec(part);
    if (!m) {
      return err(
        `Matcher.HttpCode '${httpCode}' is not valid: use a code (200), a list (200,202) or a range (200-299)`,
      );
    }
    const low = Number(m[1]);
    const high = m[2] === undefined ? low : Number(m[2]);
    if (low < 200 || high > 499 || low > high) {
      return err(
        `Matcher.HttpCode '${httpCode}' is not valid: HTTP health check codes must be from 200 to 499`,
      );
    }
    ranges.push([low, high]);
  }
  return ok((status) => ranges.some(([low, high]) => status >= low && status <= high));
}

/** Checks settings (merged over the local defaults) and names the field that is wrong. */
export function resolveTargetGroupSettings(
  given: Partial<TargetGroupSettings> = {},
  defaults: TargetGroupSettings = localTargetGroupDefaults,
): Result<TargetGroupSettings, string> {
  const s = { ...defaults, ...given };
  if (!s.healthCheckPath.startsWith("/"))
    return err(`healthCheckPath '${s.healthCheckPath}' must start with '/'`);
  const positive: (keyof TargetGroupSettings)[] = ["healthCheckIntervalSeconds", "healthCheckTimeoutSeconds"];
  for (const key of positive) {
    const v = s[key] as number;
    if (!Number.isFinite(v) || v <= 0) return err(`${key} must be a positive number of seconds, got ${v}`);
  }
  // ELBv2 wants timeout < interval; equal is allowed here so that 1 s / 1 s works locally.
  if (s.healthCheckTimeoutSeconds > s.healthCheckIntervalSeconds)
    return err(
      `healthCheckTimeoutSeconds (${s.healthCheckTimeoutSeconds}) must not exceed healthCheckIntervalSeconds (${s.healthCheckIntervalSeconds})`,
    );
  for (const key of [
    "healthyThresholdCount",
    "unhealthyThresholdCount",
    "initialHealthyThresholdCount",
  ] as const) {
    const v = s[key];
    if (!Number.isInteger(v) || v < 1 || v > 10)
      return err(`${key} must be an integer from 1 to 10, got ${v}`);
  }
  if (
    !Number.isFinite(s.deregistrationDelaySeconds) ||
    s.deregistrationDelaySeconds < 0 ||
    s.deregistrationDelaySeconds > 3600
  )
    return err(`deregistrationDelaySeconds must be from 0 to 3600, got ${s.deregistrationDelaySeconds}`);
  const matcher = parseMatcher(s.matcher);
  if (!matcher.ok) return err(matcher.error);
  return ok(s);
}
