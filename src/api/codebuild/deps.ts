import type { BuildService } from "../../runtime/builds/build-service.js";
import type { ProjectService } from "../../runtime/builds/project-service.js";
import type { ReportRecord, Scope } from "../../store/types.js";

/** What the CodeBuild operations need. */
export interface CodeBuildDeps {
  readonly projects: ProjectService;
  readonly builds: BuildService;
  readonly reports: { get(scope: Scope, arn: string): Promise<ReportRecord | undefined> };
  /** Page size of the List operations (AWS's is 100); tests make it small. */
  readonly pageSize?: number;
}
