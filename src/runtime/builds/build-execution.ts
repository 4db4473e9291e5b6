import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type {
  AgentRequest,
  AgentResult,
  ArtifactOutput,
  ExecutorPreference,
  PhaseRecord,
  ProducedArtifact,
  SourceInfo,
} from "../../build-agent/types.js";
import { reportArn, reportGroupOf } from "../../codebuild/arns.js";
import { abortedBuild, finishedBuild, withAgentPhases } from "../../codebuild/build-document.js";
import type {
  BuildArtifactsDocument,
  BuildDocument,
  ProjectArtifacts,
  ReportDocument,
} from "../../codebuild/documents.js";
import type { Scope } from "../../store/types.js";
import type { BuildServiceDeps } from "./build-service.js";
import type { BuildLogHub } from "./log-hub.js";
import type { PipelineBuildIo } from "./ports.js";

const REPORT_DAYS_MS = 30 * 24 * 3600 * 1000;

export interface Execution {
  readonly deps: BuildServiceDeps;
  readonly logs: BuildLogHub;
  readonly scope: Scope;
  readonly document: BuildDocument;
  readonly signal: AbortSignal;
  readonly pipeline: PipelineBuildIo | undefined;
  readonly preference: ExecutorPreference;
  /** Where the project (or StartBuild's overrides) wants artifacts stored. */
  readonly artifacts: { readonly primary: ProjectArtifacts; readonly secondary: readonly ProjectArtifacts[] };
}

/**
 * Runs one recorded build to its end: picks the executor, hands the agent its sources,
 * variables and outputs, keeps the stored build current on every phase change, then stores
 * artifacts (pipeline artifacts or S3), reports and the final build.
 */
export async function executeBuild(x: Execution): Promise<void> {
  const { deps, scope } = x;
  const uuid = x.document.id.slice(x.document.id.indexOf(":") + 1);
  const root = join(deps.workDir, uuid);
  let current = x.document;
  let writes = Promise.resolve();
  const save = (document: BuildDocument) => {
    current = document;
    writes = writes.then(() => deps.store.putBuild({ scope, document }));
    return writes;
  };
  const log = (text: string) => x.logs.append(x.document.id, text);

  let choice: Awaited<ReturnType<BuildServiceDeps["executors"]["choose"]>>;
  try {
    choice = await deps.executors.choose(current.environment.image, x.preference);
  } catch (error) {
    const message = (error as Error).message;
    log(message);
    await save(abortedBuild(current, "FAILED", { statusCode: "CLIENT_ERROR", message }, deps.clock.now()));
    return;
  }

  await mkdir(root, { recursive: true });
  const timeoutMs = current.timeoutInMinutes * deps.options.minuteMs;
  // The build's own credentials for AWS calls it makes, revoked when it ends (ten minutes of slack).
  const access = deps.inside?.open(scope, current.id, timeoutMs + 600_000);
  try {
    const outputs = plannedOutputs(x, root);
    const request: AgentRequest = {
      build: {
        id: current.id,
        arn: current.arn,
        number: current.buildNumber,
        projectName: current.projectName,
        initiator: current.initiator,
        region: scope.region,
        accountId: scope.accountId,
        startTime: current.startTime,
        image: current.environment.image,
        logPath: current.logs.streamName,
        buildUrl: `${deps.publicEndpoint()}/_pipewright/builds/${encodeURIComponent(current.id)}`,
        ...(current.encryptionKey === undefined ? {} : { kmsKeyId: current.encryptionKey }),
      },
      root,
      secondarySourceIds: x.pipeline
        ? x.pipeline.secondaryInputs
        : current.secondarySources.flatMap((s) => (s.sourceIdentifier ? [s.sourceIdentifier] : [])),
      downloadSource: (dirs) => download(x, current, dirs),
      buildspec: buildspecOf(current),
      projectVariables: [],
      overrideVariables: current.environment.environmentVariables,
      secrets: deps.secrets(scope),
      executor: choice.executor,
      ...(choice.notice === undefined ? {} : { executorNotice: choice.notice }),
      privileged: current.environment.privilegedMode,
      baseEnv: deps.baseEnv,
      ...(access === undefined ? {} : { platform: access.platform }),
      timeoutMs,
      signal: x.signal,
      outputs: outputs.map((o) => o.output),
      ...(current.cache.type === "NO_CACHE" ? {} : { cacheDir: deps.cacheDir(scope, current.projectName) }),
      now: () => deps.clock.now(),
      listener: {
        log,
        phases: (phases: readonly PhaseRecord[]) => {
          void save(withAgentPhases(current, phases));
        },
      },
    };
    const result = await deps.agent.run(request);
    await writes;
    const delivered = await deliver(x, current, result, outputs, log);
    const reportArns = await storeReports(x, current, result, uuid);
    const finalPhases = withAgentPhases(current, result.phases).phases;
    const failedDelivery = delivered.error !== undefined;
    await save(
      finishedBuild(
        { ...current, phases: finalPhases, currentPhase: "COMPLETED" },
        {
          status: failedDelivery ? "FAULT" : result.buildStatus,
          endTime: deps.clock.now(),
          ...(result.resolvedSourceVersion === undefined
            ? {}
            : { resolvedSourceVersion: result.resolvedSourceVersion }),
          exportedEnvironmentVariables: result.exportedVariables,
          ...(delivered.primary === undefined ? {} : { artifacts: delivered.primary }),
          secondaryArtifacts: delivered.secondary,
          reportArns,
        },
      ),
    );
  } finally {
    access?.close();
    if (!deps.options.keepWorkspaces) await rm(root, { recursive: true, force: true }).catch(() => {});
  }
}

