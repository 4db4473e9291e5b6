import { describe, expect, it } from "vitest";
import { builtinActionTypes } from "./action-types/builtin-action-types.js";
import { builtinActionTypeCatalog, createActionTypeCatalog } from "./action-types/catalog.js";
import type { PipelineDeclaration } from "./declaration.js";
import { parsePipelineDeclaration } from "./parse-pipeline-declaration.js";
import { validatePipeline } from "./validate-pipeline.js";
import type { ValidationIssue } from "./validation-issue.js";

/** A valid V1 pipeline: CodeCommit source, CodeBuild build, S3 deploy. Each row breaks one thing. */
// biome-ignore lint/suspicious/noExplicitAny: each row edits the declaration as untyped JSON.
function valid(): any {
  return {
    name: "app",
    roleArn: "arn:aws:iam::123456789012:role/pipeline",
    artifactStore: { type: "S3", location: "artifact-bucket" },
    stages: [
      {
        name: "Source",
        actions: [
          {
            name: "Source",
            namespace: "SourceVariables",
            actionTypeId: { category: "Source", owner: "AWS", provider: "CodeCommit", version: "1" },
            configuration: { RepositoryName: "app", BranchName: "main" },
            outputArtifacts: [{ name: "SourceOutput" }],
          },
        ],
      },
      {
        name: "Build",
        actions: [
          {
            name: "Build",
            runOrder: 1,
            actionTypeId: { category: "Build", owner: "AWS", provider: "CodeBuild", version: "1" },
            configuration: {
              ProjectName: "build",
              EnvironmentVariables: '[{"name":"C","value":"#{SourceVariables.CommitId}"}]',
            },
            inputArtifacts: [{ name: "SourceOutput" }],
            outputArtifacts: [{ name: "BuildOutput" }],
          },
          {
            name: "Deploy",
            runOrder: 2,
            actionTypeId: { category: "Deploy", owner: "AWS", provider: "S3", version: "1" },
            configuration: { BucketName: "site", Extract: "true" },
            inputArtifacts: [{ name: "BuildOutput" }],
          },
        ],
      },
    ],
  };
}

// biome-ignore lint/suspicious/noExplicitAny: each row edits the declaration as untyped JSON.
const v2Source = (p: any) => {
  p.pipelineType = "V2";
  p.stages[0].actions[0] = {
    name: "Source",
    actionTypeId: { category: "Source", owner: "AWS", provider: "CodeStarSourceConnection", version: "1" },
    configuration: {
      ConnectionArn: "arn:aws:codestar-connections:us-east-1:123456789012:connection/x",
      FullRepositoryId: "o/r",
      BranchName: "main",
    },
    outputArtifacts: [{ name: "SourceOutput" }],
  };
  p.stages[1].actions[0].configuration = { ProjectName: "build" };
};

function check(p: unknown): ValidationIssue[] {
  const parsed = parsePipelineDeclaration(p, "pipeline");
  if (!parsed.ok) return parsed.error;
  return validatePipeline(parsed.value, builtinActionTypeCatalog, {
    region: "us-east-1",
    accountId: "123456789012",
  });
}

type Row = [
  name: string,
  // biome-ignore lint/suspicious/noExplicitAny: each row edits the declaration as untyped JSON.
  change: (p: any) => void,
  exception: string,
  message: string | RegExp,
  path: string,
];

