// Fixtures for the BuildStore contract suite (build-store.contract.ts). The `.contract.ts` suffix
// keeps this file out of the published build, like the suite itself.
import type { BuildDocument, ProjectDocument, ReportDocument } from "../../codebuild/documents.js";
import type { BuildProjectRecord, BuildRecord, ReportRecord } from "../build-store-types.js";
import type { Scope } from "../types.js";
import { scope as defaultScope, T0 } from "./builders.contract.js";

/** A fresh object per call: tests edit what they passed in. */
const environment = () => ({
  type: "LINUX_CONTAINER",
  image: "aws/codebuild/standard:7.0",
  computeType: "BUILD_GENERAL1_SMALL",
  environmentVariables: [{ name: "STAGE", value: "test", type: "PLAINTEXT" as const }],
  privilegedMode: false,
});

const arnScope = (scope: Scope) => `${scope.region}:${scope.accountId}`;

/** A project document; `description` lets a test tell two writes apart. */
export function projectDocument(name: string, description = "first", scope = defaultScope): ProjectDocument {
  return {
    name,
    arn: `arn:aws:codebuild:${arnScope(scope)}:project/${name}`,
    description,
    source: { type: "CODEPIPELINE", buildspec: "version: 0.2\nphases:\n  build:\n    commands: [make]\n" },
    secondarySources: [],
    secondarySourceVersions: [],
    artifacts: { type: "CODEPIPELINE" },
    secondaryArtifacts: [],
    cache: { type: "NO_CACHE" },
    environment: environment(),
    serviceRole: `arn:aws:iam::${scope.accountId}:role/build`,
    timeoutInMinutes: 60,
    queuedTimeoutInMinutes: 480,
    tags: [{ key: "team", value: "platform" }],
    extra: { badge: { badgeEnabled: false } },
  };
}

export function projectRecord(
  name: string,
  options: { scope?: Scope; description?: string; created?: number; lastModified?: number } = {},
): BuildProjectRecord {
  const scope = options.scope ?? defaultScope;
  const created = options.created ?? T0;
  return {
    scope,
    name,
    document: projectDocument(name, options.description, scope),
    created,
    lastModified: options.lastModified ?? created,
  };
}

/** `<project>:<uuid>` with `n` as the uuid's last digits, so ids order by `n` within a project. */
export function buildId(projectName: string, n: number): string {
  return `${projectName}:00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
}

export function buildDocument(
  projectName: string,
  n: number,
  options: { scope?: Scope; startTime?: number; complete?: boolean } = {},
): BuildDocument {
  const scope = options.scope ?? defaultScope;
  const id = buildId(projectName, n);
  const startTime = options.startTime ?? T0 + n;
  const complete = options.complete ?? false;
  return {
    id,
    arn: `arn:aws:codebuild:${arnScope(scope)}:build/${id}`,
    buildNumber: n,
    projectName,
    startTime,
    ...(complete ? { endTime: startTime + 1_000 } : {}),
    currentPhase: complete ? "COMPLETED" : "BUILD",
    buildStatus: complete ? "SUCCEEDED" : "IN_PROGRESS",
    buildComplete: complete,
    initiator: "codepipeline/app",
    sourceVersion: "refs/heads/main",
    phases: [
      {
        phaseType: "SUBMITTED",
        phaseStatus: "SUCCEEDED",
        startTime,
        endTime: startTime,
        durationInSeconds: 0,
        contexts: [],
      },
      { phaseType: "BUILD", startTime, contexts: [] },
    ],
    source: { type: "CODEPIPELINE" },
    secondarySources: [],
    secondarySourceVersions: [],
    secondaryArtifacts: [],
    cache: { type: "NO_CACHE" },
    environment: environment(),
    logs: {
      groupName: `/aws/codebuild/${projectName}`,
      streamName: id.slice(projectName.length + 1),
      deepLink: `https://console.example/logs/${id}`,
    },
    timeoutInMinutes: 60,
    queuedTimeoutInMinutes: 480,
    exportedEnvironmentVariables: [],
    reportArns: [],
  };
}

export function buildRecord(
  projectName: string,
  n: number,
  options: { scope?: Scope; startTime?: number; complete?: boolean } = {},
): BuildRecord {
  return { scope: options.scope ?? defaultScope, document: buildDocument(projectName, n, options) };
}

export function reportRecord(
  name: string,
  options: { scope?: Scope; status?: ReportDocument["status"] } = {},
): ReportRecord {
  const scope = options.scope ?? defaultScope;
  const group = `arn:aws:codebuild:${arnScope(scope)}:report-group/app-tests`;
  return {
    scope,
    document: {
      arn: `${group}:${name}`,
      type: "TEST",
      name,
      reportGroupArn: group,
      executionId: `arn:aws:codebuild:${arnScope(scope)}:build/${buildId("app", 1)}`,
      status: options.status ?? "SUCCEEDED",
      created: T0,
      expired: T0 + 30 * 86_400_000,
      truncated: false,
      testSummary: { total: 2, statusCounts: { SUCCEEDED: 1, FAILED: 1 }, durationInNanoSeconds: 3_000 },
      cases: [
        {
          testRawDataPath: "reports/junit.xml",
          prefix: "app.Suite",
          name: "passes",
          status: "SUCCEEDED",
          durationInNanoSeconds: 1_000,
        },
        {
          testRawDataPath: "reports/junit.xml",
          prefix: "app.Suite",
          name: "fails",
          status: "FAILED",
          durationInNanoSeconds: 2_000,
          message: "expected 1, got 2",
        },
      ],
    },
  };
}

/** Log lines `from`, `from + 1`, … with recognisable text. */
export function logLines(from: number, count: number, label = "line"): { seq: number; text: string }[] {
  return Array.from({ length: count }, (_, i) => ({ seq: from + i, text: `${label} ${from + i}` }));
}
