import type { DemoApi } from "./demo-api.js";
import { DEMO } from "./demo-names.js";

/**
 * Deletes the demo's two services (DeleteService --force) and waits, up to 60 s, until they are
 * INACTIVE: a service stays DRAINING until its tasks have stopped (each is drained from its
 * load balancer first), so stopping the server then leaves no container or process behind.
 * ListTasks alone would not do: it stops listing a task as soon as its desired status is STOPPED.
 */
export async function stopDemoServices(api: DemoApi, sleep: (ms: number) => Promise<void>): Promise<void> {
  for (const cluster of DEMO.clusters) {
    await api
      .call("ecs", "DeleteService", { cluster, service: DEMO.service, force: true })
      .catch(() => undefined);
  }
  for (let i = 0; i < 240; i++) {
    const statuses = await Promise.all(
      DEMO.clusters.map((cluster) =>
        api
          .call<{ services?: { status: string }[] }>("ecs", "DescribeServices", {
            cluster,
            services: [DEMO.service],
          })
          .then(
            (r) => r.services?.[0]?.status ?? "INACTIVE",
            () => "INACTIVE",
          ),
      ),
    );
    if (statuses.every((s) => s === "INACTIVE")) return;
    await sleep(250);
  }
}