const S1 = "pipeline.stages[1]";
const A0 = `${S1}.actions[0]`;
const rows: Row[] = [
  [
    "one stage",
    (p) => p.stages.pop(),
    "InvalidStructureException",
    "Pipeline has only 1 stage(s). There should be a minimum of 2 stages in a pipeline",
    "pipeline.stages",
  ],
  [
    "first stage without a source action",
    (p) => {
      p.stages[0].actions[0].actionTypeId = {
        category: "Build",
        owner: "AWS",
        provider: "CodeBuild",
        version: "1",
      };
    },
    "InvalidStructureException",
    "The first stage 'Source' must contain only Source actions",
    "pipeline.stages[0]",
  ],
  [
    "a source action outside the first stage",
    (p) => {
      p.stages[1].actions.push({
        ...structuredClone(p.stages[0].actions[0]),
        name: "Late",
        namespace: undefined,
        outputArtifacts: [{ name: "Late" }],
      });
    },
    "InvalidStructureException",
    "Source action 'Late' is in stage 'Build'; Source actions are only allowed in the first stage",
    `${S1}.actions[2].actionTypeId.category`,
  ],
  [
    "duplicate stage names",
    (p) => {
      p.stages[1].name = "Source";
    },
    "InvalidStructureException",
    "Stage name 'Source' is used more than once; stage names must be unique within a pipeline",
    `${S1}.name`,
  ],
  [
    "a stage with no actions",
    (p) => {
      p.stages.push({ name: "Empty", actions: [] });
    },
    "InvalidStageDeclarationException",
    "Stage 'Empty' has no actions; a stage needs at least one action",
    "pipeline.stages[2].actions",
  ],
  [
    "duplicate action names in a stage",
    (p) => {
      p.stages[1].actions[1].name = "Build";
    },
    "InvalidStageDeclarationException",
    "Action name 'Build' is used more than once in stage 'Build'; action names must be unique within a stage",
    `${S1}.actions[1].name`,
  ],
  [
    "an input artifact nobody produced",
    (p) => {
      p.stages[1].actions[0].inputArtifacts = [{ name: "Nope" }];
    },
    "InvalidStructureException",
    "Input artifact 'Nope' of action 'Build' is not produced by an earlier action (an earlier stage, or this stage with a lower runOrder)",
    `${A0}.inputArtifacts[0].name`,
  ],
  [
    "an input artifact produced in the same runOrder group",
    (p) => {
      p.stages[1].actions[1].runOrder = 1;
    },
    "InvalidStructureException",
    /Input artifact 'BuildOutput' of action 'Deploy' is not produced by an earlier action/,
    `${S1}.actions[1].inputArtifacts[0].name`,
  ],
  [
    "duplicate output artifact names",
    (p) => {
      p.stages[1].actions[0].outputArtifacts = [{ name: "SourceOutput" }];
      p.stages[1].actions[1].inputArtifacts = [{ name: "SourceOutput" }];
    },
    "InvalidStructureException",
    "Output artifact name 'SourceOutput' of action 'Build' is already produced by action 'Source'; output artifact names must be unique in a pipeline",
    `${A0}.outputArtifacts[0].name`,
  ],
  [
    "an artifact used as input and output of one action",
    (p) => {
      p.stages[1].actions[0].outputArtifacts = [{ name: "SourceOutput" }];
    },
    "InvalidStructureException",
    /Output artifact name 'SourceOutput'/,
    `${A0}.outputArtifacts[0].name`,
  ],
  [
    "too few input artifacts",
    (p) => {
      p.stages[1].actions[0].inputArtifacts = [];
    },
    "InvalidActionDeclarationException",
    "Action Build declares 0 input artifacts which is less than the minimum count (1)",
    `${A0}.inputArtifacts`,
  ],
  [
    "too many input artifacts",
    (p) => {
      p.stages[1].actions[1].inputArtifacts = [{ name: "BuildOutput" }, { name: "SourceOutput" }];
    },
    "InvalidActionDeclarationException",
    "Action Deploy declares 2 input artifacts which is more than the maximum count (1)",
    `${S1}.actions[1].inputArtifacts`,
  ],
  [
    "too many output artifacts on a source",
    (p) => {
      p.stages[0].actions[0].outputArtifacts.push({ name: "Extra" });
    },
    "InvalidActionDeclarationException",
    "Action Source declares 2 output artifacts which is more than the maximum count (1)",
    "pipeline.stages[0].actions[0].outputArtifacts",
  ],
  [
    "an unknown provider",
    (p) => {
      p.stages[1].actions[0].actionTypeId.provider = "Jenkinz";
    },
    "InvalidActionDeclarationException",
    "ActionType (Category: 'Build', Provider: 'Jenkinz', Owner: 'AWS', Version: '1') in action 'Build' is not available in region 'US_EAST_1'",
    `${A0}.actionTypeId`,
  ],
  [
    "an unknown version",
    (p) => {
      p.stages[1].actions[0].actionTypeId.version = "2";
    },
    "InvalidActionDeclarationException",
    /Version: '2'\) in action 'Build' is not available/,
    `${A0}.actionTypeId`,
  ],
  [
    "a missing required configuration key",
    (p) => {
      delete p.stages[0].actions[0].configuration.BranchName;
    },
    "InvalidActionDeclarationException",
    "Action configuration for action 'Source' is missing required configuration 'BranchName'",
    "pipeline.stages[0].actions[0].configuration.BranchName",
  ],
  [
    "an unknown configuration key",
    (p) => {
      p.stages[0].actions[0].configuration.Branch = "main";
    },
    "InvalidActionDeclarationException",
    "Action configuration for action 'Source' contains unknown configuration 'Branch'",
    "pipeline.stages[0].actions[0].configuration.Branch",
  ],
  [
    "a pipeline name with a space",
    (p) => {
      p.name = "my app";
    },
    "ValidationException",
    "Value 'my app' at 'pipeline.name' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9.@\\-_]+",
    "pipeline.name",
  ],
  [
    "a pipeline name over 100 characters",
    (p) => {
      p.name = "x".repeat(101);
    },
    "ValidationException",
    /at 'pipeline.name' failed to satisfy constraint: Member must have length less than or equal to 100/,
    "pipeline.name",
  ],
  [
    "an empty stage name",
    (p) => {
      p.stages[1].name = "";
    },
    "ValidationException",
    /at 'pipeline.stages.2.member.name' failed to satisfy constraint: Member must have length greater than or equal to 1/,
    `${S1}.name`,
  ],
  [
    "an artifact name with a dot",
    (p) => {
      p.stages[1].actions[1].inputArtifacts = [{ name: "Build.Output" }];
    },
    "ValidationException",
    /Value 'Build.Output' at 'pipeline.stages.2.member.actions.2.member.inputArtifacts.1.member.name' failed to satisfy constraint: Member must satisfy regular expression pattern/,
    `${S1}.actions[1].inputArtifacts[0].name`,
  ],
  [
    "runOrder 0",
    (p) => {
      p.stages[1].actions[0].runOrder = 0;
    },
    "ValidationException",
    "Value '0' at 'pipeline.stages.2.member.actions.1.member.runOrder' failed to satisfy constraint: Member must have value greater than or equal to 1",
    `${A0}.runOrder`,
  ],
  [
    "runOrder 1000",
    (p) => {
      p.stages[1].actions[0].runOrder = 1000;
    },
    "ValidationException",
    /Member must have value less than or equal to 999/,
    `${A0}.runOrder`,
  ],
  [
    "a fractional runOrder",
    (p) => {
      p.stages[1].actions[0].runOrder = 1.5;
    },
    "SerializationException",
    /Expected an integer but found number/,
    `${A0}.runOrder`,
  ],
  [
    "a missing roleArn",
    (p) => {
      delete p.roleArn;
    },
    "ValidationException",
    "Value null at 'pipeline.roleArn' failed to satisfy constraint: Member must not be null",
    "pipeline.roleArn",
  ],
  [
    "a roleArn that is not a role",
    (p) => {
      p.roleArn = "arn:aws:iam::123456789012:user/x";
    },
    "ValidationException",
    /at 'pipeline.roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern/,
    "pipeline.roleArn",
  ],
  [
    "an unknown category",
    (p) => {
      p.stages[1].actions[0].actionTypeId.category = "Compile";
    },
    "ValidationException",
    /Member must satisfy enum value set: \[Source, Build, Deploy, Test, Invoke, Approval, Compute\]/,
    `${A0}.actionTypeId.category`,
  ],
  [
    "a configuration value over 1000 characters",
    (p) => {
      p.stages[1].actions[0].configuration.ProjectName = "p".repeat(1001);
    },
    "ValidationException",
    "Value at 'pipeline.stages.2.member.actions.1.member.configuration' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 1000]",
    `${A0}.configuration`,
  ],
  [
    "a stages member that is not a list",
    (p) => {
      p.stages = {};
    },
    "SerializationException",
    /Expected a list but found object at 'pipeline.stages'/,
    "pipeline.stages",
  ],
  [
    "triggers in an explicit V1 pipeline",
    (p) => {
      v2Source(p);
      p.pipelineType = "V1";
      p.triggers = [
        {
          providerType: "CodeStarSourceConnection",
          gitConfiguration: { sourceActionName: "Source", push: [{ tags: { includes: ["v*"] } }] },
        },
      ];
    },
    "InvalidStructureException",
    "Triggers on tag can only be used with V2 pipelines",
    "pipeline.triggers",
  ],
  [
    "variables in an explicit V1 pipeline",
    (p) => {
      p.pipelineType = "V1";
      p.variables = [{ name: "ENV", defaultValue: "dev" }];
    },
    "InvalidStructureException",
    "Pipeline variables can only be used with V2 pipelines",
    "pipeline.variables",
  ],
  [
    "QUEUED in an explicit V1 pipeline",
    (p) => {
      p.pipelineType = "V1";
      p.executionMode = "QUEUED";
    },
    "InvalidStructureException",
    "Execution mode QUEUED can only be used with V2 pipelines",
    "pipeline.executionMode",
  ],
  [
    "stage conditions in an explicit V1 pipeline",
    (p) => {
      p.pipelineType = "V1";
      p.stages[1].onFailure = { result: "RETRY" };
    },
    "InvalidStructureException",
    "Stage conditions (stage 'Build') can only be used with V2 pipelines",
    S1,
  ],
  [
    "a V2-only action type (ECRBuildAndPublish) in a V1 pipeline",
    (p) => {
      p.pipelineType = "V1";
      p.stages[1].actions[0] = {
        name: "Image",
        actionTypeId: { category: "Build", owner: "AWS", provider: "ECRBuildAndPublish", version: "1" },
        configuration: { ECRRepositoryName: "app" },
        inputArtifacts: [{ name: "SourceOutput" }],
      };
      p.stages[1].actions[1].inputArtifacts = [{ name: "SourceOutput" }];
    },
    "InvalidStructureException",
    "The Build action ECRBuildAndPublish ('Image') can only be used with V2 pipelines",
    A0,
  ],
  [
    "a trigger on an unknown source action",
    (p) => {
      v2Source(p);
      p.triggers = [
        {
          providerType: "CodeStarSourceConnection",
          gitConfiguration: { sourceActionName: "Nope", push: [{ branches: { includes: ["main"] } }] },
        },
      ];
    },
    "InvalidStructureException",
    "Trigger names source action 'Nope', which is not an action of the first stage",
    "pipeline.triggers[0].gitConfiguration.sourceActionName",
  ],
  [
    "a trigger on a CodeCommit source",
    (p) => {
      p.pipelineType = "V2";
      p.triggers = [
        {
          providerType: "CodeStarSourceConnection",
          gitConfiguration: { sourceActionName: "Source", push: [{ branches: { includes: ["main"] } }] },
        },
      ];
    },
    "InvalidStructureException",
    /uses provider 'CodeCommit'; triggers need a CodeStarSourceConnection source action/,
    "pipeline.triggers[0].gitConfiguration.sourceActionName",
  ],
  [
    "two triggers for one source action",
    (p) => {
      v2Source(p);
      const t = {
        providerType: "CodeStarSourceConnection",
        gitConfiguration: { sourceActionName: "Source", push: [{ branches: { includes: ["main"] } }] },
      };
      p.triggers = [t, structuredClone(t)];
    },
    "InvalidStructureException",
    /has more than one trigger/,
    "pipeline.triggers[1].gitConfiguration.sourceActionName",
  ],
  [
    "a push filter mixing tags and branches",
    (p) => {
      v2Source(p);
      p.triggers = [
        {
          providerType: "CodeStarSourceConnection",
          gitConfiguration: {
            sourceActionName: "Source",
            push: [{ tags: { includes: ["v*"] }, branches: { includes: ["main"] } }],
          },
        },
      ];
    },
    "InvalidStructureException",
    "A push filter can hold tags alone, or branches with optional filePaths, not both",
    "pipeline.triggers[0].gitConfiguration.push[0]",
  ],
  [
    "more than 8 include patterns",
    (p) => {
      v2Source(p);
      p.triggers = [
        {
          providerType: "CodeStarSourceConnection",
          gitConfiguration: {
            sourceActionName: "Source",
            push: [{ branches: { includes: Array(9).fill("b") } }],
          },
        },
      ];
    },
    "ValidationException",
    /Member must have length less than or equal to 8/,
    "pipeline.triggers[0].gitConfiguration.push[0].branches.includes",
  ],
  [
    "duplicate namespaces",
    (p) => {
      p.stages[1].actions[0].namespace = "SourceVariables";
    },
    "InvalidActionDeclarationException",
    "Namespace 'SourceVariables' of action 'Build' is already used by action 'Source'; namespaces must be unique in a pipeline",
    `${A0}.namespace`,
  ],
  [
    "a namespace equal to an artifact name",
    (p) => {
      p.stages[1].actions[0].namespace = "BuildOutput";
    },
    "InvalidActionDeclarationException",
    /Namespace 'BuildOutput' of action 'Build' is also an artifact name/,
    `${A0}.namespace`,
  ],
  [
    "a reference to an unknown namespace",
    (p) => {
      p.stages[1].actions[0].configuration.ProjectName = "#{Nope.X}";
    },
    "InvalidActionDeclarationException",
    "Action 'Build' refers to namespace 'Nope', which no earlier action (earlier stage, or lower runOrder) declares",
    `${A0}.configuration.ProjectName`,
  ],
  [
    "a reference to a later namespace",
    (p) => {
      p.stages[1].actions[1].namespace = "DeployVars";
      p.stages[1].actions[0].configuration.ProjectName = "#{DeployVars.X}";
    },
    "InvalidActionDeclarationException",
    /refers to namespace 'DeployVars', which no earlier action/,
    `${A0}.configuration.ProjectName`,
  ],
  [
    "an undeclared pipeline variable",
    (p) => {
      v2Source(p);
      p.stages[1].actions[0].configuration.ProjectName = "#{variables.ENV}";
    },
    "InvalidActionDeclarationException",
    "Variable '#{variables.ENV}' in action 'Build' is not declared in pipeline.variables",
    `${A0}.configuration.ProjectName`,
  ],
  [
    "both artifactStore and artifactStores",
    (p) => {
      p.artifactStores = { "us-east-1": { type: "S3", location: "b-east" } };
    },
    "InvalidStructureException",
    "Pipeline declares both artifactStore and artifactStores; use exactly one of them",
    "pipeline.artifactStores",
  ],
  [
    "no artifact store",
    (p) => {
      delete p.artifactStore;
    },
    "InvalidStructureException",
    "Pipeline declares neither artifactStore nor artifactStores; add one",
    "pipeline.artifactStore",
  ],
  [
    "no artifact store for an action's region",
    (p) => {
      delete p.artifactStore;
      p.artifactStores = { "us-east-1": { type: "S3", location: "b-east" } };
      p.stages[1].actions[1].region = "eu-west-1";
    },
    "InvalidStructureException",
    /no artifact store for region 'eu-west-1'/,
    "pipeline.artifactStores",
  ],
  [
    "a cross-region source action",
    (p) => {
      p.stages[0].actions[0].region = "eu-west-1";
      p.artifactStores = undefined;
    },
    "InvalidActionDeclarationException",
    "Action 'Source' cannot run in region 'eu-west-1': it is a Source action, and Source, ThirdParty and Custom actions must run in the pipeline's region 'us-east-1'; remove region or set it to 'us-east-1'",
    "pipeline.stages[0].actions[0].region",
  ],
  [
    "a cross-region ThirdParty action",
    (p) => {
      delete p.artifactStore;
      p.artifactStores = {
        "us-east-1": { type: "S3", location: "b-east" },
        "eu-west-1": { type: "S3", location: "b-west" },
      };
      p.stages[1].actions[1] = {
        name: "Alexa",
        runOrder: 2,
        region: "eu-west-1",
        actionTypeId: { category: "Deploy", owner: "ThirdParty", provider: "AlexaSkillsKit", version: "1" },
        configuration: { ClientId: "c", ClientSecret: "s", RefreshToken: "r", SkillId: "k" },
        inputArtifacts: [{ name: "BuildOutput" }],
      };
    },
    "InvalidActionDeclarationException",
    /^Action 'Alexa' cannot run in region 'eu-west-1': it is an action of owner ThirdParty/,
    "pipeline.stages[1].actions[1].region",
  ],
  [
    "PARALLEL with a ROLLBACK failure result",
    (p) => {
      v2Source(p);
      p.executionMode = "PARALLEL";
      p.stages[1].onFailure = { result: "ROLLBACK" };
    },
    "InvalidStructureException",
    "Stage 'Build' uses ROLLBACK, which PARALLEL pipelines cannot use",
    `${S1}.onFailure.result`,
  ],
  [
    "an S3 deploy with Extract false and no ObjectKey",
    (p) => {
      p.stages[1].actions[1].configuration.Extract = "false";
    },
    "InvalidActionDeclarationException",
    "Action 'Deploy' has Extract set to false, so ObjectKey is required",
    `${S1}.actions[1].configuration.ObjectKey`,
  ],
  [
    "a CodeBuild action with two inputs and no PrimarySource",
    (p) => {
      p.stages[1].actions[1].inputArtifacts = [{ name: "SourceOutput" }];
      p.stages[1].actions[1] = {
        ...p.stages[1].actions[0],
        name: "Build2",
        runOrder: 2,
        outputArtifacts: [],
        inputArtifacts: [{ name: "SourceOutput" }, { name: "BuildOutput" }],
      };
    },
    "InvalidActionDeclarationException",
    /has 2 input artifacts; set PrimarySource/,
    `${S1}.actions[1].configuration.PrimarySource`,
  ],
  [
    "a Commands action without commands",
    (p) => {
      v2Source(p);
      p.stages[1].actions[1] = {
        name: "Cmd",
        runOrder: 2,
        actionTypeId: { category: "Compute", owner: "AWS", provider: "Commands", version: "1" },
        inputArtifacts: [{ name: "BuildOutput" }],
      };
    },
    "InvalidActionDeclarationException",
    "Action Cmd must have a non-empty commands field",
    `${S1}.actions[1].commands`,
  ],
  [
    "an unknown rule type in a condition",
    (p) => {
      v2Source(p);
      p.stages[1].beforeEntry = {
        conditions: [
          {
            result: "FAIL",
            rules: [
              { name: "r", ruleTypeId: { category: "Rule", owner: "AWS", provider: "Coin", version: "1" } },
            ],
          },
        ],
      };
    },
    "InvalidStructureException",
    /Rule type 'Coin' does not exist/,
    `${S1}.beforeEntry.conditions[0].rules[0].ruleTypeId.provider`,
  ],
  [
    "SKIP with a CloudWatchAlarm rule",
    (p) => {
      v2Source(p);
      p.stages[1].beforeEntry = {
        conditions: [
          {
            result: "SKIP",
            rules: [
              {
                name: "r",
                ruleTypeId: { category: "Rule", owner: "AWS", provider: "CloudWatchAlarm", version: "1" },
                configuration: { AlarmName: "a" },
              },
            ],
          },
        ],
      };
    },
    "InvalidStructureException",
    /Result SKIP works only with VariableCheck and LambdaInvoke rules/,
    `${S1}.beforeEntry.conditions[0].rules[0]`,
  ],
  [
    "a LambdaInvoke rule, which Pipewright cannot evaluate",
    (p) => {
      v2Source(p);
      p.stages[1].onSuccess = {
        conditions: [
          {
            result: "FAIL",
            rules: [
              {
                name: "smoke",
                ruleTypeId: { category: "Rule", owner: "AWS", provider: "LambdaInvoke", version: "1" },
                configuration: { FunctionName: "smoke-test" },
              },
            ],
          },
        ],
      };
    },
    "InvalidStructureException",
    /Rule 'smoke' uses LambdaInvoke, which Pipewright cannot evaluate; it evaluates VariableCheck rules only/,
    `${S1}.onSuccess.conditions[0].rules[0].ruleTypeId.provider`,
  ],
  [
    "a VariableCheck rule without Value",
    (p) => {
      v2Source(p);
      p.stages[1].beforeEntry = {
        conditions: [
          {
            result: "FAIL",
            rules: [
              {
                name: "branch",
                ruleTypeId: { category: "Rule", owner: "AWS", provider: "VariableCheck", version: "1" },
                configuration: { Variable: "#{variables.X}", Operator: "EQ" },
              },
            ],
          },
        ],
      };
    },
    "InvalidStructureException",
    "VariableCheck rule 'branch' is missing required configuration 'Value'",
    `${S1}.beforeEntry.conditions[0].rules[0].configuration.Value`,
  ],
  [
    "a VariableCheck rule with an unknown operator",
    (p) => {
      v2Source(p);
      p.stages[1].beforeEntry = {
        conditions: [
          {
            result: "FAIL",
            rules: [
              {
                name: "branch",
                ruleTypeId: { category: "Rule", owner: "AWS", provider: "VariableCheck", version: "1" },
                configuration: { Variable: "#{variables.X}", Operator: "LIKE", Value: "main" },
              },
            ],
          },
        ],
      };
    },
    "InvalidStructureException",
    "VariableCheck rule 'branch' has Operator 'LIKE'; use one of EQ, NE, CONTAINS, MATCHES",
    `${S1}.beforeEntry.conditions[0].rules[0].configuration.Operator`,
  ],
];

