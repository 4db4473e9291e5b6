import type { Clock } from "../lib/clock.js";
import type { TargetGroupSettings } from "./core/settings.js";
import type { TargetHealthReason, TargetHealthState } from "./core/target-health.js";

/** A target to register: where a task's container port is reachable on this machine. */
export interface TargetDescription {
  /** The caller's id (an ECS task id); the key for deregistration and health reports. */
  readonly id: string;
  /** Default 127.0.0.1. */
  readonly host?: string;
  readonly port: number;
}

/** One row of DescribeTargetHealth, in ELBv2's shape (TargetHealthDescription). */
export interface TargetHealthDescription {
  readonly Target: { readonly Id: string; readonly Port: number };
  readonly HealthCheckPort: string;
  readonly TargetHealth: {
    readonly State: TargetHealthState;
    readonly Reason?: TargetHealthReason;
    readonly Description?: string;
  };
  /** Pipewright's addition: true while the target waits on standby for a blue/green switch. */
  readonly Standby?: boolean;
}

/** What a proxy has done since it was created (for benchmarks, tests and the console). */
export interface ProxyStats {
  /** HTTP requests received (not counting WebSocket upgrades). */
  readonly requests: number;
  /** WebSocket (Upgrade) requests received. */
  readonly upgrades: number;
  /** Attempts sent again to another target after a refused connection. */
  readonly retried: number;
  /** 503s answered because no target was healthy. */
  readonly noHealthyTarget: number;
  /** 502s answered (a target failed, or every target refused). */
  readonly badGateway: number;
}

/** A state change of one target, for the caller's service events ("registered 1 targets ..."). */
export interface TargetTransition {
  readonly targetGroup: string;
  readonly targetId: string;
  readonly from: TargetHealthState;
  readonly to: TargetHealthState;
  readonly reason?: TargetHealthReason;
  readonly description?: string;
  readonly at: number;
}

export interface TargetGroupProxyOptions {
  /** The target group's name (shown in 503 bodies and transitions). */
  readonly name: string;
  /** Listener address: loopback by default. */
  readonly host?: string;
  /** The stable port the caller stores with the service; 0 picks a free port. */
  readonly port?: number;
  readonly settings?: Partial<TargetGroupSettings>;
  /** Health check due times, check timeouts and drain deadlines are read from this clock. */
  readonly clock: Clock;
  /**
   * When set, `tick()` runs every this many ms of real time (production). Tests with a fake
   * clock leave it unset and call `tick()` themselves.
   */
  readonly tickIntervalMs?: number;
  /** Called after every state change of a target (synchronously; must not throw). */
  readonly onTransition?: (transition: TargetTransition) => void;
}

/**
 * The built-in load balancer of one target group: a reverse proxy listening on one port that
 * routes each HTTP request (and each WebSocket upgrade) round robin to a `healthy` target only.
 *
 * Lifecycle: `listen()` once, then register/deregister at any time, `close()` once at the end.
 * Every method is called from one event loop; `registerTargets` and `deregisterTargets` are
 * synchronous, so registering the new and deregistering the old in one turn switches traffic
 * atomically. Registering an id that is already registered (and not draining) is a no-op;
 * deregistering an unknown id is a no-op (as ELBv2's). A draining target registered again starts
 * over at once as `initial` (its in-flight requests keep running).
 *
 * Errors: `listen()` rejects with an Error naming the port when it cannot bind; nothing else
 * throws. Proxy failures are answered on the wire: 503 when no target is healthy, 502 when a
 * target fails mid-request, 504 never (there is no upstream timeout besides the client's).
 */
export interface TargetGroupProxy {
  readonly name: string;
  /** Binds the listener; resolves with the bound address. */
  listen(): Promise<{ host: string; port: number }>;
  /**
   * Registers targets (health checks start on the next tick). With `standby`, they are checked
   * but get no traffic until `switchTo` names them (blue/green: green waits on standby).
   */
  registerTargets(targets: readonly TargetDescription[], options?: { standby?: boolean }): void;
  /**
   * The blue/green switch, atomic: the named targets (all of them registered and healthy) get
   * every new request from now on, every other target starts draining. Returns an error message
   * instead when a named target is not healthy, and then changes nothing.
   */
  switchTo(ids: readonly string[]): { ok: true } | { ok: false; message: string };
  /** Starts draining: no new requests; in-flight ones finish or the deregistration delay ends. */
  deregisterTargets(ids: readonly string[]): void;
  /** Every target (or the ones named; unknown ids come back `unused`/Target.NotRegistered). */
  describeTargetHealth(ids?: readonly string[]): TargetHealthDescription[];
  stats(): ProxyStats;
  /** Requests in flight (including open WebSocket connections) per target id. */
  inFlight(id: string): number;
  /** Resolves when the target is no longer registered (at once for an unknown id). */
  drained(id: string): Promise<void>;
  /**
   * Does what is due on the clock: times out health checks past their timeout, ends drains
   * whose deregistration delay is over, starts the checks that are due. Resolves when the checks
   * it started have answered (or were timed out by a later tick).
   */
  tick(): Promise<void>;
  /** Stops listening, closes every connection, abandons health checks. */
  close(): Promise<void>;
}

/** How the runtime gets proxies without knowing node:http: main/ passes `createTargetGroupProxy`. */
export type CreateTargetGroupProxy = (options: TargetGroupProxyOptions) => TargetGroupProxy;
