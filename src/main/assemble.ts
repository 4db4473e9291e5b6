import { type Authenticator, createApp, type FetchHandler, type RouteFrontEnd } from "../api/app.js";
import { createCodePipelineService } from "../api/codepipeline/service.js";
import type { Clock } from "../lib/clock.js";
import type { Logger } from "../lib/logger.js";
import type { ActionTypeSpec } from "../model/action-types/action-type.js";
import { builtinActionTypes } from "../model/action-types/builtin-action-types.js";
import { type ActionProvider, createProviderRegistry } from "../providers/types.js";
import { createRuntime, type Runtime, type RuntimeOptions } from "../runtime/create-runtime.js";
import { createCustomActionTypes } from "../runtime/definitions/custom-action-types.js";
import { createPipelineDefinitions } from "../runtime/definitions/pipeline-definitions.js";
import { createJobCredentials, type JobCredentials } from "../runtime/executions/job-credentials.js";
import { createJobWorkerService } from "../runtime/executions/job-worker-service.js";
import type { Scope, Stores } from "../store/types.js";

export interface AssembleOptions {
  readonly stores: Stores;
  readonly providers: readonly ActionProvider[];
  readonly clock: Clock;
  readonly newId: () => string;
  readonly logger: Logger;
  readonly runtime: RuntimeOptions;
  /** Signs per-job artifact credentials; kept in the data directory so restarts agree. */
  readonly serverSecret: string;
  readonly startOnCreate: boolean;
  readonly authenticator: Authenticator;
  readonly defaultScope: Scope;
  readonly maxBodyBytes: number;
  readonly version: string;
  /** Non-JSON front ends (S3, git, console), built by the caller with what this returns. */
  readonly frontEnds?: (parts: Omit<Assembled, "app">) => readonly RouteFrontEnd[];
}

export interface Assembled {
  readonly app: FetchHandler;
  readonly runtime: Runtime;
  readonly jobCredentials: JobCredentials;
  readonly definitions: ReturnType<typeof createPipelineDefinitions>;
  readonly actionTypes: ReturnType<typeof createCustomActionTypes>;
}

/**
 * Wires the parts of a Pipewright server from concrete stores and providers: the only place
 * besides server.ts that knows them. Used by the server and by in-process tests, so both run
 * the same composition.
 */
export function assemble(options: AssembleOptions): Assembled {
  const { stores, clock, logger } = options;
  const registry = createProviderRegistry(options.providers);
  const builtins = catalogueWith(options.providers, (id) => registry.find(id) !== undefined);
  const actionTypes = createCustomActionTypes(stores, builtins);
  const catalogFor = (scope: Scope) => actionTypes.catalogFor(scope);
  const definitions = createPipelineDefinitions({ stores, catalogFor });
  const runtime = createRuntime(
    {
      stores,
      registry,
      catalogFor,
      clock,
      newId: options.newId,
      logger,
      logFor: (job) => ({
        write: (line) =>
          logger.info(line, { jobId: job.jobId, action: `${job.spec.stageName}/${job.spec.actionName}` }),
      }),
    },
    options.runtime,
  );
  const jobCredentials = createJobCredentials(options.serverSecret);
  const jobWorkers = createJobWorkerService({
    stores,
    jobResults: runtime.jobResults,
    clock,
    newId: options.newId,
    dispatchLeaseMs: options.runtime.dispatchLeaseMs,
    ...(options.runtime.jobLeaseMs === undefined ? {} : { jobLeaseMs: options.runtime.jobLeaseMs }),
  });
  const parts = { runtime, jobCredentials, definitions, actionTypes };
  const app = createApp({
    jsonServices: [
      createCodePipelineService({
        definitions,
        actionTypes,
        executions: runtime.orchestrator,
        jobResults: runtime.jobResults,
        jobWorkers,
        jobCredentials,
        runs: stores.runs,
        startOnCreate: options.startOnCreate,
      }),
    ],
    frontEnds: options.frontEnds?.(parts) ?? [],
    authenticator: options.authenticator,
    defaultScope: options.defaultScope,
    maxBodyBytes: options.maxBodyBytes,
    logger,
    now: () => clock.now(),
    newRequestId: options.newId,
    version: options.version,
  });
  return { app, ...parts };
}

/** AWS's built-in types, marked executable where a provider runs them, plus providers' own types. */
function catalogueWith(
  providers: readonly ActionProvider[],
  runs: (id: ActionTypeSpec["id"]) => boolean,
): ActionTypeSpec[] {
  return [
    ...builtinActionTypes.map((spec) => ({ ...spec, executable: runs(spec.id) })),
    ...providers.flatMap((p) => p.specs ?? []),
  ];
}