describe("validatePipeline: one broken thing per row", () => {
  it("accepts the valid base pipeline with no errors", () => {
    expect(check(valid()).filter((i) => i.severity === "error")).toEqual([]);
  });

  it.each(rows)("reports %s", (_name, change, exception, message, path) => {
    const p = valid();
    change(p);
    const errors = check(p).filter((i) => i.severity === "error");
    const match = errors.find(
      (i) =>
        i.path === path && (typeof message === "string" ? i.message === message : message.test(i.message)),
    );
    expect(match, JSON.stringify(errors, null, 2)).toBeDefined();
    expect(match?.exception).toBe(exception);
  });

  it("has at least 45 rows", () => {
    expect(rows.length).toBeGreaterThanOrEqual(45);
  });

  it("reports every independent problem at once", () => {
    const p = valid();
    p.stages[1].name = "Source";
    p.stages[1].actions[0].actionTypeId.provider = "Nope";
    p.stages[1].actions[1].configuration.Extract = "false";
    expect(check(p).filter((i) => i.severity === "error")).toHaveLength(3);
  });

  it("warns, without an error, that a provider Pipewright cannot run yet is accepted", () => {
    const issues = check(valid());
    expect(issues.find((i) => i.code === "ProviderNotExecutable")?.severity).toBe("warning");
  });

  it("accepts region on Source, ThirdParty and Custom actions when it is the pipeline's own (AWS's S3 source example)", () => {
    const p = valid();
    p.stages[0].actions[0].region = "us-east-1";
    p.stages[1].actions[1] = {
      name: "Alexa",
      runOrder: 2,
      region: "us-east-1",
      actionTypeId: { category: "Deploy", owner: "ThirdParty", provider: "AlexaSkillsKit", version: "1" },
      configuration: { ClientId: "c", ClientSecret: "s", RefreshToken: "r", SkillId: "k" },
      inputArtifacts: [{ name: "BuildOutput" }],
    };
    expect(check(p).filter((i) => i.severity === "error")).toEqual([]);
  });

  it("accepts an AWS deploy action in another region that has an artifact store", () => {
    const p = valid();
    delete p.artifactStore;
    p.artifactStores = {
      "us-east-1": { type: "S3", location: "b-east" },
      "eu-west-1": { type: "S3", location: "b-west" },
    };
    p.stages[1].actions[1].region = "eu-west-1";
    expect(check(p).filter((i) => i.severity === "error")).toEqual([]);
  });

  it("checks custom action types against their registered properties", () => {
    const p: PipelineDeclaration = valid();
    p.stages[1]!.actions.push({
      name: "Jenkins",
      runOrder: 3,
      actionTypeId: { category: "Test", owner: "Custom", provider: "Jenkins", version: "1" },
      configuration: {},
      inputArtifacts: [{ name: "BuildOutput" }],
    });
    const catalog = createActionTypeCatalog([
      ...builtinActionTypes,
      {
        id: { category: "Test", owner: "Custom", provider: "Jenkins", version: "1" },
        actionConfigurationProperties: [{ name: "ProjectName", required: true, key: true, secret: false }],
        inputArtifactDetails: { minimumCount: 1, maximumCount: 1 },
        outputArtifactDetails: { minimumCount: 0, maximumCount: 0 },
        executable: true,
      },
    ]);
    const issues = validatePipeline(p, catalog, { region: "us-east-1", accountId: "123456789012" });
    expect(issues.map((i) => i.message)).toContain(
      "Action configuration for action 'Jenkins' is missing required configuration 'ProjectName'",
    );
  });
});
