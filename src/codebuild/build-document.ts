import type { BuildStatus } from "../buildspec/build-phases.js";
import type {
  BuildArtifactsDocument,
  BuildDocument,
  EnvironmentVariable,
  PhaseRecord,
  ProjectArtifacts,
  ProjectCache,
  ProjectDocument,
  ProjectSource,
} from "./documents.js";

/** StartBuild's per-build overrides that Pipewright applies (the rest are refused by the API). */
export interface BuildOverrides {
  readonly sourceVersion?: string;
  readonly buildspecOverride?: string;
  readonly environmentVariablesOverride?: readonly EnvironmentVariable[];
  readonly timeoutInMinutesOverride?: number;
  readonly queuedTimeoutInMinutesOverride?: number;
  readonly imageOverride?: string;
  readonly privilegedModeOverride?: boolean;
  readonly computeTypeOverride?: string;
  readonly artifactsOverride?: ProjectArtifacts;
  readonly secondaryArtifactsOverride?: readonly ProjectArtifacts[];
  readonly cacheOverride?: ProjectCache;
  readonly sourceTypeOverride?: ProjectSource["type"];
  readonly sourceLocationOverride?: string;
  readonly secondarySourcesOverride?: readonly ProjectSource[];
  readonly secondarySourcesVersionOverride?: readonly { sourceIdentifier: string; sourceVersion: string }[];
}

export interface NewBuild {
  readonly project: ProjectDocument;
  readonly overrides: BuildOverrides;
  readonly id: string;
  readonly arn: string;
  readonly number: number;
  readonly now: number;
  readonly initiator: string;
  readonly logs: BuildDocument["logs"];
}

/**
 * A build as StartBuild answers it: the project's settings with the overrides applied,
 * SUBMITTED done and QUEUED in progress. Override variables replace project ones of the same name.
 */
export function initialBuild(b: NewBuild): BuildDocument {
  const { project, overrides: o } = b;
  const variables = new Map(project.environment.environmentVariables.map((v) => [v.name, v] as const));
  for (const v of o.environmentVariablesOverride ?? []) variables.set(v.name, v);
  const source: ProjectSource = {
    ...project.source,
    ...(o.sourceTypeOverride === undefined ? {} : { type: o.sourceTypeOverride }),
    ...(o.sourceLocationOverride === undefined ? {} : { location: o.sourceLocationOverride }),
    ...(o.buildspecOverride === undefined ? {} : { buildspec: o.buildspecOverride }),
  };
  const sourceVersion = o.sourceVersion ?? project.sourceVersion;
  return {
    id: b.id,
    arn: b.arn,
    buildNumber: b.number,
    projectName: project.name,
    startTime: b.now,
    currentPhase: "QUEUED",
    buildStatus: "IN_PROGRESS",
    buildComplete: false,
    initiator: b.initiator,
    ...(sourceVersion === undefined ? {} : { sourceVersion }),
    phases: [
      {
        phaseType: "SUBMITTED",
        phaseStatus: "SUCCEEDED",
        startTime: b.now,
        endTime: b.now,
        durationInSeconds: 0,
        contexts: [],
      },
      { phaseType: "QUEUED", startTime: b.now, contexts: [] },
    ],
    source,
    secondarySources: o.secondarySourcesOverride ?? project.secondarySources,
    secondarySourceVersions: o.secondarySourcesVersionOverride ?? project.secondarySourceVersions,
    secondaryArtifacts: [],
    cache: o.cacheOverride ?? project.cache,
    environment: {
      ...project.environment,
      ...(o.imageOverride === undefined ? {} : { image: o.imageOverride }),
      ...(o.computeTypeOverride === undefined ? {} : { computeType: o.computeTypeOverride }),
      ...(o.privilegedModeOverride === undefined ? {} : { privilegedMode: o.privilegedModeOverride }),
      environmentVariables: [...variables.values()],
    },
    ...(project.serviceRole === undefined ? {} : { serviceRole: project.serviceRole }),
    logs: b.logs,
    timeoutInMinutes: o.timeoutInMinutesOverride ?? project.timeoutInMinutes,
    queuedTimeoutInMinutes: o.queuedTimeoutInMinutesOverride ?? project.queuedTimeoutInMinutes,
    exportedEnvironmentVariables: [],
    reportArns: [],
    ...(project.encryptionKey === undefined ? {} : { encryptionKey: project.encryptionKey }),
  };
}

/** The build with the agent's phases after SUBMITTED and QUEUED (which ends when the first starts). */
export function withAgentPhases(build: BuildDocument, agentPhases: readonly PhaseRecord[]): BuildDocument {
  const [submitted, queued] = build.phases;
  if (!submitted || !queued) throw new Error("a build without SUBMITTED and QUEUED phases");
  const first = agentPhases[0];
  const queuedDone: PhaseRecord = first
    ? {
        ...queued,
        phaseStatus: "SUCCEEDED",
        endTime: first.startTime,
        durationInSeconds: Math.round((first.startTime - queued.startTime) / 1000),
        contexts: [],
      }
    : queued;
  const phases = [submitted, queuedDone, ...agentPhases];
  return { ...build, phases, currentPhase: phases.at(-1)?.phaseType ?? "QUEUED" };
}

export interface BuildEnd {
  readonly status: BuildStatus;
  readonly endTime: number;
  readonly resolvedSourceVersion?: string;
  readonly exportedEnvironmentVariables?: readonly { name: string; value: string }[];
  readonly artifacts?: BuildArtifactsDocument;
  readonly secondaryArtifacts?: readonly BuildArtifactsDocument[];
  readonly reportArns?: readonly string[];
}

/** The build once it ended. */
export function finishedBuild(build: BuildDocument, end: BuildEnd): BuildDocument {
  return {
    ...build,
    buildStatus: end.status,
    buildComplete: true,
    endTime: end.endTime,
    ...(end.resolvedSourceVersion === undefined ? {} : { resolvedSourceVersion: end.resolvedSourceVersion }),
    exportedEnvironmentVariables: end.exportedEnvironmentVariables ?? build.exportedEnvironmentVariables,
    ...(end.artifacts === undefined ? {} : { artifacts: end.artifacts }),
    secondaryArtifacts: end.secondaryArtifacts ?? build.secondaryArtifacts,
    reportArns: end.reportArns ?? build.reportArns,
  };
}

/**
 * A build that cannot go on (stopped while queued, or found unfinished after a restart): the
 * open phase ends with `status` and the context, then COMPLETED.
 */
export function abortedBuild(
  build: BuildDocument,
  status: BuildStatus,
  context: { statusCode: string; message: string },
  now: number,
): BuildDocument {
  const phases = build.phases.map((p) =>
    p.phaseStatus === undefined && p.phaseType !== "COMPLETED"
      ? {
          ...p,
          phaseStatus: status,
          endTime: now,
          durationInSeconds: Math.round((now - p.startTime) / 1000),
          contexts: [context],
        }
      : p,
  );
  const completed =
    phases.at(-1)?.phaseType === "COMPLETED"
      ? phases
      : [...phases, { phaseType: "COMPLETED" as const, startTime: now, contexts: [] }];
  return {
    ...build,
    phases: completed,
    currentPhase: "COMPLETED",
    buildStatus: status,
    buildComplete: true,
    endTime: now,
  };
}
