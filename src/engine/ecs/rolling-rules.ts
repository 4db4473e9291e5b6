/**
 * ECS's rolling-update arithmetic (spec A.5, A.6), as pure functions the scheduler and its
 * tests share.
 */

/** Tasks that must stay healthy: desiredCount x minimumHealthyPercent, rounded UP. */
export function minimumHealthyTasks(desiredCount: number, minimumHealthyPercent: number): number {
  return Math.max(0, Math.ceil((desiredCount * minimumHealthyPercent) / 100 - 1e-9));
}

/** Tasks that may be PENDING, RUNNING or STOPPING at once: desiredCount x maximumPercent, rounded DOWN. */
export function maximumTasks(desiredCount: number, maximumPercent: number): number {
  return Math.floor((desiredCount * maximumPercent) / 100 + 1e-9);
}

/**
 * The circuit breaker's failure threshold: 0.5 x desiredCount rounded up, clamped to
 * [minimum, 200]. AWS's minimum was 10 (2023 guide) and is 3 in the current API reference;
 * Pipewright's default is 3 and `minimum` makes it configurable (docs/ecs.md).
 */
export function circuitBreakerThreshold(desiredCount: number, minimum = 3): number {
  return Math.min(Math.max(minimum, Math.ceil(0.5 * desiredCount)), 200);
}
