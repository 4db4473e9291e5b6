import type {
  BuildDocument,
  PhaseRecord,
  ProjectDocument,
  ReportDocument,
} from "../../codebuild/documents.js";
import type { BuildProjectRecord } from "../../store/types.js";

/** CodeBuild's output shapes from stored documents: times become epoch seconds. */

const seconds = (ms: number) => ms / 1000;

export function renderProject(record: BuildProjectRecord): Record<string, unknown> {
  const d: ProjectDocument = record.document;
  return {
    ...d.extra,
    name: d.name,
    arn: d.arn,
    ...(d.description === undefined ? {} : { description: d.description }),
    source: d.source,
    secondarySources: d.secondarySources,
    ...(d.sourceVersion === undefined ? {} : { sourceVersion: d.sourceVersion }),
    secondarySourceVersions: d.secondarySourceVersions,
    artifacts: d.artifacts,
    secondaryArtifacts: d.secondaryArtifacts,
    cache: d.cache,
    environment: d.environment,
    ...(d.serviceRole === undefined ? {} : { serviceRole: d.serviceRole }),
    timeoutInMinutes: d.timeoutInMinutes,
    queuedTimeoutInMinutes: d.queuedTimeoutInMinutes,
    ...(d.encryptionKey === undefined ? {} : { encryptionKey: d.encryptionKey }),
    tags: d.tags,
    created: seconds(record.created),
    lastModified: seconds(record.lastModified),
    badge: { badgeEnabled: d.extra.badgeEnabled === true },
    projectVisibility: "PRIVATE",
  };
}

function renderPhase(p: PhaseRecord): Record<string, unknown> {
  return {
    phaseType: p.phaseType,
    ...(p.phaseStatus === undefined ? {} : { phaseStatus: p.phaseStatus }),
    startTime: seconds(p.startTime),
    ...(p.endTime === undefined ? {} : { endTime: seconds(p.endTime) }),
    ...(p.durationInSeconds === undefined ? {} : { durationInSeconds: p.durationInSeconds }),
    ...(p.contexts.length === 0 ? {} : { contexts: p.contexts }),
  };
}

export function renderBuild(b: BuildDocument): Record<string, unknown> {
  return {
    ...b,
    startTime: seconds(b.startTime),
    ...(b.endTime === undefined ? {} : { endTime: seconds(b.endTime) }),
    phases: b.phases.map(renderPhase),
    artifacts: b.artifacts ?? {},
  };
}

export function renderReport(r: ReportDocument): Record<string, unknown> {
  const { cases: _cases, ...rest } = r;
  return { ...rest, created: seconds(r.created), expired: seconds(r.expired) };
}

export function renderTestCases(
  r: ReportDocument,
  cases: ReportDocument["cases"],
): Record<string, unknown>[] {
  return cases.map((c) => ({ reportArn: r.arn, ...c, expired: seconds(r.expired) }));
}
