import { ECSClient } from "@aws-sdk/client-ecs";
import type { Assembled } from "../../src/main/assemble.js";
import type { TaskRuntimes } from "../../src/runtime/ecs/task-driver.js";
import type { EcsTaskRecord } from "../../src/store/types.js";
import { createProcessTaskRuntime } from "../../src/task-runtime/process-runtime.js";
import { startFunctionServer, TEST_KEYS } from "../support/function-server.js";

export { TEST_KEYS };
export const scope = { accountId: "123456789012", region: "us-east-1" };

export interface TaskServer {
  readonly endpoint: string;
  readonly assembled: Assembled;
  readonly ecs: ECSClient;
  /** Polls the task until `check` holds (50 ms apart). */
  until(what: string, check: () => Promise<boolean>, ms?: number): Promise<void>;
  task(cluster: string, taskArn: string): Promise<EcsTaskRecord | undefined>;
  close(): Promise<void>;
}

/**
 * The in-process server of the Lambda tests (test/support/function-server.ts) with the ECS
 * scheduler running on fast settings, and an ECS client: what the tests of tasks' secrets,
 * credentials, logs and tags call with real clients.
 */
export async function startTaskServer(
  runtimes: TaskRuntimes = { process: createProcessTaskRuntime({ baseEnv: { PATH: "/usr/bin:/bin" } }) },
): Promise<TaskServer> {
  const server = await startFunctionServer({
    name: "ecs-tasks",
    ecs: { runtimes, scheduler: { intervalMs: 50, watchIntervalMs: 100, defaultStopTimeoutSeconds: 1 } },
  });
  const ecs = new ECSClient({
    endpoint: server.endpoint,
    region: scope.region,
    credentials: TEST_KEYS,
    maxAttempts: 1,
  });
  return {
    endpoint: server.endpoint,
    assembled: server.assembled,
    ecs,
    async until(what, check, ms = 60_000) {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        if (await check()) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`timed out waiting for ${what}`);
    },
    task: (cluster, taskArn) => server.stores.ecs.getTask(scope, cluster, taskArn.split("/").pop()!),
    async close() {
      ecs.destroy();
      await server.close();
    },
  };
}
