import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { createAuthenticator } from "../api/auth/authenticator.js";
import { createInsideCredentials } from "../inside/index.js";
import type { Logger } from "../lib/logger.js";
import { createManualApprovalProvider } from "../providers/manual-approval/manual-approval-provider.js";
import { createTestFakeProvider } from "../providers/test-fake/test-fake-provider.js";
import type { ActionProvider } from "../providers/types.js";
import { createComponentHost } from "../runtime/components/component.js";
import { defaultRuntimeOptions } from "../runtime/create-runtime.js";
import { createSqliteStores } from "../store/sqlite/create-sqlite-stores.js";
import type { Stores } from "../store/types.js";
import { assemble } from "./assemble.js";
import { ConfigError, checkServerConfig, type ServerConfig } from "./config.js";
import { dataDirIdentity } from "./data-dir.js";
import { lockDataDir } from "./data-dir-lock.js";
import { ecsTaskRuntimes } from "./ecs-runtimes.js";
import { toNodeListener } from "./node-http-adapter.js";
import { systemClock } from "./system-clock.js";
import { fileTargetGroupPorts } from "./target-group-ports.js";
import { PIPEWRIGHT_VERSION } from "./version.js";

export interface RunningServer {
  /** `http://host:port`, with the port actually bound (useful with --port 0). */
  readonly endpoint: string;
  close(): Promise<void>;
}

/**
 * The composition root of the server: the only place that picks concrete stores and binds a
 * port. Everything else receives its collaborators.
 */
export async function startServer(config: ServerConfig, logger: Logger): Promise<RunningServer> {
  checkServerConfig(config);
  const dataDir = resolve(config.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const unlock = lockDataDir(dataDir);
  try {
    return await serve(config, logger, dataDir, unlock);
  } catch (error) {
    unlock();
    throw error;
  }
}

async function serve(
  config: ServerConfig,
  logger: Logger,
  dataDir: string,
  unlock: () => void,
): Promise<RunningServer> {
  const stores: Stores = createSqliteStores({ file: join(dataDir, "pipewright.db") });
  const identity = dataDirIdentity(dataDir);
  // Known once the server listens; clone URLs of hosted repositories are built from it.
  let endpoint = `http://${config.host}:${config.port}`;
  const exec = config.execution;
  const providers: ActionProvider[] = [createManualApprovalProvider()];
  if (exec.testProviders) {
    providers.push(
      createTestFakeProvider(exec.testMarkerDir ? { markerDir: exec.testMarkerDir } : {}).provider,
    );
  }
  const inside = createInsideCredentials({ now: () => systemClock.now() });
  const ecsRuntimes = await ecsTaskRuntimes({ serverSecret: identity.secret, now: () => systemClock.now() });
  const { app, runtime, buildWiring, registry, ecs, functions } = assemble({
    stores,
    providers,
    clock: systemClock,
    newId: randomUUID,
    logger,
    runtime: {
      ...defaultRuntimeOptions,
      timeouts: exec.actionTimeouts,
      workerId: `provider-worker:${identity.nodeId}`,
      dispatchLeaseMs: exec.dispatchLeaseMs,
      ...(exec.jobLeaseMs === undefined ? {} : { jobLeaseMs: exec.jobLeaseMs }),
      maxJobAttempts: exec.maxJobAttempts,
      pollIntervalMs: exec.pollIntervalMs,
    },
    serverSecret: identity.secret,
    secretsKey: identity.secretsKey,
    startOnCreate: exec.startOnCreate,
    authenticator: createAuthenticator(config.credentials, (id) => inside.secretFor(id)?.secretAccessKey),
    insideCredentials: inside,
    defaultScope: { accountId: config.accountId, region: config.region },
    maxBodyBytes: config.maxBodyBytes,
    version: PIPEWRIGHT_VERSION,
    credentials: config.credentials,
    mirrorDir: join(dataDir, "mirrors"),
    publicEndpoint: () => endpoint,
    sourcePollIntervalMs: exec.sourcePollIntervalMs,
    buildsDir: join(dataDir, "builds"),
    dataDir,
    ...(process.env.PIPEWRIGHT_REGISTRY_HOST ? { registryHost: process.env.PIPEWRIGHT_REGISTRY_HOST } : {}),
    builds: {
      executor: exec.buildExecutor,
      maxConcurrentBuilds: exec.maxConcurrentBuilds,
      minuteMs: exec.buildMinuteMs,
      keepWorkspaces: exec.keepBuildWorkspaces,
    },
    ecs: {
      runtimes: ecsRuntimes,
      nodeId: identity.nodeId,
      targetGroupPorts: fileTargetGroupPorts(join(dataDir, "load-balancers.json")),
    },
  });
  // What a killed predecessor left: its builds are rescued (a started one ends FAULT and fails
  // its pipeline action; a queued one runs again), then unfinished executions carry on, before
  // new requests arrive.
  await buildWiring.recover();
  await runtime.start();
  const registryComponents = createComponentHost([registry.garbageCollector], logger);
  registryComponents.start();
  await ecs.recover();
  ecs.start();

  const server = createServer({ keepAliveTimeout: 65_000 }, toNodeListener(app));
  const shutDown = async () => {
    await registryComponents.stop();
    await ecs.stop();
    await buildWiring.worker.stopAll();
    await runtime.stop();
    // Warm function processes (started ahead for the next invocation) would keep the process
    // alive for their 5 idle minutes after SIGTERM.
    await functions.shutdown();
    await stores.close();
  };
  try {
    await listen(server, config.host, config.port);
  } catch (error) {
    await shutDown();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  endpoint = `http://${host}:${address.port}`;
  return {
    endpoint,
    async close() {
      await new Promise<void>((done) => server.close(() => done()));
      server.closeAllConnections();
      await shutDown();
      unlock();
    },
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((done, fail) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      fail(
        error.code === "EADDRINUSE"
          ? new ConfigError(
              `port ${port} on ${host} is in use (another Pipewright server?); stop it, or pick another with --port`,
            )
          : error.code === "EACCES"
            ? new ConfigError(
                `port ${port} on ${host} needs more privileges than this user has; pick one above 1024 with --port`,
              )
            : error,
      );
    });
    server.listen(port, host, () => {
      server.removeAllListeners("error");
      done();
    });
  });
}
