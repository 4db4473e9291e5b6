import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parsePipelineDocument } from "../parse-pipeline-declaration.js";
import { validatePipeline } from "../validate-pipeline.js";
import { actionTypeKey } from "./action-type.js";
import { builtinActionTypes } from "./builtin-action-types.js";
import { builtinActionTypeCatalog } from "./catalog.js";

const corpus = join(import.meta.dirname, "../../../test/fixtures/pipelines/aws-reference");

/** Every valid declaration of the corpus, with the errors validation reports for it. */
function errorsOf(file: string) {
  const parsed = parsePipelineDocument(readFileSync(join(corpus, file), "utf8"), file);
  if (!parsed.ok) return parsed.error.filter((i) => i.severity === "error");
  return validatePipeline(parsed.value.pipeline, builtinActionTypeCatalog, {
    region: "us-east-1",
    accountId: "123456789012",
  }).filter((i) => i.severity === "error");
}

describe("the built-in action type catalogue", () => {
  it.each(readdirSync(corpus).filter((f) => f.endsWith(".json")))("accepts %s without an error", (file) => {
    expect(errorsOf(file)).toEqual([]);
  });

  it.each([
    ["Invoke", "AWS", "InspectorScan", [0, 1], [1, 1], ["InspectorRunMode"]],
    ["Invoke", "AWS", "CodePipeline", [0, 0], [0, 0], ["PipelineName"]],
    ["Invoke", "AWS", "StepFunctions", [0, 1], [0, 1], ["StateMachineArn"]],
    ["Build", "AWS", "ECRBuildAndPublish", [1, 1], [0, 0], ["ECRRepositoryName"]],
    ["Deploy", "AWS", "EC2", [1, 1], [0, 0], ["InstanceTagKey", "InstanceType"]],
    ["Deploy", "AWS", "EKS", [1, 1], [0, 0], ["ClusterName"]],
    ["Deploy", "AWS", "Lambda", [0, 1], [0, 0], ["FunctionName"]],
    ["Deploy", "AWS", "CloudFormationStackSet", [1, 3], [0, 0], ["StackSetName", "TemplatePath"]],
    [
      "Deploy",
      "ThirdParty",
      "AlexaSkillsKit",
      [1, 2],
      [0, 0],
      ["ClientId", "ClientSecret", "RefreshToken", "SkillId"],
    ],
    [
      "Test",
      "AWS",
      "DeviceFarm",
      [1, 1],
      [0, 0],
      ["AppType", "ProjectId", "App", "DevicePoolArn", "TestType"],
    ],
    ["Test", "ThirdParty", "BlazeMeter", [0, 5], [0, 5], []],
    ["Test", "ThirdParty", "GhostInspector", [0, 5], [0, 5], []],
    ["Compute", "AWS", "Commands", [1, 10], [0, 1], []],
    ["Approval", "AWS", "Manual", [0, 0], [0, 0], []],
  ] as const)(
    "has %s/%s/%s with AWS's artifact bounds and required keys",
    (category, owner, provider, input, output, required) => {
      const spec = builtinActionTypeCatalog.find({ category, owner, provider, version: "1" });
      expect(spec).toBeDefined();
      expect([spec!.inputArtifactDetails.minimumCount, spec!.inputArtifactDetails.maximumCount]).toEqual(
        input,
      );
      expect([spec!.outputArtifactDetails.minimumCount, spec!.outputArtifactDetails.maximumCount]).toEqual(
        output,
      );
      expect(spec!.actionConfigurationProperties.filter((p) => p.required).map((p) => p.name)).toEqual(
        required,
      );
    },
  );

  it("lists each type once", () => {
    const keys = builtinActionTypes.map((s) => actionTypeKey(s.id));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("still refuses an unknown key on a documented type, but not on a partner type AWS documents no keys for", () => {
    const text = readFileSync(join(corpus, "current-action-types.json"), "utf8");
    const doc = JSON.parse(text);
    doc.pipeline.stages[1].actions[0].configuration.Dockerfile = "x";
    const parsed = parsePipelineDocument(JSON.stringify(doc));
    if (!parsed.ok) throw new Error("fixture does not parse");
    const issues = validatePipeline(parsed.value.pipeline, builtinActionTypeCatalog, {
      region: "us-east-1",
      accountId: "123456789012",
    }).filter((i) => i.severity === "error");
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ["UnknownConfigurationKey", "pipeline.stages[1].actions[0].configuration.Dockerfile"],
    ]);
  });
});
