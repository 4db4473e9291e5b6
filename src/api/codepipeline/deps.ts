import type { CustomActionTypes } from "../../runtime/definitions/custom-action-types.js";
import type { PipelineDefinitions } from "../../runtime/definitions/pipeline-definitions.js";

/** What the CodePipeline operations need from the runtime. */
export interface CodePipelineDeps {
  readonly definitions: PipelineDefinitions;
  readonly actionTypes: CustomActionTypes;
}
