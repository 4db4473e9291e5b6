import type { HealthCheck, HealthStatus } from "../../model/ecs/types.js";

/**
 * A container health check's state between checks (spec A.7): Docker's and ECS's rules. A
 * success makes the container HEALTHY and clears the failure streak; `retries` consecutive
 * failures make it UNHEALTHY; failures inside `startPeriod` (from the container's start) do not
 * count. Defaults as AWS's: interval 30 s, timeout 5 s, retries 3, no start period.
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
 * Whether a check is due now: the first one as soon as the container runs (Docker waits one
 * interval first; Pipewright does not, so a healthy container counts sooner: docs/ecs.md), then
 * one every interval.
 */
export function checkDue(state: HealthState, timing: HealthCheckTiming, now: number): boolean {
  return state.lastCheckAt === undefined || now - state.lastCheckAt >= timing.intervalMs;
}

/** The state after one check that exited with `exitCode` (-1: timed out or could not run). */
export function afterCheck(
  state: HealthState,
  exitCode: number,
  timing: HealthCheckTiming,
  startedAt: number,
  now: number,
): HealthState {
  if (exitCode === 0) return { status: "HEALTHY", consecutiveFailures: 0, lastCheckAt: now };
  if (now - startedAt < timing.startPeriodMs) return { ...state, lastCheckAt: now };
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
