import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { createAuthenticator } from "../api/auth/authenticator.js";
import type { CredentialsResolver } from "../api/s3/deps.js";
import { createS3FrontEnd } from "../api/s3/s3-front-end.js";
import { systemClock } from "../lib/clock.js";
import type { Logger } from "../lib/logger.js";
import { createManualApprovalProvider } from "../providers/manual-approval/manual-approval-provider.js";
import { createTestFakeProvider } from "../providers/test-fake/test-fake-provider.js";
import type { ActionProvider } from "../providers/types.js";
import { defaultRuntimeOptions } from "../runtime/create-runtime.js";
import type { JobCredentials } from "../runtime/executions/job-credentials.js";
import { createSqliteStores } from "../store/sqlite/create-sqlite-stores.js";
import type { Stores } from "../store/types.js";
import { assemble } from "./assemble.js";
import { type Credential, checkServerConfig, type ServerConfig } from "./config.js";
import { dataDirIdentity } from "./data-dir.js";
import { toNodeListener } from "./node-http-adapter.js";
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
  const stores: Stores = createSqliteStores({ file: join(dataDir, "pipewright.db") });
  const identity = dataDirIdentity(dataDir);
  const exec = config.execution;
  const providers: ActionProvider[] = [createManualApprovalProvider()];
  if (exec.testProviders) {
    providers.push(
      createTestFakeProvider(exec.testMarkerDir ? { markerDir: exec.testMarkerDir } : {}).provider,
    );
  }
  const { app, runtime } = assemble({
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
    startOnCreate: exec.startOnCreate,
    authenticator: createAuthenticator(config.credentials),
    defaultScope: { accountId: config.accountId, region: config.region },
    maxBodyBytes: config.maxBodyBytes,
    version: PIPEWRIGHT_VERSION,
    frontEnds: ({ jobCredentials }) => [
      createS3FrontEnd({
        objects: stores.objects,
        resolveCredentials: s3Credentials(config.credentials, jobArtifactCredentials(stores, jobCredentials)),
        requireSignature: config.credentials.length > 0,
        defaultScope: { accountId: config.accountId, region: config.region },
        now: () => Date.now(),
        newRequestId: randomUUID,
        logger,
      }),
    ],
  });
  // Whatever a killed predecessor left carries on before new requests arrive.
  await runtime.start();

  const server = createServer({ keepAliveTimeout: 65_000 }, toNodeListener(app));
  await listen(server, config.host, config.port);
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    endpoint: `http://${host}:${address.port}`,
    async close() {
      await new Promise<void>((done) => server.close(() => done()));
      server.closeAllConnections();
      await runtime.stop();
      await stores.close();
    },
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((done, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => {
      server.off("error", fail);
      done();
    });
  });
}

/**
 * Per-job artifact keys (JobData.artifactCredentials): valid while their job is open, and only
 * on the buckets holding that job's artifacts.
 */
function jobArtifactCredentials(stores: Stores, jobCredentials: JobCredentials): CredentialsResolver {
  return async (accessKeyId) => {
    const jobId = jobCredentials.jobIdOf(accessKeyId);
    const job = jobId ? await stores.runs.getJob(jobId) : undefined;
    if (!job || (job.status !== "Dispatched" && job.status !== "InProgress")) return undefined;
    const keys = jobCredentials.forJob(job.jobId);
    const buckets = [
      ...new Set([...job.spec.inputArtifacts, ...job.spec.outputArtifacts].map((a) => a.bucket)),
    ];
    return { secretAccessKey: keys.secretAccessKey, sessionToken: keys.sessionToken, buckets };
  };
}

/**
 * The S3 front end's key resolver: the configured static keys (full access), then
 * `resolveJobCredentials` (temporary per-job keys, limited to their buckets) when given.
 */
function s3Credentials(
  staticCredentials: readonly Credential[],
  resolveJobCredentials?: CredentialsResolver,
): CredentialsResolver {
  const secrets = new Map(staticCredentials.map((c) => [c.accessKeyId, c.secretAccessKey]));
  return async (accessKeyId) => {
    const secretAccessKey = secrets.get(accessKeyId);
    if (secretAccessKey !== undefined) return { secretAccessKey };
    return resolveJobCredentials?.(accessKeyId);
  };
}
