import { join } from "node:path";
import { type Authenticator, createApp, type FetchHandler } from "../api/app.js";
import { createCodeBuildService } from "../api/codebuild/service.js";
import { createCodeCommitService } from "../api/codecommit/service.js";
import { createCodePipelineService } from "../api/codepipeline/service.js";
import { createConnectionServices } from "../api/connections/service.js";
import { createConsole } from "../api/console/console-front-end.js";
import { createEcrService } from "../api/ecr/service.js";
import { createEcsService } from "../api/ecs/service.js";
import { createGitFrontEnd, type PushListener } from "../api/git/index.js";
import { createLogsService } from "../api/logs/service.js";
import { createBuildLogsFrontEnd } from "../api/pipewright/build-logs-front-end.js";
import { createNotifyFrontEnd } from "../api/pipewright/notify-front-end.js";
import { createAuthorizationTokens } from "../api/registry/authorization-token.js";
import { createS3FrontEnd } from "../api/s3/s3-front-end.js";
import { createSecretsManagerService } from "../api/secretsmanager/service.js";
import { createSsmService } from "../api/ssm/service.js";
import { createStsFrontEnd } from "../api/sts/sts-front-end.js";
import type { ExecutorSelector } from "../build-agent/types.js";
import { createInsideCredentials, type InsideCredentials } from "../inside/index.js";
import type { Clock } from "../lib/clock.js";
import type { Logger } from "../lib/logger.js";
import type { ActionTypeSpec } from "../model/action-types/action-type.js";
import { builtinActionTypes } from "../model/action-types/builtin-action-types.js";
import { buildOutcome } from "../providers/codebuild/codebuild-provider.js";
import { createCodeDeployToEcsProvider } from "../providers/ecs-deploy/code-deploy-to-ecs-provider.js";
import {
  createEcsDeployProvider,
  type EcsDeployProviderOptions,
} from "../providers/ecs-deploy/ecs-deploy-provider.js";
import { type ActionProvider, createProviderRegistry } from "../providers/types.js";
import type { BuildService, BuildServiceOptions } from "../runtime/builds/build-service.js";
import type { ProjectService } from "../runtime/builds/project-service.js";
import { createRuntime, type Runtime, type RuntimeOptions } from "../runtime/create-runtime.js";
import { createCustomActionTypes } from "../runtime/definitions/custom-action-types.js";
import { createPipelineDefinitions } from "../runtime/definitions/pipeline-definitions.js";
import { createJobCredentials, type JobCredentials } from "../runtime/executions/job-credentials.js";
import { createJobWorkerService } from "../runtime/executions/job-worker-service.js";
import { createSecretCipher } from "../runtime/secrets/cipher.js";
import { createConfigurationSealer } from "../runtime/secrets/configuration-sealer.js";
import { createParameterService } from "../runtime/secrets/parameters.js";
import { createSecretResolver, type SecretResolverDeps } from "../runtime/secrets/resolver.js";
import { createSecretService } from "../runtime/secrets/secrets.js";
import { type Connections, createConnections } from "../runtime/sources/connections.js";
import type { Scope, Stores } from "../store/types.js";
import { type BuildWiring, defaultBuildOptions, wireBuilds } from "./builds.js";
import { codeDeployToEcsTarget } from "./code-deploy-to-ecs-target.js";
import type { Credential } from "./config.js";
import { type EcsWiring, type EcsWiringOptions, wireEcs } from "./ecs.js";
import { ecsDeployTarget } from "./ecs-deploy-target.js";
import { type FunctionWiring, wireFunctions } from "./functions.js";
import { wireInside } from "./inside.js";
import { createFileLogStore } from "./log-files.js";
import { type RegistryWiring, wireRegistry } from "./registry.js";
import { jobArtifactCredentials, s3Credentials } from "./s3-credentials.js";
import { wireSources } from "./sources.js";

