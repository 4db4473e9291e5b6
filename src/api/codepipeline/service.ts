import type { JsonService } from "../operation.js";
import type { CodePipelineDeps } from "./deps.js";
import { createPipeline } from "./operations/create-pipeline.js";
import {
  createCustomActionType,
  deleteCustomActionType,
  getActionType,
  listActionTypes,
} from "./operations/custom-action-types.js";
import { deletePipeline } from "./operations/delete-pipeline.js";
import { getPipeline } from "./operations/get-pipeline.js";
import { getPipelineExecution } from "./operations/get-pipeline-execution.js";
import { getPipelineState } from "./operations/get-pipeline-state.js";
import {
  acknowledgeJob,
  getJobDetails,
  pollForJobs,
  putJobFailureResult,
  putJobSuccessResult,
} from "./operations/job-worker.js";
import { listActionExecutions } from "./operations/list-action-executions.js";
import { listPipelineExecutions } from "./operations/list-pipeline-executions.js";
import { listPipelines } from "./operations/list-pipelines.js";
import { listTagsForResource } from "./operations/list-tags-for-resource.js";
import { overrideStageCondition } from "./operations/override-stage-condition.js";
import { putApprovalResult } from "./operations/put-approval-result.js";
import { retryStageExecution } from "./operations/retry-stage-execution.js";
import { rollbackStage } from "./operations/rollback-stage.js";
import { disableStageTransition, enableStageTransition } from "./operations/stage-transitions.js";
import { startPipelineExecution } from "./operations/start-pipeline-execution.js";
import { stopPipelineExecution } from "./operations/stop-pipeline-execution.js";
import { tagResource, untagResource } from "./operations/tag-resource.js";
import { updatePipeline } from "./operations/update-pipeline.js";

/**
 * CodePipeline (`CodePipeline_20150709`, signing name `codepipeline`). Operations of AWS's model
 * that are not in `operations` are listed in `notImplemented` and answered with a clear error.
 */
export function createCodePipelineService(deps: CodePipelineDeps): JsonService {
  return {
    targetPrefix: "CodePipeline_20150709",
    signingName: "codepipeline",
    operations: [
      createPipeline(deps),
      getPipeline(deps),
      updatePipeline(deps),
      deletePipeline(deps),
      listPipelines(deps),
      tagResource(deps),
      untagResource(deps),
      listTagsForResource(deps),
      createCustomActionType(deps),
      deleteCustomActionType(deps),
      listActionTypes(deps),
      getActionType(deps),
      startPipelineExecution(deps),
      stopPipelineExecution(deps),
      getPipelineState(deps),
      getPipelineExecution(deps),
      listPipelineExecutions(deps),
      listActionExecutions(deps),
      putApprovalResult(deps),
      enableStageTransition(deps),
      disableStageTransition(deps),
      retryStageExecution(deps),
      rollbackStage(deps),
      overrideStageCondition(deps),
      pollForJobs(deps),
      acknowledgeJob(deps),
      getJobDetails(deps),
      putJobSuccessResult(deps),
      putJobFailureResult(deps),
    ],
    notImplemented: [
      "AcknowledgeThirdPartyJob",
      "DeleteWebhook",
      "DeregisterWebhookWithThirdParty",
      "GetThirdPartyJobDetails",
      "ListDeployActionExecutionTargets",
      "ListRuleExecutions",
      "ListRuleTypes",
      "ListWebhooks",
      "PollForThirdPartyJobs",
      "PutActionRevision",
      "PutThirdPartyJobFailureResult",
      "PutThirdPartyJobSuccessResult",
      "PutWebhook",
      "RegisterWebhookWithThirdParty",
      "UpdateActionType",
    ],
  };
}
