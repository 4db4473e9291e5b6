import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ECSClient } from "@aws-sdk/client-ecs";
import { createAuthenticator } from "../../src/api/auth/authenticator.js";
import { createInsideCredentials } from "../../src/inside/index.js";
import { silentLogger } from "../../src/lib/logger.js";
import { type Assembled, assemble } from "../../src/main/assemble.js";
import { toNodeListener } from "../../src/main/node-http-adapter.js";
import { systemClock } from "../../src/main/system-clock.js";
import { createManualApprovalProvider } from "../../src/providers/manual-approval/manual-approval-provider.js";
import { createTestFakeProvider } from "../../src/providers/test-fake/test-fake-provider.js";
import { defaultRuntimeOptions } from "../../src/runtime/create-runtime.js";
import type { TaskRuntimes } from "../../src/runtime/ecs/task-driver.js";
import { newSecretsKey } from "../../src/runtime/secrets/cipher.js";
import { createMemoryStores } from "../../src/store/memory/create-memory-stores.js";
import type { EcsTaskRecord } from "../../src/store/types.js";
import { createProcessTaskRuntime } from "../../src/task-runtime/process-runtime.js";

export const TEST_KEYS = { accessKeyId: "x", secretAccessKey: "y" };
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
 * The whole server in this process on a loopback port (system clock, memory stores, SigV4 with
 * keys x / y plus the inside sessions' keys) with the ECS scheduler running on fast settings:
 * what the tests of tasks' secrets, credentials, logs and tags call with real clients.
 */
export async function startTaskServer(
  runtimes: TaskRuntimes = { process: createProcessTaskRuntime({ baseEnv: { PATH: "/usr/bin:/bin" } }) },
): Promise<TaskServer> {
  const dir = mkdtempSync(join(tmpdir(), "pipewright-ecs-tasks-"));
  const stores = createMemoryStores();
  const sessions = createInsideCredentials({ now: () => systemClock.now() });
  let endpoint = "http://127.0.0.1:0";
  const assembled = assemble({
    stores,
    providers: [createManualApprovalProvider(), createTestFakeProvider().provider],
    clock: systemClock,
    newId: randomUUID,
    logger: silentLogger,
    runtime: { ...defaultRuntimeOptions, workerId: "ecs-task-test", pollIntervalMs: 50 },
    serverSecret: "test-secret",
    secretsKey: newSecretsKey(),
    startOnCreate: true,
    authenticator: createAuthenticator([TEST_KEYS], (id) => sessions.secretFor(id)?.secretAccessKey),
    insideCredentials: sessions,
    defaultScope: scope,
    maxBodyBytes: 10 * 1024 * 1024,
    version: "test",
    credentials: [TEST_KEYS],
    mirrorDir: join(dir, "mirrors"),
    publicEndpoint: () => endpoint,
    sourcePollIntervalMs: 1_000,
    buildsDir: join(dir, "builds"),
    dataDir: dir,
    ecs: {
      runtimes,
      scheduler: { intervalMs: 50, watchIntervalMs: 100, defaultStopTimeoutSeconds: 1 },
    },
  });
  const server = createServer(toNodeListener(assembled.app));
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  assembled.ecs.start();
  const ecs = new ECSClient({ endpoint, region: scope.region, credentials: TEST_KEYS, maxAttempts: 1 });
  return {
    endpoint,
    assembled,
    ecs,
    async until(what, check, ms = 60_000) {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        if (await check()) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`timed out waiting for ${what}`);
    },
    task: (cluster, taskArn) => stores.ecs.getTask(scope, cluster, taskArn.split("/").pop()!),
    async close() {
      ecs.destroy();
      await assembled.ecs.stop();
      await new Promise<void>((done) => server.close(() => done()));
      server.closeAllConnections();
      await assembled.functions.shutdown();
      await stores.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