interface PlannedOutput {
  readonly output: ArtifactOutput;
  /** The pipeline output artifact name, for pipeline builds. */
  readonly pipelineName?: string;
  /** The S3 destination, for project builds. */
  readonly s3?: ProjectArtifacts;
}

/**
 * Which artifacts the agent must zip. Pipeline builds: one output is the primary artifact;
 * several must each match a `secondary-artifacts` identifier (spec §6). Project builds: the
 * S3 primary and secondary artifacts (NO_ARTIFACTS produces none).
 */
function plannedOutputs(x: Execution, root: string): PlannedOutput[] {
  const zip = (name: string) => join(root, "out", `${name}.zip`);
  const pipeline = x.pipeline;
  if (pipeline) {
    if (pipeline.outputs.length === 1) {
      const only = pipeline.outputs[0];
      return only ? [{ output: { zipPath: zip(only.name) }, pipelineName: only.name }] : [];
    }
    return pipeline.outputs.map((o) => ({
      output: { identifier: o.identifier ?? o.name, zipPath: zip(o.name) },
      pipelineName: o.name,
    }));
  }
  const planned: PlannedOutput[] = [];
  if (x.artifacts.primary.type === "S3")
    planned.push({ output: { zipPath: zip("primary") }, s3: x.artifacts.primary });
  for (const a of x.artifacts.secondary) {
    if (a.type === "S3" && a.artifactIdentifier) {
      planned.push({
        output: { identifier: a.artifactIdentifier, zipPath: zip(`secondary-${a.artifactIdentifier}`) },
        s3: a,
      });
    }
  }
  return planned;
}

async function download(
  x: Execution,
  build: BuildDocument,
  dirs: { primary: string; secondary: ReadonlyMap<string, string> },
): Promise<SourceInfo> {
  if (x.pipeline) return x.pipeline.download(dirs);
  const primary = await x.deps.sources.fetch(x.scope, build.source, build.sourceVersion, dirs.primary);
  const secondary = new Map<string, { sourceVersion?: string; repoUrl?: string }>();
  for (const source of build.secondarySources) {
    const id = source.sourceIdentifier;
    const dir = id ? dirs.secondary.get(id) : undefined;
    if (!id || !dir) continue;
    const version = build.secondarySourceVersions.find((v) => v.sourceIdentifier === id)?.sourceVersion;
    const info = await x.deps.sources.fetch(x.scope, source, version, dir);
    secondary.set(id, {
      ...(info.resolvedSourceVersion === undefined ? {} : { sourceVersion: info.resolvedSourceVersion }),
      ...(info.sourceRepoUrl === undefined ? {} : { repoUrl: info.sourceRepoUrl }),
    });
  }
  return { ...primary, secondary };
}

/** Inline YAML (it has a line break) or a path relative to the source; default buildspec.yml. */
function buildspecOf(build: BuildDocument): AgentRequest["buildspec"] {
  const text = build.source.buildspec;
  if (text === undefined || text.trim() === "") return { kind: "file", path: "buildspec.yml" };
  return text.includes("\n") ? { kind: "inline", text } : { kind: "file", path: text };
}

async function deliver(
  x: Execution,
  build: BuildDocument,
  result: AgentResult,
  outputs: readonly PlannedOutput[],
  log: (line: string) => void,
): Promise<{ primary?: BuildArtifactsDocument; secondary: BuildArtifactsDocument[]; error?: string }> {
  const secondary: BuildArtifactsDocument[] = [];
  let primary: BuildArtifactsDocument | undefined;
  try {
    for (const produced of result.artifacts) {
      const planned = outputs.find((o) => o.output.zipPath === produced.zipPath);
      const location = await deliverOne(x, build, produced, planned);
      const doc: BuildArtifactsDocument = {
        location,
        sha256sum: produced.sha256,
        md5sum: produced.md5,
        ...(produced.identifier === undefined ? {} : { artifactIdentifier: produced.identifier }),
      };
      if (produced.identifier === undefined) primary = doc;
      else secondary.push(doc);
    }
    return { ...(primary === undefined ? {} : { primary }), secondary };
  } catch (error) {
    const message = `Failed to upload artifacts: ${(error as Error).message}`;
    log(message);
    return { ...(primary === undefined ? {} : { primary }), secondary, error: message };
  }
}

async function deliverOne(
  x: Execution,
  build: BuildDocument,
  produced: ProducedArtifact,
  planned: PlannedOutput | undefined,
): Promise<string> {
  if (x.pipeline && planned?.pipelineName) return x.pipeline.deliver(planned.pipelineName, produced);
  if (!planned?.s3) throw new Error(`no destination for artifact ${produced.identifier ?? "(primary)"}`);
  const uuid = build.id.slice(build.id.indexOf(":") + 1);
  return x.deps.artifacts.upload(x.scope, planned.s3, { id: build.id, uuid }, produced);
}

async function storeReports(
  x: Execution,
  build: BuildDocument,
  result: AgentResult,
  uuid: string,
): Promise<string[]> {
  const arns: string[] = [];
  const now = x.deps.clock.now();
  for (const report of result.reports) {
    const group = reportGroupOf(x.scope, build.projectName, report.group);
    const arn = reportArn(x.scope, group.name, uuid);
    const document: ReportDocument = {
      arn,
      type: "TEST",
      name: group.name,
      reportGroupArn: group.arn,
      executionId: build.arn,
      status: report.status,
      created: now,
      expired: now + REPORT_DAYS_MS,
      truncated: report.truncated,
      testSummary: report.summary,
      cases: report.cases.map((c) => ({
        ...c,
        ...(c.message === undefined ? {} : { message: result.mask(c.message) }),
      })),
    };
    await x.deps.store.putReport({ scope: x.scope, document });
    arns.push(arn);
  }
  return arns;
}
