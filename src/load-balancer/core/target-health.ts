import type { TargetGroupSettings } from "./settings.js";

/**
 * The health of one registered target, as ELBv2's DescribeTargetHealth reports it (TargetHealth
 * State, Reason, Description, verbatim). Pure: the proxy feeds it check results and the time.
 *
 * ```
 *  register ──> initial (Elb.RegistrationInProgress)
 *                 │ first check answered, not yet decided -> initial (Elb.InitialHealthChecking)
 *                 ├─ initialHealthyThresholdCount passes ──────────────> healthy
 *                 └─ unhealthyThresholdCount failures ───> unhealthy (Target.ResponseCodeMismatch |
 *                                                          Target.Timeout | Target.FailedHealthChecks)
 *  healthy ── unhealthyThresholdCount consecutive failures ──> unhealthy
 *  unhealthy ── healthyThresholdCount consecutive passes ───> healthy
 *  any registered state ── deregister ──> draining (Target.DeregistrationInProgress)
 *  draining ── no requests in flight, or deregistration delay over ──> unused (Target.NotRegistered)
 * ```
 * Only `healthy` targets get new requests; a draining target finishes the ones it has.
 * Check results that arrive for a draining or unused target are ignored.
 */
export const TargetHealthState = {
  initial: "initial",
  healthy: "healthy",
  unhealthy: "unhealthy",
  unused: "unused",
  draining: "draining",
  unavailable: "unavailable",
} as const;
export type TargetHealthState = (typeof TargetHealthState)[keyof typeof TargetHealthState];

export const TargetHealthReason = {
  RegistrationInProgress: "Elb.RegistrationInProgress",
  InitialHealthChecking: "Elb.InitialHealthChecking",
  ResponseCodeMismatch: "Target.ResponseCodeMismatch",
  Timeout: "Target.Timeout",
  FailedHealthChecks: "Target.FailedHealthChecks",
  NotRegistered: "Target.NotRegistered",
  DeregistrationInProgress: "Target.DeregistrationInProgress",
} as const;
export type TargetHealthReason = (typeof TargetHealthReason)[keyof typeof TargetHealthReason];

/** One target as the load balancer knows it. */
export interface TargetRecord {
  /** The caller's id for the target (an ECS task id, `host:port`, ...). */
  readonly id: string;
  readonly host: string;
  readonly port: number;
  readonly state: TargetHealthState;
  readonly reason?: TargetHealthReason;
  readonly description?: string;
  readonly consecutiveSuccesses: number;
  readonly consecutiveFailures: number;
  readonly registeredAt: number;
  /** When the last health check answered (or timed out). */
  readonly lastCheckedAt?: number;
  /** When the next health check is due (ms since the epoch). */
  readonly nextCheckAt: number;
  /**
   * A standby target is health checked but gets no traffic until a switch makes it live (the
   * green side of a blue/green deployment). Not an ELBv2 notion: ELBv2 uses a second target group.
   */
  readonly standby?: boolean;
  /** Set while draining: when the deregistration delay ends. */
  readonly drainDeadline?: number;
}

/** What one health check saw. */
export type HealthCheckResult =
  | { readonly kind: "response"; readonly status: number; readonly matched: boolean }
  | { readonly kind: "timeout" }
  | { readonly kind: "error"; readonly message: string };

export function registerTarget(
  target: { id: string; host: string; port: number },
  now: number,
  standby = false,
): TargetRecord {
  return {
    ...(standby ? { standby: true } : {}),
    id: target.id,
    host: target.host,
    port: target.port,
    state: "initial",
    reason: TargetHealthReason.RegistrationInProgress,
    description: "Target registration is in progress",
    consecutiveSuccesses: 0,
    consecutiveFailures: 0,
    registeredAt: now,
    nextCheckAt: now,
  };
}

function failureOf(
  result: HealthCheckResult,
): { reason: TargetHealthReason; description: string } | undefined {
  switch (result.kind) {
    case "response":
      return result.matched
        ? undefined
        : {
            reason: TargetHealthReason.ResponseCodeMismatch,
            description: `Health checks failed with these codes: [${result.status}]`,
          };
    case "timeout":
      return { reason: TargetHealthReason.Timeout, description: "Request timed out" };
    case "error":
      return {
        reason: TargetHealthReason.FailedHealthChecks,
        description: `Health checks failed (${result.message})`,
      };
  }
}

