import { actionTypeKey } from "../model/action-types/action-type.js";
import type { ActionTypeId } from "../model/declaration.js";
import { CODEBUILD_ACTION_TYPES } from "../providers/codebuild/codebuild-provider.js";
import { ECR_SOURCE_ACTION_TYPES } from "../providers/ecr-source/ecr-source-provider.js";
import { CODE_DEPLOY_TO_ECS_ACTION_TYPES } from "../providers/ecs-deploy/code-deploy-to-ecs-provider.js";
import { ECS_DEPLOY_ACTION_TYPES } from "../providers/ecs-deploy/ecs-deploy-provider.js";
import {
  CODECOMMIT_ACTION_TYPE,
  CONNECTION_SOURCE_ACTION_TYPE,
} from "../providers/git-source/git-source-provider.js";
import { LAMBDA_INVOKE_ACTION_TYPES } from "../providers/lambda-invoke/lambda-invoke-provider.js";
import { MANUAL_APPROVAL_ACTION_TYPES } from "../providers/manual-approval/manual-approval-provider.js";
import { S3_SOURCE_ACTION_TYPES } from "../providers/s3-source/s3-source-provider.js";

/**
 * The built-in AWS action types a Pipewright server runs (custom types run by job workers
 * aside). `pipewright validate` warns about the others offline exactly as CreatePipeline does on
 * a server; test/integration/runnable-action-types.test.ts checks that this list is what an
 * assembled server's providers run.
 */
export const serverActionTypes: readonly ActionTypeId[] = [
  CODECOMMIT_ACTION_TYPE,
  CONNECTION_SOURCE_ACTION_TYPE,
  ...S3_SOURCE_ACTION_TYPES,
  ...ECR_SOURCE_ACTION_TYPES,
  ...CODEBUILD_ACTION_TYPES,
  ...MANUAL_APPROVAL_ACTION_TYPES,
  ...ECS_DEPLOY_ACTION_TYPES,
  ...CODE_DEPLOY_TO_ECS_ACTION_TYPES,
  ...LAMBDA_INVOKE_ACTION_TYPES,
];

const keys = new Set(serverActionTypes.map(actionTypeKey));

/** Whether a Pipewright server runs actions of this type. */
export function serverRuns(id: ActionTypeId): boolean {
  return keys.has(actionTypeKey(id));
}
