import type { Clock } from "../../lib/clock.js";
import type { Logger } from "../../lib/logger.js";
import type { CreateTargetGroupProxy, TargetGroupProxy } from "../../load-balancer/types.js";
import { targetModeOf } from "../../model/ecs/blue-green.js";
import type { LoadBalancer, Service, Task } from "../../model/ecs/types.js";

/** Where each target group's listener port is kept, so a restart listens on the same port. */
export interface TargetGroupPorts {
  get(targetGroupArn: string): number | undefined;
  set(targetGroupArn: string, port: number): void;
}

export interface TargetGroupsOptions {
  readonly create: CreateTargetGroupProxy;
  readonly clock: Clock;
  readonly ports: TargetGroupPorts;
  readonly logger: Logger;
  /** How long draining waits for another target of the group to be healthy first (ms of `clock`; default 30 s). */
  readonly waitForHealthyMs?: number;
}

/**
 * The built-in load balancer of ECS services (issue 12, scope 4): one proxy per target group
 * named in a service's `loadBalancers`, on a stable loopback port. A task's container port is
 * registered as a target once the task runs (the proxy health-checks it before routing to it),
 * and before a task is stopped it is deregistered and drained, after another target of the group
 * is healthy, so a rollout under load drops no request.
 */
export class TargetGroups {
  private readonly proxies = new Map<string, Promise<TargetGroupProxy>>();

  constructor(private readonly options: TargetGroupsOptions) {}

  /** The proxy of a target group, listening (created on first use, on its stored port). */
  proxy(targetGroupArn: string): Promise<TargetGroupProxy> {
    let pending = this.proxies.get(targetGroupArn);
    if (!pending) {
      pending = this.open(targetGroupArn);
      this.proxies.set(targetGroupArn, pending);
      pending.catch(() => this.proxies.delete(targetGroupArn));
    }
    return pending;
  }

  private async open(targetGroupArn: string): Promise<TargetGroupProxy> {
    const stored = this.options.ports.get(targetGroupArn);
    const proxy = this.options.create({
      name: targetGroupNameOf(targetGroupArn),
      port: stored ?? 0,
      clock: this.options.clock,
      tickIntervalMs: 250,
    });
    const { host, port } = await proxy.listen();
    if (stored !== port) this.options.ports.set(targetGroupArn, port);
    this.options.logger.info(
      `load balancer of target group ${targetGroupNameOf(targetGroupArn)} on http://${host}:${port}`,
      {
        targetGroupArn,
      },
    );
    return proxy;
  }

  /** The listener port of a target group that has one (stored, whether or not it listens yet). */
  port(targetGroupArn: string): number | undefined {
    return this.options.ports.get(targetGroupArn);
  }

  /**
   * Registers a running task's container ports with its service's target groups (idempotent).
   * During a blue/green deployment green waits on standby and blue, after the shift, is left
   * out (model/ecs/blue-green.ts `targetModeOf`).
   */
  async register(service: Service, taskId: string, task: Task): Promise<void> {
    const mode = targetModeOf(service, task.startedBy);
    if (mode === "none") return;
    for (const lb of balanced(service)) {
      const hostPort = bindingOf(task, lb);
      if (hostPort === undefined) continue;
      (await this.proxy(lb.targetGroupArn)).registerTargets([{ id: taskId, port: hostPort }], {
        standby: mode === "standby",
      });
    }
  }

  /**
   * The blue/green switch of every target group of the service: checks first that each has all
   * of `taskIds` healthy, then switches them all in one turn of the event loop (so no request
   * sees a half-switched service). Answers why not, changing nothing, when one is not ready.
   */
  async switchTo(
    service: Service,
    taskIds: readonly string[],
  ): Promise<{ ok: true } | { ok: false; message: string }> {
    const proxies = await Promise.all(balanced(service).map((lb) => this.proxy(lb.targetGroupArn)));
    if (proxies.length === 0) return { ok: false, message: "the service has no target group" };
    for (const proxy of proxies) {
      const health = proxy.describeTargetHealth(taskIds);
      const notReady = health.find((h) => h.TargetHealth.State !== "healthy");
      if (notReady)
        return {
          ok: false,
          message: `task ${notReady.Target.Id} is ${notReady.TargetHealth.State} in target group ${proxy.name}`,
        };
    }
    for (const proxy of proxies) {
      const switched = proxy.switchTo(taskIds);
      if (!switched.ok) return switched;
    }
    return { ok: true };
  }

  /** The health of the named tasks in each target group of the service (ELBv2's shape). */
  async health(service: Service, taskIds: readonly string[]) {
    return Promise.all(
      balanced(service).map(async (lb) => ({
        targetGroup: targetGroupNameOf(lb.targetGroupArn),
        targets: (await this.proxy(lb.targetGroupArn)).describeTargetHealth(taskIds),
      })),
    );
  }

  /** Before a task stops: waits for another healthy target, then deregisters and drains it. */
  async drain(service: Service, taskId: string): Promise<void> {
    const wait = this.options.waitForHealthyMs ?? 30_000;
    await Promise.all(
      balanced(service).map(async (lb) => {
        const proxy = await this.proxy(lb.targetGroupArn);
        const registered = proxy.describeTargetHealth([taskId])[0]?.TargetHealth.State;
        if (!registered || registered === "unused") return;
        // The deadline is on the injected clock (a fake one in tests); the polling is short and real.
        const clock = this.options.clock;
        const deadline = clock.now() + wait;
        while (clock.now() < deadline && !otherHealthy(proxy, taskId) && service.desiredCount > 0)
          await new Promise((done) => setTimeout(done, POLL_MS));
        proxy.deregisterTargets([taskId]);
        await proxy.drained(taskId);
      }),
    );
  }

  async close(): Promise<void> {
    const proxies = await Promise.allSettled(this.proxies.values());
    this.proxies.clear();
    await Promise.all(proxies.map((p) => (p.status === "fulfilled" ? p.value.close() : undefined)));
  }
}

/** How often draining looks for another healthy target (real time: the proxy's checks are async). */
const POLL_MS = 50;

type Balanced = LoadBalancer & { readonly targetGroupArn: string };

function balanced(service: Service): Balanced[] {
  return service.loadBalancers.filter((lb): lb is Balanced => typeof lb.targetGroupArn === "string");
}

function bindingOf(task: Task, lb: LoadBalancer): number | undefined {
  const container = task.containers.find((c) => c.name === lb.containerName);
  return container?.networkBindings.find((b) => b.containerPort === lb.containerPort)?.hostPort;
}

function otherHealthy(proxy: TargetGroupProxy, taskId: string): boolean {
  return proxy
    .describeTargetHealth()
    .some((t) => t.Target.Id !== taskId && t.TargetHealth.State === "healthy");
}

/** `arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>` -> `<name>`. */
export function targetGroupNameOf(targetGroupArn: string): string {
  return /:targetgroup\/([^/]+)/u.exec(targetGroupArn)?.[1] ?? targetGroupArn;
}
