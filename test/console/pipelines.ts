import {
  type ActionDeclaration,
  CodePipelineClient,
  CreatePipelineCommand,
  type StageDeclaration,
} from "@aws-sdk/client-codepipeline";

/** A PipewrightTest action (PIPEWRIGHT_TEST_PROVIDERS=1): its configuration says what it does. */
export function fake(
  category: "Source" | "Build" | "Deploy",
  name: string,
  configuration: Record<string, string>,
): ActionDeclaration {
  return {
    name,
    actionTypeId: { category, owner: "AWS", provider: "PipewrightTest", version: "1" },
    configuration,
    ...(category === "Source"
      ? { outputArtifacts: [{ name: "Code" }] }
      : { inputArtifacts: [{ name: "Code" }] }),
  };
}

export const approval = (name: string): ActionDeclaration => ({
  name,
  actionTypeId: { category: "Approval", owner: "AWS", provider: "Manual", version: "1" },
});

export function client(
  endpoint: string,
  region = "us-east-1",
  accessKeyId = "AKIDCONSOLE",
  secret = "secret",
) {
  return new CodePipelineClient({ endpoint, region, credentials: { accessKeyId, secretAccessKey: secret } });
}

export async function createPipeline(cp: CodePipelineClient, name: string, stages: StageDeclaration[]) {
  await cp.send(
    new CreatePipelineCommand({
      pipeline: {
        name,
        roleArn: "arn:aws:iam::123456789012:role/pipeline",
        artifactStore: { type: "S3", location: `${name}-artifacts` },
        pipelineType: "V2",
        stages,
      },
    }),
  );
}
