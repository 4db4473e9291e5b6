import type { JsonService } from "../operation.js";
import type { CodeBuildDeps } from "./deps.js";
import {
  batchGetBuilds,
  listBuilds,
  listBuildsForProject,
  startBuild,
  stopBuild,
} from "./operations/builds.js";
import {
  batchGetProjects,
  createProject,
  deleteProject,
  listProjects,
  updateProject,
} from "./operations/projects.js";
import { batchGetReports, describeTestCases } from "./operations/reports.js";

/**
 * CodeBuild (`CodeBuild_20161006`, signing name `codebuild`): projects, builds run by Pipewright's
 * build agent, and their test reports. docs/codebuild.md says what differs from AWS.
 */
export function createCodeBuildService(deps: CodeBuildDeps): JsonService {
  return {
    targetPrefix: "CodeBuild_20161006",
    signingName: "codebuild",
    operations: [
      createProject(deps),
      updateProject(deps),
      batchGetProjects(deps),
      listProjects(deps),
      deleteProject(deps),
      startBuild(deps),
      batchGetBuilds(deps),
      stopBuild(deps),
      listBuilds(deps),
      listBuildsForProject(deps),
      batchGetReports(deps),
      describeTestCases(deps),
    ],
    notImplemented,
  };
}

/** Every other operation of botocore's codebuild 2016-10-06 model. */
const notImplemented = [
  "BatchDeleteBuilds",
  "BatchGetBuildBatches",
  "BatchGetCommandExecutions",
  "BatchGetFleets",
  "BatchGetReportGroups",
  "BatchGetSandboxes",
  "CreateFleet",
  "CreateReportGroup",
  "CreateWebhook",
  "DeleteBuildBatch",
  "DeleteFleet",
  "DeleteReport",
  "DeleteReportGroup",
  "DeleteResourcePolicy",
  "DeleteSourceCredentials",
  "DeleteWebhook",
  "DescribeCodeCoverages",
  "GetReportGroupTrend",
  "GetResourcePolicy",
  "ImportSourceCredentials",
  "InvalidateProjectCache",
  "ListBuildBatches",
  "ListBuildBatchesForProject",
  "ListCommandExecutionsForSandbox",
  "ListCuratedEnvironmentImages",
  "ListFleets",
  "ListReportGroups",
  "ListReports",
  "ListReportsForReportGroup",
  "ListSandboxes",
  "ListSandboxesForProject",
  "ListSharedProjects",
  "ListSharedReportGroups",
  "ListSourceCredentials",
  "PutResourcePolicy",
  "RetryBuild",
  "RetryBuildBatch",
  "StartBuildBatch",
  "StartCommandExecution",
  "StartSandbox",
  "StartSandboxConnection",
  "StopBuildBatch",
  "StopSandbox",
  "UpdateFleet",
  "UpdateProjectVisibility",
  "UpdateReportGroup",
  "UpdateWebhook",
];
