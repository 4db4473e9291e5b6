import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { createApp } from "../api/app.js";
import { createAuthenticator } from "../api/auth/authenticator.js";
import { createCodePipelineService } from "../api/codepipeline/service.js";
import type { Logger } from "../lib/logger.js";
import { createCustomActionTypes } from "../runtime/definitions/custom-action-types.js";
import { createPipelineDefinitions } from "../runtime/definitions/pipeline-definitions.js";
import { createSqliteStores } from "../store/sqlite/create-sqlite-stores.js";
import type { Stores } from "../store/types.js";
import { checkServerConfig, type ServerConfig } from "./config.js";
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

  const actionTypes = createCustomActionTypes(stores);
  const definitions = createPipelineDefinitions({
    stores,
    catalogFor: (scope) => actionTypes.catalogFor(scope),
  });
  const app = createApp({
    jsonServices: [createCodePipelineService({ definitions, actionTypes })],
    authenticator: createAuthenticator(config.credentials),
    defaultScope: { accountId: config.accountId, region: config.region },
    maxBodyBytes: config.maxBodyBytes,
    logger,
    now: () => Date.now(),
    newRequestId: randomUUID,
    version: PIPEWRIGHT_VERSION,
  });

  const server = createServer({ keepAliveTimeout: 65_000 }, toNodeListener(app));
  await listen(server, config.host, config.port);
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    endpoint: `http://${host}:${address.port}`,
    async close() {
      await new Promise<void>((done) => server.close(() => done()));
      server.closeAllConnections();
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
