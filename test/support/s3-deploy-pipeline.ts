import type { ActionDeclaration, PipelineDeclaration } from "@aws-sdk/client-codepipeline";
import { CreateBucketCommand, PutBucketVersioningCommand, type S3Client } from "@aws-sdk/client-s3";

/** A versioned bucket, as the S3 source action needs one. */
export async function createSourceBucket(s3: S3Client, bucket: string): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Enabled" } }),
  );
}

/**
 * The deploy tests' pipeline: a Source stage reading `deploy.zip` of `bucket` (no polling) into
 * artifact `artifact`, then a Deploy stage with the one `deploy` action, which reads it.
 */
export function s3DeployPipeline(options: {
  readonly name: string;
  readonly bucket: string;
  readonly artifact: string;
  readonly deploy: Omit<ActionDeclaration, "inputArtifacts">;
  readonly roleArn?: string;
}): PipelineDeclaration {
  return {
    name: options.name,
    roleArn: options.roleArn ?? "arn:aws:iam::000000000000:role/p",
    artifactStore: { type: "S3", location: `${options.name}-artifacts` },
    stages: [
      {
        name: "Source",
        actions: [
          {
            name: "Source",
            actionTypeId: { category: "Source", owner: "AWS", provider: "S3", version: "1" },
            configuration: {
              S3Bucket: options.bucket,
              S3ObjectKey: "deploy.zip",
              PollForSourceChanges: "false",
            },
            outputArtifacts: [{ name: options.artifact }],
          },
        ],
      },
      { name: "Deploy", actions: [{ ...options.deploy, inputArtifacts: [{ name: options.artifact }] }] },
    ],
  };
}
