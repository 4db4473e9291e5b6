import type { HealthCheck, HealthStatus } from "../../model/ecs/types.js";

/**
 * A container health check's state between checks (spec A.7): Docker's and ECS's rules. A
 * success makes the container HEALTHY and clears the failure streak; `retries` consecutive
 * failures make it UNHEALTHY; failures inside `startPeriod` (from the container's start), and
 * before Docker's first check (one interval after the start), do not count. Defaults as AWS's: interval 30 s, timeout 5 s, retries 3, no start period.
 */
export interface HealthState {
  readonly status: HealthStatus;
  readonly consecutiveFailures: number;
  /** When the last check finished (epoch ms); absent before the first. */
  readonly lastCheckAt?: number;
}

export const initialHealth: HealthState = { status: "UNKNOWN", consecutiveFailures: 0 };

export interface HealthCheckTiming {
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly startPeriodMs: number;
}

export function timingOf(check: HealthCheck): HealthCheckTiming {
  return {
    intervalMs: (check.interval ?? 30) * 1000,
    timeoutMs: (check.timeout ?? 5) * 1000,
    retries: check.retries ?? 3,
    startPeriodMs: (check.startPeriod ?? 0) * 1000,
  };
}

/**
 * How often a container is probed between its start and the first check Docker would run (one
 * `interval` after the start), until a probe passes. Only a success counts there (see afterCheck).
 */
export const EARLY_PROBE_MS = 250;

/** Whether a check may count: Docker's first check is one interval after start, and none count inside startPeriod. */
function counts(timing: HealthCheckTiming, startedAt: number, at: number): boolean {
  return at - startedAt >= Math.max(timing.intervalMs, timing.startPeriodMs);
}

/**
 * Whether a check is due now. Docker runs the first check one interval after the container
 * starts; Pipewright probes at once and then every EARLY_PROBE_MS until a probe passes or that
 * first interval is over, so a healthy container counts as HEALTHY within moments of listening
 * (docs/ecs.md). After that, one check every interval.
 */
export function checkDue(
  state: HealthState,
  timing: HealthCheckTiming,
  now: number,
  startedAt: number,
): boolean {
  const last = state.lastCheckAt;
  if (last === undefined) return true;
  if (state.status === "UNKNOWN" && state.consecutiveFailures === 0 && !counts(timing, startedAt, last))
    return now - last >= Math.min(EARLY_PROBE_MS, timing.intervalMs) || counts(timing, startedAt, now);
  return now - last >= timing.intervalMs;
}

/**
 * The state after one check that exited with `exitCode` (-1: timed out or could not run). A
 * failure counts only from the time Docker's own checks would (one interval after the start, and
 * not inside startPeriod), so the early probes never make a container UNHEALTHY sooner than on
 * Docker: a server that takes a moment to listen is not failed by a probe it could not answer yet.
 */
export function afterCheck(
  state: HealthState,
  exitCode: number,
  timing: HealthCheckTiming,
  startedAt: number,
  now: number,
): HealthState {
  if (exitCode === 0) return { status: "HEALTHY", consecutiveFailures: 0, lastCheckAt: now };
  if (!counts(timing, startedAt, now)) return { ...state, lastCheckAt: now };
  const failures = state.consecutiveFailures + 1;
  return {
    status: failures >= timing.retries ? "UNHEALTHY" : state.status,
    consecutiveFailures: failures,
    lastCheckAt: now,
  };
}

/** A task's health from its essential containers' (non-essential ones do not count). */
export function taskHealth(
  containers: readonly {
    readonly essential: boolean;
    readonly healthStatus: HealthStatus;
    readonly checked: boolean;
  }[],
): HealthStatus {
  const checked = containers.filter((c) => c.essential && c.checked);
  if (checked.length === 0) return "UNKNOWN";
  if (checked.some((c) => c.healthStatus === "UNHEALTHY")) return "UNHEALTHY";
  return checked.every((c) => c.healthStatus === "HEALTHY") ? "HEALTHY" : "UNKNOWN";
}
