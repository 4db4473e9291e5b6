import type { ActionTypeSpec } from "../../model/action-types/action-type.js";
import type { DeclarationWarning, PipelineView } from "../../runtime/definitions/pipeline-definitions.js";
import { epochSeconds } from "../pagination.js";

/**
 * Warnings about an accepted declaration, as a `validationIssues` member of the CreatePipeline
 * and UpdatePipeline answers. AWS's model has no such member: the SDKs and the AWS CLI drop it,
 * raw HTTP clients and `--debug` show it; the server also logs each warning.
 */
export function warningMember(warnings: readonly DeclarationWarning[]) {
  return warnings.length > 0 ? { validationIssues: warnings } : {};
}

/** GetPipeline's `metadata`. */
export function renderMetadata(view: PipelineView) {
  return {
    pipelineArn: view.arn,
    created: epochSeconds(view.record.created),
    updated: epochSeconds(view.record.updated),
  };
}

/** CodePipeline's `ActionType` (ListActionTypes, CreateCustomActionType). */
export function renderActionType(spec: ActionTypeSpec) {
  return {
    id: spec.id,
    ...(spec.settings && Object.keys(spec.settings).length > 0 ? { settings: spec.settings } : {}),
    actionConfigurationProperties: spec.actionConfigurationProperties,
    inputArtifactDetails: spec.inputArtifactDetails,
    outputArtifactDetails: spec.outputArtifactDetails,
  };
}

/** CodePipeline's `ActionTypeDeclaration` (GetActionType): the newer integration model's view. */
export function renderActionTypeDeclaration(spec: ActionTypeSpec) {
  const s = spec.settings ?? {};
  const urls = {
    ...(s.thirdPartyConfigurationUrl ? { configurationUrl: s.thirdPartyConfigurationUrl } : {}),
    ...(s.entityUrlTemplate ? { entityUrlTemplate: s.entityUrlTemplate } : {}),
    ...(s.executionUrlTemplate ? { executionUrlTemplate: s.executionUrlTemplate } : {}),
    ...(s.revisionUrlTemplate ? { revisionUrlTemplate: s.revisionUrlTemplate } : {}),
  };
  return {
    executor: { configuration: { jobWorkerExecutorConfiguration: {} }, type: "JobWorker" },
    id: spec.id,
    inputArtifactDetails: spec.inputArtifactDetails,
    outputArtifactDetails: spec.outputArtifactDetails,
    properties: spec.actionConfigurationProperties.map((p) => ({
      name: p.name,
      optional: !p.required,
      key: p.key,
      noEcho: p.secret,
      ...(p.queryable === undefined ? {} : { queryable: p.queryable }),
      ...(p.description === undefined ? {} : { description: p.description }),
    })),
    ...(Object.keys(urls).length > 0 ? { urls } : {}),
  };
}