/** The target after one health check result arrived at `now`. */
export function recordHealthCheck(
  target: TargetRecord,
  result: HealthCheckResult,
  settings: TargetGroupSettings,
  now: number,
): TargetRecord {
  if (target.state === "draining" || target.state === "unused") return target;
  const failure = failureOf(result);
  const successes = failure ? 0 : target.consecutiveSuccesses + 1;
  const failures = failure ? target.consecutiveFailures + 1 : 0;
  const base = {
    ...target,
    consecutiveSuccesses: successes,
    consecutiveFailures: failures,
    lastCheckedAt: now,
  };
  const needed =
    target.state === "initial" ? settings.initialHealthyThresholdCount : settings.healthyThresholdCount;
  if (!failure) {
    if (target.state === "healthy" || successes >= needed) return healthy(base);
    // unhealthy with too few passes yet: stays unhealthy, keeps the last failure's reason.
    if (target.state === "unhealthy") return base;
    return initialChecking(base);
  }
  if (failures >= settings.unhealthyThresholdCount)
    return { ...base, state: "unhealthy", reason: failure.reason, description: failure.description };
  if (target.state === "initial") return initialChecking(base);
  return target.state === "unhealthy"
    ? { ...base, reason: failure.reason, description: failure.description }
    : base;
}

function healthy(t: TargetRecord): TargetRecord {
  return { ...t, state: "healthy", reason: undefined, description: undefined };
}

function initialChecking(t: TargetRecord): TargetRecord {
  return {
    ...t,
    state: "initial",
    reason: TargetHealthReason.InitialHealthChecking,
    description: "Initial health checks in progress",
  };
}

/** Starts draining: no new requests; the in-flight ones get until the deregistration delay ends. */
export function deregisterTarget(
  target: TargetRecord,
  settings: TargetGroupSettings,
  now: number,
): TargetRecord {
  if (target.state === "draining" || target.state === "unused") return target;
  return {
    ...target,
    state: "draining",
    reason: TargetHealthReason.DeregistrationInProgress,
    description: "Target deregistration is in progress",
    drainDeadline: now + settings.deregistrationDelaySeconds * 1000,
  };
}

/**
 * Whether a draining target is done: ELBv2 completes deregistration at once when a target has no
 * in-flight requests or connections, else when the deregistration delay ends (then the remaining
 * connections are closed).
 */
export function drainFinished(target: TargetRecord, inFlight: number, now: number): boolean {
  return target.state === "draining" && (inFlight === 0 || now >= (target.drainDeadline ?? 0));
}

/** The target once deregistration completed. */
export function unusedTarget(target: TargetRecord): TargetRecord {
  return {
    ...target,
    state: "unused",
    reason: TargetHealthReason.NotRegistered,
    description: "Target is not registered to the target group",
    drainDeadline: undefined,
  };
}

export function isRoutable(target: TargetRecord): boolean {
  return target.state === "healthy" && !target.standby;
}

/**
 * The blue/green switch, decided: every target in `live` must be registered and healthy; the
 * answer is the ids to make live and the ids to deregister (every other registered target).
 */
export function planSwitch(
  targets: readonly TargetRecord[],
  live: readonly string[],
): { ok: true; promote: string[]; deregister: string[] } | { ok: false; message: string } {
  if (live.length === 0) return { ok: false, message: "switch needs at least one target to make live" };
  const byId = new Map(targets.map((t) => [t.id, t]));
  const notReady = live.filter((id) => byId.get(id)?.state !== "healthy");
  if (notReady.length > 0) {
    const what = notReady.map((id) => `${id} (${byId.get(id)?.state ?? "not registered"})`).join(", ");
    return {
      ok: false,
      message: `cannot switch: ${what} ${notReady.length === 1 ? "is" : "are"} not healthy`,
    };
  }
  const wanted = new Set(live);
  return {
    ok: true,
    promote: live.filter((id) => byId.get(id)?.standby),
    deregister: targets
      .filter((t) => !wanted.has(t.id) && t.state !== "draining" && t.state !== "unused")
      .map((t) => t.id),
  };
}

/**
 * Round robin over the routable targets in registration order. `cursor` is the count of picks so
 * far; `exclude` holds targets that already refused this request. Returns undefined when no
 * target can take it.
 */
export function pickTarget(
  targets: readonly TargetRecord[],
  cursor: number,
  exclude: ReadonlySet<string> = new Set(),
): TargetRecord | undefined {
  const candidates = targets.filter((t) => isRoutable(t) && !exclude.has(t.id));
  if (candidates.length === 0) return undefined;
  return candidates[cursor % candidates.length];
}