export interface AssembleOptions {
  readonly stores: Stores;
  readonly providers: readonly ActionProvider[];
  readonly clock: Clock;
  readonly newId: () => string;
  readonly logger: Logger;
  readonly runtime: RuntimeOptions;
  /** Signs per-job artifact credentials; kept in the data directory so restarts agree. */
  readonly serverSecret: string;
  /**
   * The 32-byte AES-256-GCM key that encrypts Parameter Store and Secrets Manager values at rest
   * (`secrets.key` in the data directory; a random one in tests). Never logged.
   */
  readonly secretsKey: Uint8Array;
  readonly startOnCreate: boolean;
  readonly authenticator: Authenticator;
  readonly defaultScope: Scope;
  readonly maxBodyBytes: number;
  readonly version: string;
  /**
   * Keys that may call the APIs, push and fetch git, and use S3 (empty: anyone, which the server
   * allows only on loopback). The JSON API's check is `authenticator`; git and S3 verify their own.
   */
  readonly credentials: readonly Credential[];
  /** Where mirrors of repositories behind connections are kept. */
  readonly mirrorDir: string;
  /** This server's URL (known once it listens), for clone URLs of hosted repositories. */
  readonly publicEndpoint: () => string;
  /** How often polled sources (PollForSourceChanges, connection repositories) are looked at. */
  readonly sourcePollIntervalMs: number;
  /** CodeBuild: where build workspaces and project caches are kept. */
  readonly buildsDir: string;
  /** The server's data directory, which sandboxed builds must not see (its database, secrets.key). */
  readonly dataDir?: string;
  /** CodeBuild: concurrency, timeout scale, executor (defaults: defaultBuildOptions). */
  readonly builds?: Partial<BuildServiceOptions>;
  /** CodeBuild: how builds pick an executor (tests pass their own; default: bubblewrap, Docker). */
  readonly executors?: ExecutorSelector;
  /** The registry's `host:port` in repositoryUri (PIPEWRIGHT_REGISTRY_HOST); default: publicEndpoint's. */
  readonly registryHost?: string;
  /**
   * Temporary credentials of code Pipewright runs (builds); the server passes the ones its
   * authenticator also checks. Default: a fresh set.
   */
  readonly insideCredentials?: InsideCredentials;
  /** ECS: where tasks run and the scheduler's settings (main/ecs.ts); default host processes. */
  readonly ecs?: Pick<EcsWiringOptions, "runtimes" | "scheduler" | "ids" | "nodeId" | "targetGroupPorts">;
  /** The ECS deploy action (how often it looks at its deployment). */
  readonly ecsDeploy?: EcsDeployProviderOptions;
  /** Lambda-compatible functions: where their code is unpacked (default `<buildsDir>/functions`). */
  readonly functionsDir?: string;
  /** How functions are sandboxed (default: bubblewrap where it works, else none). */
  readonly functionSandbox?: "bwrap" | "none";
}

export interface Assembled {
  readonly app: FetchHandler;
  readonly runtime: Runtime;
  readonly jobCredentials: JobCredentials;
  readonly definitions: ReturnType<typeof createPipelineDefinitions>;
  readonly actionTypes: ReturnType<typeof createCustomActionTypes>;
  readonly connections: Connections;
  /** Parameter Store and Secrets Manager: pass to createSecretResolver(secrets, scope) for builds. */
  readonly secrets: SecretResolverDeps;
  /** CodeBuild projects and builds. */
  readonly builds: BuildService;
  /** The build side's start-up recovery and its in-process worker (main/builds.ts). */
  readonly buildWiring: BuildWiring;
  readonly projects: ProjectService;
  /** The container registry (its garbage collector is scheduled by the server). */
  readonly registry: RegistryWiring;
  /** Amazon ECS: clusters, task definitions, services, tasks (main/ecs.ts). */
  readonly ecs: EcsWiring;
  /** Lambda-compatible functions (main/functions.ts). */
  readonly functions: FunctionWiring["service"];
}

/**
 * Wires the parts of a Pipewright server from concrete stores and providers: the only place
 * besides server.ts that knows them. Used by the server and by in-process tests, so both run
 * the same composition.
 */
