import { DEMO } from "./demo-names.js";

const invoke = (name: string, functionName: string, parameters: object, runOrder = 1) => ({
  name,
  actionTypeId: { category: "Invoke", owner: "AWS", provider: "Lambda", version: "1" },
  configuration: { FunctionName: functionName, UserParameters: JSON.stringify(parameters) },
  runOrder,
});

const deploy = (cluster: string) => ({
  name: "Deploy",
  actionTypeId: { category: "Deploy", owner: "AWS", provider: "ECS", version: "1" },
  configuration: { ClusterName: cluster, ServiceName: DEMO.service, DeploymentTimeout: "5" },
  inputArtifacts: [{ name: "BuildOutput" }],
  runOrder: 2,
});

const scale = (cluster: string, desiredCount: number) => ({
  cluster,
  service: DEMO.service,
  desiredCount,
});

/**
 * The demo's pipeline (docs/demo.md): Source -> Build -> DeployIntegration -> IntegrationTest ->
 * Cleanup -> Approve -> DeployProduction. The deploy stages scale their service up first (runOrder
 * 1): Cleanup leaves the integration service at 0 tasks, and the ECS action changes only the image.
 */
export function demoPipeline(accountId: string) {
  return {
    name: DEMO.pipeline,
    roleArn: `arn:aws:iam::${accountId}:role/demo-codepipeline`,
    artifactStore: { type: "S3", location: "demo-artifacts" },
    stages: [
      {
        name: "Source",
        actions: [
          {
            name: "Source",
            namespace: "SourceVariables",
            actionTypeId: { category: "Source", owner: "AWS", provider: "CodeCommit", version: "1" },
            configuration: {
              RepositoryName: DEMO.repository,
              BranchName: "main",
              PollForSourceChanges: "false",
            },
            outputArtifacts: [{ name: "SourceOutput" }],
          },
        ],
      },
      {
        name: "Build",
        actions: [
          {
            name: "Build",
            namespace: "BuildVariables",
            actionTypeId: { category: "Build", owner: "AWS", provider: "CodeBuild", version: "1" },
            configuration: { ProjectName: DEMO.project },
            inputArtifacts: [{ name: "SourceOutput" }],
            outputArtifacts: [{ name: "BuildOutput" }],
          },
        ],
      },
      {
        name: "DeployIntegration",
        actions: [invoke("ScaleUp", DEMO.scaleService, scale("integration", 1)), deploy("integration")],
      },
      {
        name: "IntegrationTest",
        actions: [
          invoke("IntegrationTest", DEMO.integrationTest, {
            cluster: "integration",
            service: DEMO.service,
            expect: "#{BuildVariables.IMAGE_TAG}",
          }),
        ],
      },
      { name: "Cleanup", actions: [invoke("ScaleDown", DEMO.scaleService, scale("integration", 0))] },
      {
        name: "Approve",
        actions: [
          {
            name: "Approve",
            actionTypeId: { category: "Approval", owner: "AWS", provider: "Manual", version: "1" },
            configuration: { CustomData: "Integration tests passed: release #{BuildVariables.IMAGE_TAG}?" },
          },
        ],
      },
      {
        name: "DeployProduction",
        actions: [invoke("ScaleUp", DEMO.scaleService, scale("production", 2)), deploy("production")],
      },
    ],
  };
}
