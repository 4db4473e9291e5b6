/**
 * load-balancer: the built-in load balancer of ECS services (docs/load-balancer.md). One reverse
 * proxy per target group on a stable loopback port, routing round robin to healthy targets only,
 * with ELBv2's health checks, states and reason codes, draining with a deregistration delay,
 * keep-alive and WebSocket pass-through. `core/` is pure (settings, the target state machine,
 * round robin); the rest is the node:http shell. `types.ts` is the seam the ECS runtime uses.
 */
export * from "./core/settings.js";
export * from "./core/target-health.js";
export { HEALTH_CHECK_USER_AGENT } from "./health-check.js";
export { createTargetGroupProxy } from "./target-group-proxy.js";
export * from "./types.js";
