import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import type { Authenticator, RouteFrontEnd } from "../api/app.js";
import { createLambdaFrontEnd } from "../api/lambda/lambda-front-end.js";
import { type InsideCredentials, insideEnvironment, writeShims } from "../inside/index.js";
import { bwrapWorks, createFunctionRunner, runtimeFamily } from "../lambda/index.js";
import type { Clock } from "../lib/clock.js";
import type { Logger } from "../lib/logger.js";
import { createLambdaInvokeProvider } from "../providers/lambda-invoke/lambda-invoke-provider.js";
import type { ActionProvider } from "../providers/types.js";
import { createJobCredentials } from "../runtime/executions/job-credentials.js";
import { createFunctionService, type FunctionService } from "../runtime/functions/function-service.js";
import type { FunctionExecutor } from "../runtime/functions/ports.js";
import type { Scope, Stores } from "../store/types.js";

export interface FunctionWiringOptions {
  readonly stores: Stores;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly logger: Logger;
  readonly sessions: InsideCredentials;
  /** Where unpacked code, bootstraps and shims go. */
  readonly dir: string;
  /** The data directory, hidden from sandboxed functions. */
  readonly dataDir?: string;
  readonly publicEndpoint: () => string;
  readonly registryHost: () => string;
  readonly serverSecret: string;
  /** `bwrap` (default where bubblewrap works) or `none`. */
  readonly sandbox?: "bwrap" | "none";
  /** node_modules offered to functions (default: Pipewright's own, which holds the AWS SDK v3 and v2). */
  readonly runtimeModules?: string;
  /** Start each function's next process ahead (default true; src/lambda/function-runner.ts). */
  readonly warm?: boolean;
}

/** How long a process started ahead waits for its invocation. */
const IDLE_MS = 5 * 60_000;

export interface FunctionWiring {
  readonly service: FunctionService;
  readonly provider: ActionProvider;
  frontEnd(deps: {
    authenticator: Authenticator;
    defaultScope: Scope;
    newRequestId: () => string;
  }): RouteFrontEnd;
}

/**
 * Wires Lambda-compatible functions: the runner (src/lambda) behind the function service's
 * executor port, each invocation with its own inside session (temporary keys the API and S3
 * accept, as AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, and the endpoint
 * variables and SDK v2 preload of src/inside), the Lambda front end and the Invoke action.
 */
export function wireFunctions(o: FunctionWiringOptions): FunctionWiring {
  const sandbox = o.sandbox ?? (bwrapWorks() ? "bwrap" : "none");
  const runner = createFunctionRunner({
    dir: o.dir,
    sandbox,
    ...(o.dataDir === undefined ? {} : { hide: [o.dataDir] }),
    runtimeModules: o.runtimeModules ?? resolve(import.meta.dirname, "../../node_modules"),
    warm: o.warm ?? true,
    idleMs: IDLE_MS,
  });
  const shimDir = writeShims(join(o.dir, "shims"));
  const python = spawnSync("python3", ["--version"], { stdio: "ignore" }).status === 0;
  const executor: FunctionExecutor = {
    supports: (runtime) => {
      const family = runtimeFamily(runtime);
      return family === "node" || (family === "python" && python);
    },
    checkCode: (zip, runtime, handler) => runner.checkCode(zip, runtime, handler),
    async run(request) {
      const { scope, fn } = request;
      const endpoint = loopback(o.publicEndpoint());
      return runner.run({
        fn: { ...fn, functionArn: request.functionArn },
        code: request.code,
        payload: request.payload,
        requestId: request.requestId,
        ...(request.signal ? { signal: request.signal } : {}),
        // One session per process, valid while it may wait (started ahead) and run.
        platform: () => {
          const session = o.sessions.open(
            { kind: "function", id: fn.functionName, scope },
            IDLE_MS + (fn.timeout + 60) * 1000,
          );
          const inside = insideEnvironment({
            endpoint,
            registryHost: o.registryHost(),
            authorizationToken: session.authorizationToken,
            shimDir,
          });
          delete inside.AWS_CONTAINER_CREDENTIALS_FULL_URI;
          delete inside.AWS_CONTAINER_AUTHORIZATION_TOKEN;
          return {
            variables: {
              ...inside,
              AWS_REGION: scope.region,
              AWS_DEFAULT_REGION: scope.region,
              AWS_ACCESS_KEY_ID: session.accessKeyId,
              AWS_SECRET_ACCESS_KEY: session.secretAccessKey,
              AWS_SESSION_TOKEN: session.sessionToken,
            },
            close: session.close,
          };
        },
      });
    },
    shutdown: () => runner.shutdown(),
  };
  const service = createFunctionService({
    functions: o.stores.functions,
    objects: o.stores.objects,
    executor,
    clock: o.clock,
    newId: o.newId,
    logger: o.logger,
  });
  const jobCredentials = createJobCredentials(o.serverSecret);
  const provider = createLambdaInvokeProvider({
    async invoke(scope, functionName, event, signal) {
      const requestId = o.newId();
      const invoked = await service.invoke(scope, functionName, {
        invocationType: "RequestResponse",
        payload: event,
        requestId,
        signal,
      });
      if (!invoked.ok)
        return { ok: false, message: `Error calling Invoke on ${functionName}: ${invoked.error.message}` };
      const r = invoked.value.result!;
      return {
        ok: true,
        requestId,
        log: r.log,
        durationMs: r.durationMs,
        ...(r.functionError ? { functionError: r.functionError } : {}),
        ...(r.error ? { error: r.error } : {}),
      };
    },
    async awaitingResult(jobId) {
      const job = await o.stores.queue.getJob(jobId);
      return job?.status === "InProgress" || job?.status === "Dispatched";
    },
    artifactCredentials: (jobId) => jobCredentials.forJob(jobId),
    async prepareOutputs(ctx) {
      for (const name of new Set(ctx.outputArtifacts.map((a) => a.bucket))) {
        if (await o.stores.objects.getBucket(name)) continue;
        await o.stores.objects.createBucket({
          scope: { accountId: ctx.accountId, region: ctx.region },
          name,
          created: o.clock.now(),
        });
      }
    },
  });
  return {
    service,
    provider,
    frontEnd: (deps) =>
      createLambdaFrontEnd({ ...deps, functions: service, now: () => o.clock.now(), logger: o.logger }),
  };
}

/** A server listening on every address is reached on 127.0.0.1 from inside. */
function loopback(endpoint: string): string {
  const url = new URL(endpoint);
  if (url.hostname === "0.0.0.0" || url.hostname === "[::]" || url.hostname === "::")
    url.hostname = "127.0.0.1";
  return url.origin;
}
