import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAuthenticator } from "../../src/api/auth/authenticator.js";
import { createInsideCredentials } from "../../src/inside/index.js";
import { silentLogger } from "../../src/lib/logger.js";
import { type Assembled, type AssembleOptions, assemble } from "../../src/main/assemble.js";
import { toNodeListener } from "../../src/main/node-http-adapter.js";
import { systemClock } from "../../src/main/system-clock.js";
import { createManualApprovalProvider } from "../../src/providers/manual-approval/manual-approval-provider.js";
import { createTestFakeProvider } from "../../src/providers/test-fake/test-fake-provider.js";
import { defaultRuntimeOptions } from "../../src/runtime/create-runtime.js";
import { newSecretsKey } from "../../src/runtime/secrets/cipher.js";
import { createMemoryStores } from "../../src/store/memory/create-memory-stores.js";
import type { Stores } from "../../src/store/types.js";

export const TEST_KEYS = { accessKeyId: "x", secretAccessKey: "y" };

export interface FunctionServer {
  readonly endpoint: string;
  readonly assembled: Assembled;
  readonly stores: Stores;
  close(): Promise<void>;
}

export interface InProcessServerOptions {
  /** Runs the ECS scheduler with these runtimes and settings (not started otherwise). */
  readonly ecs?: AssembleOptions["ecs"];
  /** Names the temporary directory and the provider worker. */
  readonly name?: string;
}

/**
 * The whole server in this process on a real loopback port, with the system clock, memory
 * stores and SigV4 required (keys x / y; functions get their own temporary keys), its
 * background components running (the ECS scheduler too when `ecs` is given): what the Lambda
 * and ECS task tests call with the AWS CLI and SDKs.
 */
export async function startFunctionServer(options: InProcessServerOptions = {}): Promise<FunctionServer> {
  const name = options.name ?? "lambda";
  const dir = mkdtempSync(join(tmpdir(), `pipewright-${name}-`));
  const stores = createMemoryStores();
  const sessions = createInsideCredentials({ now: () => systemClock.now() });
  let endpoint = "http://127.0.0.1:0";
  const assembled = assemble({
    stores,
    providers: [createManualApprovalProvider(), createTestFakeProvider().provider],
    clock: systemClock,
    newId: randomUUID,
    logger: silentLogger,
    runtime: { ...defaultRuntimeOptions, workerId: `${name}-test`, pollIntervalMs: 50 },
    serverSecret: "test-secret",
    secretsKey: newSecretsKey(),
    startOnCreate: true,
    authenticator: createAuthenticator([TEST_KEYS], (id) => sessions.secretFor(id)?.secretAccessKey),
    insideCredentials: sessions,
    defaultScope: { accountId: "123456789012", region: "us-east-1" },
    maxBodyBytes: 10 * 1024 * 1024,
    version: "test",
    credentials: [TEST_KEYS],
    mirrorDir: join(dir, "mirrors"),
    publicEndpoint: () => endpoint,
    sourcePollIntervalMs: 1_000,
    buildsDir: join(dir, "builds"),
    dataDir: dir,
    ...(options.ecs ? { ecs: options.ecs } : {}),
  });
  await assembled.runtime.start();
  const server = createServer(toNodeListener(assembled.app));
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  if (options.ecs) assembled.ecs.start();
  return {
    endpoint,
    assembled,
    stores,
    async close() {
      if (options.ecs) await assembled.ecs.stop();
      await new Promise<void>((done) => server.close(() => done()));
      server.closeAllConnections();
      await assembled.functions.shutdown();
      await assembled.runtime.stop();
      await stores.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
