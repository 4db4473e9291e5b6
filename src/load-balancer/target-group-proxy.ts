import { Agent, createServer } from "node:http";
import type { Socket } from "node:net";
import { parseMatcher, resolveTargetGroupSettings } from "./core/settings.js";
import {
  deregisterTarget,
  drainFinished,
  type HealthCheckResult,
  pickTarget,
  planSwitch,
  recordHealthCheck,
  registerTarget,
  type TargetRecord,
  unusedTarget,
} from "./core/target-health.js";
import { checkTargetHealth } from "./health-check.js";
import { forwardRequest, type Router, type Upstream } from "./http-forward.js";
import type { TargetGroupProxy, TargetGroupProxyOptions, TargetHealthDescription } from "./types.js";
import { forwardUpgrade } from "./websocket.js";

interface Live {
  record: TargetRecord;
  agent: Agent;
  /** Aborts of the requests and connections in flight on this target. */
  active: Set<() => void>;
  check?: { deadline: number; controller: AbortController };
  waiters: (() => void)[];
}

/**
 * Creates the load balancer of one target group (see TargetGroupProxy). Throws an Error when the
 * settings are invalid (the message names the field): the caller validates them when the
 * service is created, so this is a bug if it happens later.
 */
export function createTargetGroupProxy(options: TargetGroupProxyOptions): TargetGroupProxy {
  const resolved = resolveTargetGroupSettings(options.settings);
  if (!resolved.ok) throw new Error(`target group ${options.name}: ${resolved.error}`);
  const settings = resolved.value;
  const matcher = parseMatcher(settings.matcher);
  if (!matcher.ok) throw new Error(matcher.error);
  const matches = matcher.value;
  const { clock, name } = options;
  const host = options.host ?? "127.0.0.1";
  const targets = new Map<string, Live>();
  let cursor = 0;
  let boundPort = 0;
  let timer: NodeJS.Timeout | undefined;
  const sockets = new Set<Socket>();
  const stats = { requests: 0, upgrades: 0, retried: 0, noHealthyTarget: 0, badGateway: 0 };

  const update = (live: Live, next: TargetRecord) => {
    const from = live.record.state;
    live.record = next;
    if (from !== next.state)
      options.onTransition?.({
        targetGroup: name,
        targetId: next.id,
        from,
        to: next.state,
        reason: next.reason,
        description: next.description,
        at: clock.now(),
      });
  };

  const finishDrain = (live: Live) => {
    for (const abort of [...live.active]) abort();
    live.check?.controller.abort();
    live.agent.destroy();
    // A target registered again while it drained has a new record; the old one just ends.
    if (targets.get(live.record.id) !== live) return;
    update(live, unusedTarget(live.record));
    targets.delete(live.record.id);
    for (const w of live.waiters.splice(0)) w();
  };

  const router: Router = {
    pick(exclude) {
      const records = [...targets.values()].map((l) => l.record);
      const chosen = pickTarget(records, cursor, exclude);
      if (!chosen) return undefined;
      cursor = (cursor + 1) % 1_000_000_007;
      const live = targets.get(chosen.id)!;
      const upstream: Upstream = { id: chosen.id, host: chosen.host, port: chosen.port, agent: live.agent };
      return upstream;
    },
    begin(id, abort) {
      const live = targets.get(id);
      if (!live) return () => {};
      live.active.add(abort);
      return () => {
        live.active.delete(abort);
        if (drainFinished(live.record, live.active.size, clock.now())) finishDrain(live);
      };
    },
    noHealthyTarget() {
      const counts = new Map<string, number>();
      for (const l of targets.values()) {
        const key = l.record.standby ? `${l.record.state} on standby` : l.record.state;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      const states = [...counts].map(([s, n]) => `${n} ${s}`).join(", ");
      return (
        `503 Service Unavailable: target group ${name} has no healthy target ` +
        `(${targets.size} registered${states ? `: ${states}` : ""}). ` +
        "Requests are routed only to targets that pass their health check.\n"
      );
    },
    listenerPort: () => boundPort,
    count(what) {
      stats[what] += 1;
    },
  };

  const server = createServer((req, res) => forwardRequest(router, req, res));
  // ALB's default idle timeout is 60 s; keep client connections open as long.
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;
  server.on("upgrade", (req, socket, head) => forwardUpgrade(router, req, socket, head));
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  server.on("clientError", (_e, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n");
  });

  const record = (id: string, live: Live, result: HealthCheckResult) => {
    if (targets.get(id) !== live) return;
    update(live, recordHealthCheck(live.record, result, settings, clock.now()));
  };

  const startCheck = (live: Live, now: number): Promise<void> => {
    const controller = new AbortController();
    live.check = { deadline: now + settings.healthCheckTimeoutSeconds * 1000, controller };
    live.record = { ...live.record, nextCheckAt: now + settings.healthCheckIntervalSeconds * 1000 };
    const id = live.record.id;
    return checkTargetHealth(live.record, settings.healthCheckPath, matches, controller.signal).then(
      (result) => {
        if (live.check?.controller !== controller) return;
        live.check = undefined;
        record(id, live, result);
      },
    );
  };

  const proxy: TargetGroupProxy = {
    name,
    listen() {
      return new Promise((resolve, reject) => {
        const onError = (e: NodeJS.ErrnoException) =>
          reject(
            new Error(
              `load balancer of target group ${name} cannot listen on ${host}:${options.port ?? 0}: ${
                e.code === "EADDRINUSE"
                  ? "the port is in use by another process; choose another port"
                  : e.message
              }`,
              { cause: e },
            ),
          );
        server.once("error", onError);
        server.listen(options.port ?? 0, host, () => {
          server.off("error", onError);
          const address = server.address();
          boundPort = typeof address === "object" && address ? address.port : 0;
          if (options.tickIntervalMs) {
            timer = setInterval(() => void proxy.tick(), options.tickIntervalMs);
            timer.unref();
          }
          resolve({ host, port: boundPort });
        });
      });
    },
    registerTargets(list, registerOptions) {
      const now = clock.now();
      for (const t of list) {
        const existing = targets.get(t.id);
        if (existing && existing.record.state !== "draining") continue;
        const live: Live = {
          record: registerTarget(
            { id: t.id, host: t.host ?? "127.0.0.1", port: t.port },
            now,
            registerOptions?.standby,
          ),
          agent: new Agent({ keepAlive: true }),
          active: new Set(),
          waiters: [],
        };
        if (existing) {
          // The old record's in-flight requests keep their own agent and finish on their own.
          existing.check?.controller.abort();
          live.waiters.push(...existing.waiters.splice(0));
        }
        targets.set(t.id, live);
        options.onTransition?.({
          targetGroup: name,
          targetId: t.id,
          from: existing ? existing.record.state : "unused",
          to: "initial",
          reason: live.record.reason,
          description: live.record.description,
          at: now,
        });
      }
    },
    deregisterTargets(ids) {
      const now = clock.now();
      for (const id of ids) {
        const live = targets.get(id);
        if (!live || live.record.state === "draining") continue;
        live.check?.controller.abort();
        live.check = undefined;
        update(live, deregisterTarget(live.record, settings, now));
        if (drainFinished(live.record, live.active.size, now)) finishDrain(live);
      }
    },
    switchTo(ids) {
      const plan = planSwitch(
        [...targets.values()].map((l) => l.record),
        ids,
      );
      if (!plan.ok) return { ok: false, message: `target group ${name}: ${plan.message}` };
      for (const id of plan.promote) {
        const live = targets.get(id)!;
        live.record = { ...live.record, standby: undefined };
      }
      proxy.deregisterTargets(plan.deregister);
      return { ok: true };
    },
    describeTargetHealth(ids) {
      const describe = (r: TargetRecord): TargetHealthDescription => ({
        Target: { Id: r.id, Port: r.port },
        HealthCheckPort: String(r.port),
        TargetHealth: {
          State: r.state,
          ...(r.reason ? { Reason: r.reason } : {}),
          ...(r.description ? { Description: r.description } : {}),
        },
        ...(r.standby ? { Standby: true } : {}),
      });
      if (!ids) return [...targets.values()].map((l) => describe(l.record));
      return ids.map((id) => {
        const live = targets.get(id);
        return describe(live ? live.record : unusedTarget(registerTarget({ id, host, port: 0 }, 0)));
      });
    },
    stats: () => ({ ...stats }),
    inFlight: (id) => targets.get(id)?.active.size ?? 0,
    drained(id) {
      const live = targets.get(id);
      if (!live) return Promise.resolve();
      return new Promise((resolve) => live.waiters.push(resolve));
    },
    async tick() {
      const now = clock.now();
      const started: Promise<void>[] = [];
      for (const [id, live] of [...targets]) {
        if (live.check && now >= live.check.deadline) {
          live.check.controller.abort();
          live.check = undefined;
          record(id, live, { kind: "timeout" });
        }
        if (drainFinished(live.record, live.active.size, now)) {
          finishDrain(live);
          continue;
        }
        if (live.record.state !== "draining" && !live.check && now >= live.record.nextCheckAt)
          started.push(startCheck(live, now));
      }
      await Promise.all(started);
    },
    async close() {
      if (timer) clearInterval(timer);
      for (const live of targets.values()) {
        live.check?.controller.abort();
        for (const abort of [...live.active]) abort();
        live.agent.destroy();
      }
      targets.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  };
  return proxy;
}
