import { describe, expect, it } from "vitest";
import { builtinActionTypeCatalog } from "../action-types/catalog.js";
import type { ActionDeclaration, PipelineDeclaration } from "../declaration.js";
import { parsePipelineDeclaration } from "../parse-pipeline-declaration.js";
import { validatePipeline } from "../validate-pipeline.js";
import { ecsDeployActionIssues } from "./validation.js";

const ecs = (configuration: Record<string, string>): ActionDeclaration =>
  ({
    name: "DeployECS",
    actionTypeId: { category: "Deploy", owner: "AWS", provider: "ECS", version: "1" },
    configuration,
    inputArtifacts: [{ name: "BuildOutput" }],
  }) as ActionDeclaration;

describe("ECS deploy actions at CreatePipeline", () => {
  it("accepts the spec's declaration verbatim and values that are variables", () => {
    const spec = {
      ClusterName: "my-ecs-cluster",
      ServiceName: "sample-app-service",
      FileName: "imagedefinitions.json",
      DeploymentTimeout: "15",
    };
    expect(ecsDeployActionIssues(ecs(spec), "p")).toEqual([]);
    expect(ecsDeployActionIssues(ecs({ ...spec, DeploymentTimeout: "#{Vars.Timeout}" }), "p")).toEqual([]);
  });

  it("reports a DeploymentTimeout out of range at its path", () => {
    expect(
      ecsDeployActionIssues(
        ecs({ ClusterName: "c", ServiceName: "s", DeploymentTimeout: "90" }),
        "pipeline.stages[1].actions[0]",
      ),
    ).toEqual([
      {
        path: "pipeline.stages[1].actions[0].configuration.DeploymentTimeout",
        code: "InvalidEcsConfiguration",
        exception: "InvalidActionDeclarationException",
        severity: "error",
        message: `Action 'DeployECS': DeploymentTimeout '90' is not valid: give a whole number of minutes from 1 to 60, as a string (e.g. "15").`,
      },
    ]);
  });

  it("leaves missing required keys to the generic rule", () => {
    expect(ecsDeployActionIssues(ecs({}), "p")).toEqual([]);
  });

  it("checks CodeDeployToECS image pairs against the input artifacts", () => {
    const action = {
      name: "BlueGreen",
      actionTypeId: { category: "Deploy", owner: "AWS", provider: "CodeDeployToECS", version: "1" },
      configuration: {
        ApplicationName: "a",
        DeploymentGroupName: "d",
        TaskDefinitionTemplateArtifact: "Src",
        AppSpecTemplateArtifact: "Src",
        Image1ArtifactName: "Img",
        Image1ContainerName: "IMAGE1_NAME",
      },
      inputArtifacts: [{ name: "Src" }],
    } as ActionDeclaration;
    const [only] = ecsDeployActionIssues(action, "p");
    expect(only).toMatchObject({
      path: "p.configuration.Image1ArtifactName",
      code: "InvalidCodeDeployToEcsConfiguration",
      message:
        "Action 'BlueGreen': Image1ArtifactName 'Img' is not an input artifact of this action; its input artifacts are: 'Src'.",
    });
  });

  it("runs inside validatePipeline", () => {
    const parsed = parsePipelineDeclaration({
      name: "app",
      roleArn: "arn:aws:iam::123456789012:role/pipeline",
      artifactStore: { type: "S3", location: "bucket" },
      stages: [
        {
          name: "Source",
          actions: [
            {
              name: "Source",
              actionTypeId: { category: "Source", owner: "AWS", provider: "ECR", version: "1" },
              configuration: { RepositoryName: "web" },
              outputArtifacts: [{ name: "Img" }],
            },
          ],
        },
        {
          name: "Deploy",
          actions: [
            {
              ...ecs({ ClusterName: "c", ServiceName: "s", DeploymentTimeout: "0" }),
              inputArtifacts: [{ name: "Img" }],
            },
          ],
        },
      ],
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
    const issues = validatePipeline(parsed.value as PipelineDeclaration, builtinActionTypeCatalog, {
      region: "us-east-1",
      accountId: "1",
    });
    expect(issues.filter((i) => i.severity === "error").map((i) => `${i.path} ${i.code}`)).toEqual([
      "pipeline.stages[1].actions[0].configuration.DeploymentTimeout InvalidEcsConfiguration",
    ]);
  });
});
