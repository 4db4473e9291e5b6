import type { ArtifactLocation } from "../../engine/execution-state.js";
import { pipelineArn } from "../../runtime/definitions/arns.js";
import type { TemporaryCredentials } from "../../runtime/executions/job-credentials.js";
import type { JobRecord } from "../../store/types.js";

function artifact(a: ArtifactLocation) {
  return {
    name: a.name,
    ...(a.revision ? { revision: a.revision } : {}),
    location: { type: "S3", s3Location: { bucketName: a.bucket, objectKey: a.key } },
  };
}

/**
 * `JobData` (spec §8.3): what a job worker needs. Secret configuration values are included:
 * job data is the one place AWS shows them. `s3Location` here, `s3location` elsewhere: AWS's
 * spelling differs between the two shapes.
 */
export function renderJobData(job: JobRecord, credentials: TemporaryCredentials) {
  const spec = job.spec;
  return {
    actionTypeId: spec.actionTypeId,
    actionConfiguration: { configuration: spec.configuration },
    pipelineContext: {
      pipelineName: spec.pipelineName,
      stage: { name: spec.stageName },
      action: { name: spec.actionName, actionExecutionId: spec.actionExecutionId },
      pipelineArn: pipelineArn(job.scope, spec.pipelineName),
      pipelineExecutionId: spec.executionId,
    },
    inputArtifacts: spec.inputArtifacts.map(artifact),
    outputArtifacts: spec.outputArtifacts.map(artifact),
    artifactCredentials: credentials,
    ...(spec.continuationToken === undefined ? {} : { continuationToken: spec.continuationToken }),
    ...(spec.encryptionKey ? { encryptionKey: spec.encryptionKey } : {}),
  };
}
