import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EcsDeployErrorCode } from "./errors.js";
import { renderAppSpecTemplate, renderTaskDefinitionTemplate } from "./templates.js";

const taskdef = JSON.stringify(
  {
    family: "web",
    containerDefinitions: [
      {
        name: "web",
        image: "<IMAGE1_NAME>",
        essential: true,
        environment: [{ name: "IMG", value: "<IMAGE1_NAME>" }],
      },
      { name: "proxy", image: "<IMAGE>" },
    ],
  },
  null,
  2,
);
const images = [
  { index: 1, placeholder: "IMAGE1_NAME", imageUri: "h/web@sha256:aa" },
  { index: 2, placeholder: "IMAGE", imageUri: "h/proxy@sha256:bb" },
];
const ARN = "arn:aws:ecs:us-east-1:111111111111:task-definition/web:8";
const appspec = `version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: <TASK_DEFINITION>
        LoadBalancerInfo:
          ContainerName: "web"
          ContainerPort: 80
Hooks:
  - AfterAllowTestTraffic: "arn:aws:lambda:us-east-1:111111111111:function:check"
`;
const codes = new Set<string>(Object.values(EcsDeployErrorCode));

describe("taskdef.json templates", () => {
  it("replaces every <NAME> placeholder with its image", () => {
    const r = renderTaskDefinitionTemplate(taskdef, "taskdef.json", images);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.containerDefinitions.map((c) => c.image)).toEqual([
      "h/web@sha256:aa",
      "h/proxy@sha256:bb",
    ]);
    expect(r.value.containerDefinitions[0]!.environment).toEqual([{ name: "IMG", value: "h/web@sha256:aa" }]);
  });

  it.each([
    [
      "{",
      [],
      "InvalidJson",
      "The task definition template taskdef.json is not valid JSON: unexpected end of input, expected a property name in double quotes at line 1, column 2.",
    ],
    ["[]", [], "InvalidTaskDefinition", "must be a JSON object, but it is an array"],
    ['{"containerDefinitions": []}', [], "InvalidTaskDefinition", "has no family"],
    ['{"family": "f"}', [], "InvalidTaskDefinition", "needs containerDefinitions"],
    [
      taskdef,
      [images[0]!, { index: 3, placeholder: "IMAGE3_NAME", imageUri: "x" }],
      "PlaceholderMismatch",
      "does not contain the placeholder <IMAGE3_NAME> named by Image3ContainerName",
    ],
    [
      taskdef,
      [images[0]!],
      "PlaceholderMismatch",
      "containerDefinitions[1] (proxy) in taskdef.json still has image '<IMAGE>': no Image<N>ContainerName is 'IMAGE'",
    ],
  ] as const)("%s -> %s", (text, given, code, message) => {
    const r = renderTaskDefinitionTemplate(text, "taskdef.json", given);
    expect(r).toMatchObject({ ok: false, error: { code, message: expect.stringContaining(message) } });
  });

  it("never throws (fuzzed)", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.constant(taskdef).map((t) => t.replace("<IMAGE>", "<OTHER>")),
        ),
        fc.array(fc.record({ index: fc.nat(4), placeholder: fc.string(), imageUri: fc.string() }), {
          maxLength: 3,
        }),
        (text, given) => {
          const r = renderTaskDefinitionTemplate(text, "taskdef.json", given);
          if (!r.ok) expect(codes.has(r.error.code)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("appspec.yaml templates", () => {
  it("puts the registered task definition in and reads the target container", () => {
    const r = renderAppSpecTemplate(appspec, "appspec.yaml", ARN, ["web", "proxy"]);
    expect(r).toEqual({
      ok: true,
      value: {
        text: appspec.replace("<TASK_DEFINITION>", ARN),
        taskDefinition: ARN,
        containerName: "web",
        containerPort: 80,
        hooks: [{ AfterAllowTestTraffic: "arn:aws:lambda:us-east-1:111111111111:function:check" }],
      },
    });
  });

  it("accepts an AppSpec written as JSON", () => {
    const json = JSON.stringify({
      version: 0,
      Resources: [
        {
          TargetService: {
            Type: "AWS::ECS::Service",
            Properties: {
              TaskDefinition: "<TASK_DEFINITION>",
              LoadBalancerInfo: { ContainerName: "web", ContainerPort: 8080 },
            },
          },
        },
      ],
    });
    expect(renderAppSpecTemplate(json, "appspec.json", ARN)).toMatchObject({
      ok: true,
      value: { containerPort: 8080 },
    });
  });

  it.each([
    [
      appspec.replace("<TASK_DEFINITION>", "web:3"),
      "PlaceholderMismatch",
      "does not contain <TASK_DEFINITION>",
    ],
    ["version: 0.0\nResources: [\n  x: <TASK_DEFINITION>", "InvalidAppSpec", "is not valid YAML at line"],
    ["<TASK_DEFINITION>", "InvalidAppSpec", "must be a mapping, but it is the string"],
    ["Resources: []\nx: <TASK_DEFINITION>", "InvalidAppSpec", "has no version"],
    ["version: 0.0\nx: <TASK_DEFINITION>", "InvalidAppSpec", "needs Resources"],
    [
      "version: 0.0\nx: <TASK_DEFINITION>\nResources:\n  - T:\n      Type: AWS::Lambda::Function",
      "InvalidAppSpec",
      "exactly one resource of Type AWS::ECS::Service under Resources, found 0",
    ],
    [
      appspec.replace(
        "TaskDefinition: <TASK_DEFINITION>",
        "TaskDefinition: x\n        Other: <TASK_DEFINITION>",
      ),
      "InvalidAppSpec",
      "must set Properties.TaskDefinition to <TASK_DEFINITION>",
    ],
    [
      appspec.replace('ContainerName: "web"', "Name: web"),
      "InvalidAppSpec",
      "needs Properties.LoadBalancerInfo.ContainerName",
    ],
    [
      appspec.replace("ContainerPort: 80", "ContainerPort: http"),
      "InvalidAppSpec",
      "ContainerPort, a port from 1 to 65535",
    ],
    [
      appspec.replace('ContainerName: "web"', "ContainerName: api"),
      "InvalidAppSpec",
      "names LoadBalancerInfo.ContainerName 'api', which is not in the task definition; valid container names: 'web', 'proxy'.",
    ],
  ])("%#: %s", (text, code, message) => {
    const r = renderAppSpecTemplate(text, "appspec.yaml", ARN, ["web", "proxy"]);
    expect(r).toMatchObject({ ok: false, error: { code, message: expect.stringContaining(message) } });
  });

  it("never throws (fuzzed, including alias bombs)", () => {
    const bomb = `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: <TASK_DEFINITION>`;
    expect(renderAppSpecTemplate(bomb, "appspec.yaml", ARN).ok).toBe(false);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string().map((s) => `${s}<TASK_DEFINITION>`),
          fc.json().map((s) => `${s} # <TASK_DEFINITION>`),
          fc.constant(appspec).chain((a) => fc.nat(a.length).map((n) => a.slice(0, n) + a.slice(n + 1))),
        ),
        (text) => {
          const r = renderAppSpecTemplate(text, "appspec.yaml", ARN);
          if (!r.ok) expect(codes.has(r.error.code)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
