import type { DemoApi } from "./demo-api.js";
import { DEMO } from "./demo-names.js";

/**
 * Deletes the demo's two services (DeleteService --force) and waits, up to 30 s, until their
 * tasks have stopped, so stopping the server leaves no container or process behind.
 */
export async function stopDemoServices(api: DemoApi, sleep: (ms: number) => Promise<void>): Promise<void> {
  for (const cluster of DEMO.clusters) {
    await api
      .call("ecs", "DeleteService", { cluster, service: DEMO.service, force: true })
      .catch(() => undefined);
  }
  for (let i = 0; i < 120; i++) {
    const open = await Promise.all(
      DEMO.clusters.map((cluster) =>
        api.call<{ taskArns?: string[] }>("ecs", "ListTasks", { cluster }).then(
          (r) => r.taskArns?.length ?? 0,
          () => 0,
        ),
      ),
    );
    if (open.every((n) => n === 0)) return;
    await sleep(250);
  }
}
