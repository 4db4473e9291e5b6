import type { CustomActionTypes } from "../../runtime/definitions/custom-action-types.js";
import type { PipelineDefinitions } from "../../runtime/definitions/pipeline-definitions.js";
import type { JobCredentials } from "../../runtime/executions/job-credentials.js";
import type { JobResults } from "../../runtime/executions/job-results.js";
import type { JobWorkerService } from "../../runtime/executions/job-worker-service.js";
import type { Orchestrator } from "../../runtime/executions/orchestrator.js";
import type { RunStore } from "../../store/types.js";

/** What the CodePipeline operations need from the runtime (and the run store, for reads). */
export interface CodePipelineDeps {
  readonly definitions: PipelineDefinitions;
  readonly actionTypes: CustomActionTypes;
  readonly executions: Orchestrator;
  readonly jobResults: JobResults;
  readonly jobWorkers: JobWorkerService;
  readonly jobCredentials: JobCredentials;
  readonly runs: RunStore;
  /** AWS runs a new pipeline once right after CreatePipeline; tests may turn that off. */
  readonly startOnCreate: boolean;
}
