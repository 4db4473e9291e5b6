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
import { listPipelines } from "./operations/list-pipelines.js";
import { listTagsForResource } from "./operations/list-tags-for-resource.js";
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
    ],
    notImplemented: [
      "AcknowledgeJob",
      "AcknowledgeThirdPartyJob",
      "DeleteWebhook",
      "DeregisterWebhookWithThirdParty",
      "DisableStageTransition",
      "EnableStageTransition",
      "GetJobDetails",
      "GetPipelineExecution",
      "GetPipelineState",
      "GetThirdPartyJobDetails",
      "ListActionExecutions",
      "ListDeployActionExecutionTargets",
      "ListPipelineExecutions",
      "ListRuleExecutions",
      "ListRuleTypes",
      "ListWebhooks",
      "OverrideStageCondition",
      "PollForJobs",
      "PollForThirdPartyJobs",
      "PutActionRevision",
      "PutApprovalResult",
      "PutJobFailureResult",
      "PutJobSuccessResult",
      "PutThirdPartyJobFailureResult",
      "PutThirdPartyJobSuccessResult",
      "PutWebhook",
      "RegisterWebhookWithThirdParty",
      "RetryStageExecution",
      "RollbackStage",
      "StartPipelineExecution",
      "StopPipelineExecution",
      "UpdateActionType",
    ],
  };
}
