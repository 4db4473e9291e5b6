import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCodeDeployToEcsConfiguration, parseEcsDeployConfiguration } from "./configuration.js";

describe("the ECS action's configuration", () => {
  it("applies FileName and DeploymentTimeout defaults", () => {
    expect(parseEcsDeployConfiguration({ ClusterName: "c", ServiceName: "s" })).toEqual({
      ok: true,
      value: {
        clusterName: "c",
        serviceName: "s",
        fileName: "imagedefinitions.json",
        deploymentTimeoutMinutes: 60,
      },
    });
    const r = parseEcsDeployConfiguration({
      ClusterName: "c",
      ServiceName: "s",
      FileName: "images.json",
      DeploymentTimeout: "15",
    });
    expect(r).toMatchObject({ ok: true, value: { fileName: "images.json", deploymentTimeoutMinutes: 15 } });
  });

  it("names the required keys that are missing (from the built-in catalogue)", () => {
    expect(parseEcsDeployConfiguration({ ServiceName: "s" })).toMatchObject({
      ok: false,
      error: {
        code: "InvalidConfiguration",
        failureType: "ConfigurationError",
        message: expect.stringContaining("ClusterName"),
      },
    });
    const both = parseEcsDeployConfiguration({});
    expect(!both.ok && both.error.message).toContain("ClusterName and ServiceName");
  });

  it.each(["0", "61", "1.5", "ten", "-1"])("refuses DeploymentTimeout %j", (v) => {
    const r = parseEcsDeployConfiguration({ ClusterName: "c", ServiceName: "s", DeploymentTimeout: v });
    expect(!r.ok && r.error.message).toContain(
      `DeploymentTimeout '${v}' is not valid: give a whole number of minutes from 1 to 60`,
    );
  });

  it("refuses a FileName outside the artifact", () => {
    const r = parseEcsDeployConfiguration({ ClusterName: "c", ServiceName: "s", FileName: "../x.json" });
    expect(r.ok).toBe(false);
  });
});

describe("CodeDeployToECS's configuration", () => {
  const base = {
    ApplicationName: "app",
    DeploymentGroupName: "dg",
    TaskDefinitionTemplateArtifact: "Src",
    AppSpecTemplateArtifact: "Src",
  };

  it("reads the image pairs and the template path defaults", () => {
    const r = parseCodeDeployToEcsConfiguration(
      {
        ...base,
        Image1ArtifactName: "Img",
        Image1ContainerName: "IMAGE1_NAME",
        Image3ArtifactName: "Img2",
        Image3ContainerName: "IMAGE",
      },
      ["Src", "Img", "Img2"],
    );
    expect(r).toEqual({
      ok: true,
      value: {
        applicationName: "app",
        deploymentGroupName: "dg",
        taskDefinitionTemplateArtifact: "Src",
        taskDefinitionTemplatePath: "taskdef.json",
        appSpecTemplateArtifact: "Src",
        appSpecTemplatePath: "appspec.yaml",
        images: [
          { index: 1, artifactName: "Img", placeholder: "IMAGE1_NAME" },
          { index: 3, artifactName: "Img2", placeholder: "IMAGE" },
        ],
      },
    });
  });

  it.each([
    [{ Image1ArtifactName: "Img" }, "Image1ArtifactName and Image1ContainerName go together"],
    [{ Image2ContainerName: "X" }, "Image2ArtifactName and Image2ContainerName go together"],
    [
      { Image1ArtifactName: "Nope", Image1ContainerName: "X" },
      "Image1ArtifactName 'Nope' is not an input artifact of this action; its input artifacts are: 'Src', 'Img'.",
    ],
    [
      { TaskDefinitionTemplateArtifact: "Other" },
      "TaskDefinitionTemplateArtifact 'Other' is not an input artifact",
    ],
    [{ Image1ArtifactName: "Img", Image1ContainerName: "<X>" }, "must be a placeholder name"],
    [
      { AppSpecTemplatePath: "../../etc/passwd" },
      "AppSpecTemplatePath '../../etc/passwd' must name a file inside its artifact",
    ],
  ])("refuses %o", (extra, message) => {
    const r = parseCodeDeployToEcsConfiguration({ ...base, ...extra }, ["Src", "Img"]);
    expect(!r.ok && r.error.message).toContain(message);
  });

  it("names the required keys that are missing", () => {
    const r = parseCodeDeployToEcsConfiguration({ ApplicationName: "a" }, []);
    expect(!r.ok && r.error.message).toBe(
      "The CodeDeployToECS action needs configuration DeploymentGroupName, TaskDefinitionTemplateArtifact, AppSpecTemplateArtifact.",
    );
  });
});

describe("configuration parsers under random input", () => {
  const keys = fc.constantFrom(
    "ClusterName",
    "ServiceName",
    "FileName",
    "DeploymentTimeout",
    "ApplicationName",
    "DeploymentGroupName",
    "TaskDefinitionTemplateArtifact",
    "AppSpecTemplateArtifact",
    "TaskDefinitionTemplatePath",
    "AppSpecTemplatePath",
    "Image1ArtifactName",
    "Image1ContainerName",
    "Image4ArtifactName",
    "Image4ContainerName",
    "Other",
  );
  it("never throw and fail only with InvalidConfiguration", () => {
    fc.assert(
      fc.property(
        fc.dictionary(keys, fc.string()),
        fc.array(fc.string(), { maxLength: 3 }),
        (raw, inputs) => {
          for (const r of [
            parseEcsDeployConfiguration(raw),
            parseCodeDeployToEcsConfiguration(raw, inputs),
          ]) {
            if (!r.ok)
              expect(r.error).toMatchObject({
                code: "InvalidConfiguration",
                failureType: "ConfigurationError",
              });
          }
          const ecs = parseEcsDeployConfiguration(raw);
          if (ecs.ok) {
            expect(ecs.value.deploymentTimeoutMinutes).toBeGreaterThanOrEqual(1);
            expect(ecs.value.deploymentTimeoutMinutes).toBeLessThanOrEqual(60);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