export function assemble(options: AssembleOptions): Assembled {
  const { stores, clock, logger } = options;
  // Source providers need the connections, which need nothing but the store: build those first.
  const earlyConnections = createConnections(stores.connections, options.newId);
  const sourceWiring = wireSources({
    stores,
    connections: earlyConnections,
    mirrorDir: options.mirrorDir,
    publicEndpoint: options.publicEndpoint,
    logger,
  });
  const cipher = createSecretCipher(options.secretsKey);
  const secrets: SecretResolverDeps = {
    parameters: createParameterService({ store: stores.parameters, cipher }),
    secrets: createSecretService({ store: stores.secrets, cipher }),
    clock,
  };
  const tokens = createAuthorizationTokens(options.serverSecret);
  const registryHost = () => options.registryHost || new URL(options.publicEndpoint()).host;
  const sessions = options.insideCredentials ?? createInsideCredentials({ now: () => clock.now() });
  const inside = wireInside({
    sessions,
    tokens,
    shimDir: join(options.buildsDir, "inside-bin"),
    publicEndpoint: options.publicEndpoint,
    registryHost,
  });
  const buildWiring = wireBuilds({
    stores,
    clock,
    newId: options.newId,
    logger,
    secrets: (scope) => createSecretResolver(secrets, scope),
    buildsDir: options.buildsDir,
    ...(options.dataDir === undefined ? {} : { hideFromBuilds: [options.dataDir] }),
    publicEndpoint: options.publicEndpoint,
    options: { ...defaultBuildOptions, workerId: `${options.runtime.workerId}/builds`, ...options.builds },
    pollIntervalMs: options.runtime.pollIntervalMs,
    inside: inside.builds,
    ...(options.executors === undefined ? {} : { executors: options.executors }),
  });
  const images = wireRegistry({
    stores,
    clock,
    logger,
    newId: options.newId,
    tokens,
    credentials: options.credentials,
    scope: options.defaultScope,
    registryHost,
  });
  const functionWiring = wireFunctions({
    stores,
    clock,
    newId: options.newId,
    logger,
    sessions,
    dir: options.functionsDir ?? join(options.buildsDir, "functions"),
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    publicEndpoint: options.publicEndpoint,
    registryHost,
    serverSecret: options.serverSecret,
    ...(options.functionSandbox === undefined ? {} : { sandbox: options.functionSandbox }),
  });
  const taskLogs = createFileLogStore(join(options.dataDir ?? options.buildsDir, "logs"));
  const ecs = wireEcs({
    stores,
    clock,
    logger,
    ...options.ecs,
    access: { secrets: (scope) => createSecretResolver(secrets, scope), open: inside.tasks.open },
    logs: taskLogs,
  });
  const providers = [
    ...options.providers,
    ...sourceWiring.providers,
    buildWiring.provider,
    images.provider,
    createEcsDeployProvider(ecsDeployTarget(ecs.api), options.ecsDeploy),
    createCodeDeployToEcsProvider(codeDeployToEcsTarget(ecs), options.ecsDeploy),
    functionWiring.provider,
  ];
  const registry = createProviderRegistry(providers);
  const builtins = catalogueWith(providers, (id) => registry.find(id) !== undefined);
  const actionTypes = createCustomActionTypes(stores, builtins);
  const catalogFor = (scope: Scope) => actionTypes.catalogFor(scope);
  // Secret-typed action configuration is sealed at rest with the same key as Parameter Store.
  const sealer = createConfigurationSealer(cipher);
  const definitions = createPipelineDefinitions({ stores, catalogFor, sealer, logger });
  const webConsole = createConsole({
    credentials: options.credentials,
    defaultScope: options.defaultScope,
    scopes: () => stores.pipelines.scopes(),
    overview: { pipelines: stores.pipelines, runs: stores.runs },
    now: () => clock.now(),
    version: options.version,
  });
  const runtime = createRuntime(
    {
      stores,
      registry,
      catalogFor,
      clock,
      newId: options.newId,
      logger,
      logFor: (job) => ({
        write: (line) => {
          logger.info(line, { jobId: job.jobId, action: `${job.spec.stageName}/${job.spec.actionName}` });
          webConsole.actionLog(job.spec.actionExecutionId, line);
        },
      }),
      sources: { ...sourceWiring.deps, pollIntervalMs: options.sourcePollIntervalMs },
      openConfiguration: sealer.openAll,
      components: buildWiring.components,
      onRunChanged: (scope, name) => webConsole.runChanged(scope, name),
    },
    options.runtime,
  );
  buildWiring.builds.wake = () => runtime.wake("build-worker");
  actionTypes.onChanged((scope) => runtime.plans.forgetScope(scope));
  // A pipeline build's end completes its action: the newest open job of the action run (a
  // re-offered job after a restart has a new id; the build is the same).
  buildWiring.onPipelineBuildEnded(async (_scope, link, build) => {
    const job = await stores.queue.openJobOf(link.actionExecutionId);
    if (!job) return;
    const reported = await runtime.jobResults.completeJob(job.jobId, buildOutcome(build), "worker");
    if (!reported.ok)
      logger.info("build result not recorded", { buildId: build.id, reason: reported.error.message });
  });
  images.bindSourceEvents(runtime.sourceEvents);
  const jobCredentials = createJobCredentials(options.serverSecret);
  const jobWorkers = createJobWorkerService({
    stores,
    jobResults: runtime.jobResults,
    clock,
    newId: options.newId,
    dispatchLeaseMs: options.runtime.dispatchLeaseMs,
    openConfiguration: sealer.openAll,
    ...(options.runtime.jobLeaseMs === undefined ? {} : { jobLeaseMs: options.runtime.jobLeaseMs }),
  });
  const parts = {
    runtime,
    jobCredentials,
    definitions,
    actionTypes,
    connections: earlyConnections,
    secrets,
    builds: buildWiring.builds,
    buildWiring,
    projects: buildWiring.projects,
    registry: images,
    ecs,
    functions: functionWiring.service,
  };
  const onHostedPush: PushListener = async (push) => {
    const refs = await sourceWiring.pushedRefs(push.repository, push.updates);
    await runtime.sourceEvents.onHostedPush(push.scope, push.repository.name, refs);
  };
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
      createCodeCommitService({
        repositories: stores.repositories,
        tags: stores.tags,
        newId: options.newId,
        // CreateCommit starts pipelines through the same listener as a git push (onHostedPush).
        onCommit: onHostedPush,
        logger,
      }),
      ...createConnectionServices(earlyConnections),
      createSsmService({ parameters: secrets.parameters }),
      createSecretsManagerService({ secrets: secrets.secrets }),
      createCodeBuildService({
        projects: buildWiring.projects,
        builds: buildWiring.builds,
        reports: { get: (scope, arn) => stores.builds.getReport(scope, arn) },
      }),
      createEcrService(images.ecr),
      createEcsService(parts.ecs.api),
      createLogsService({ logs: taskLogs }),
    ],
    frontEnds: [
      createStsFrontEnd({
        authenticator: options.authenticator,
        defaultScope: options.defaultScope,
        maxBodyBytes: options.maxBodyBytes,
        now: () => clock.now(),
        newRequestId: options.newId,
      }),
      createGitFrontEnd({
        repositories: stores.repositories,
        credentials: options.credentials,
        defaultScope: options.defaultScope,
        // A push starts the pipelines it triggers before `git push` returns.
        onPush: onHostedPush,
        newRequestId: options.newId,
        logger,
      }),
      createS3FrontEnd({
        objects: stores.objects,
        resolveCredentials: s3Credentials(options.credentials, async (accessKeyId) => {
          // A build's own keys (inside access) reach every bucket, as a CodeBuild service role might.
          const session = sessions.secretFor(accessKeyId);
          if (session)
            return { secretAccessKey: session.secretAccessKey, sessionToken: session.sessionToken };
          return jobArtifactCredentials(stores, jobCredentials)(accessKeyId);
        }),
        requireSignature: options.credentials.length > 0,
        defaultScope: options.defaultScope,
        now: () => clock.now(),
        newRequestId: options.newId,
        logger,
        onObjectCreated: async (scope, object) => {
          await runtime.sourceEvents.onObjectCreated(scope, object.bucket, object.key, object.versionId);
        },
      }),
      images.frontEnd,
      inside.frontEnd,
      createBuildLogsFrontEnd({
        credentials: options.credentials,
        defaultScope: options.defaultScope,
        buildExists: async (scope, id) => (await buildWiring.builds.get(scope, id)) !== undefined,
        read: (scope, id, after, limit) => buildWiring.builds.logs.read(scope, id, after, limit),
        subscribe: (id, listener) => buildWiring.builds.logs.subscribe(id, listener),
        authorizes: webConsole.authorizesRead,
      }),
      createNotifyFrontEnd({
        notify: (arn, repo) => runtime.sourceEvents.notify(options.defaultScope, arn, repo),
        logger,
      }),
      functionWiring.frontEnd({
        // The console's session (and X-Pipewright-Region) count here too: its Functions pages.
        authenticator: webConsole.authenticator(options.authenticator),
        defaultScope: options.defaultScope,
        newRequestId: options.newId,
      }),
      webConsole.pages,
      webConsole.api,
    ],
    authenticator: webConsole.authenticator(options.authenticator),
    home: webConsole.home,
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
