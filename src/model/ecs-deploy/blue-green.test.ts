import { describe, expect, it } from "vitest";
import { createService } from "../ecs/services.js";
import type { Service } from "../ecs/types.js";
import { renderBlueGreenInputs } from "./blue-green-inputs.js";
import {
  type BlueGreenDeployment,
  type BlueGreenObservation,
  decideBlueGreen,
  type GreenTask,
} from "./blue-green-progress.js";
import { checkServiceForBlueGreen, deploymentGroupTarget } from "./blue-green-service.js";
import { parseCodeDeployToEcsConfiguration } from "./configuration.js";

const text = (s: string) => new TextEncoder().encode(s);
const TASKDEF = JSON.stringify({
  family: "web",
  containerDefinitions: [{ name: "web", image: "<IMAGE1_NAME>", portMappings: [{ containerPort: 8080 }] }],
});
const APPSPEC = `version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: <TASK_DEFINITION>
        LoadBalancerInfo: {ContainerName: web, ContainerPort: 8080}
`;
const STAND_IN = "arn:aws:ecs:us-east-1:1:task-definition/pending:0";

function config(extra: Record<string, string> = {}) {
  const parsed = parseCodeDeployToEcsConfiguration(
    {
      ApplicationName: "shop",
      DeploymentGroupName: "web",
      TaskDefinitionTemplateArtifact: "Src",
      AppSpecTemplateArtifact: "Src",
      Image1ArtifactName: "Img",
      Image1ContainerName: "IMAGE1_NAME",
      ...extra,
    },
    ["Src", "Img"],
  );
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

function artifacts(
  src: Record<string, string>,
  img: Record<string, string> = { "imageDetail.json": '{"ImageURI":"web@sha256:abc"}' },
) {
  const files = (o: Record<string, string>) => new Map(Object.entries(o).map(([k, v]) => [k, text(v)]));
  return new Map([
    ["Src", files(src)],
    ["Img", files(img)],
  ]);
}

describe("CodeDeployToECS inputs", () => {
  it("substitutes the image and reads the AppSpec's target", () => {
    const r = renderBlueGreenInputs(
      config(),
      artifacts({ "taskdef.json": TASKDEF, "appspec.yaml": APPSPEC }),
      STAND_IN,
    );
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.taskDefinition.containerDefinitions[0]?.image).toBe("web@sha256:abc");
    expect(r.value.appSpec).toMatchObject({ containerName: "web", containerPort: 8080 });
    expect(r.value.containerNames).toEqual(["web"]);
  });

  it.each([
    [
      "taskdef.json missing (the files present listed)",
      config(),
      artifacts({ "appspec.yaml": APPSPEC, "README.md": "x" }),
      "FileMissing",
      /The file taskdef\.json does not exist in the input artifact Src\. Files in the artifact: README\.md, appspec\.yaml\. .*TaskDefinitionTemplatePath/u,
    ],
    [
      "appspec.yaml missing at a configured path",
      config({ AppSpecTemplatePath: "deploy/appspec.yml" }),
      artifacts({ "taskdef.json": TASKDEF, "appspec.yaml": APPSPEC }),
      "FileMissing",
      /The file deploy\/appspec\.yml does not exist in the input artifact Src\. Files in the artifact: appspec\.yaml, taskdef\.json\. .*AppSpecTemplatePath/u,
    ],
    [
      "taskdef.json not JSON",
      config(),
      artifacts({
        "taskdef.json": '{"family": "web",\n  containerDefinitions: []}',
        "appspec.yaml": APPSPEC,
      }),
      "InvalidJson",
      /taskdef\.json is not valid JSON: .* at line 2, column 3/u,
    ],
    [
      "appspec.yaml not YAML",
      config(),
      artifacts({
        "taskdef.json": TASKDEF,
        "appspec.yaml": "version: 0.0\nResources: [\n  TaskDefinition: <TASK_DEFINITION>",
      }),
      "InvalidAppSpec",
      /The AppSpec file appspec\.yaml is not valid YAML at line \d+, column \d+/u,
    ],
    [
      "a placeholder no Image<N> pair names",
      config(),
      artifacts({
        "taskdef.json": JSON.stringify({
          family: "web",
          containerDefinitions: [
            { name: "web", image: "<IMAGE1_NAME>", portMappings: [{ containerPort: 8080 }] },
            { name: "log", image: "<IMAGE2_NAME>" },
          ],
        }),
        "appspec.yaml": APPSPEC,
      }),
      "PlaceholderMismatch",
      /containerDefinitions\[1\] \(log\) in taskdef\.json still has image '<IMAGE2_NAME>': no Image<N>ContainerName is 'IMAGE2_NAME'/u,
    ],
    [
      "an Image<N> placeholder the template lacks",
      config({ Image1ContainerName: "IMAGE" }),
      artifacts({ "taskdef.json": TASKDEF, "appspec.yaml": APPSPEC }),
      "PlaceholderMismatch",
      /does not contain the placeholder <IMAGE> named by Image1ContainerName/u,
    ],
    [
      "imageDetail.json missing from the image artifact",
      config(),
      artifacts({ "taskdef.json": TASKDEF, "appspec.yaml": APPSPEC }, { "imagedefinitions.json": "[]" }),
      "FileMissing",
      /The image file imageDetail\.json does not exist in the input artifact Img\. Files in the artifact: imagedefinitions\.json\./u,
    ],
    [
      "the AppSpec's container is not in the task definition",
      config(),
      artifacts({
        "taskdef.json": TASKDEF,
        "appspec.yaml": APPSPEC.replace("ContainerName: web", "ContainerName: api"),
      }),
      "InvalidAppSpec",
      /names LoadBalancerInfo\.ContainerName 'api', which is not in the task definition; valid container names: 'web'\./u,
    ],
  ])("fails on %s, naming the file and field", (_name, c, files, code, message) => {
    const r = renderBlueGreenInputs(c, files, STAND_IN);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe(code);
    expect(r.error.failureType).toBe("JobFailed");
    expect(r.error.message).toMatch(message);
  });
});

const T0 = Date.UTC(2026, 0, 1);
const TG = "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/web/1";

function blue(extra: Partial<Service> = {}): Service {
  const s = createService(
    {
      serviceArn: "arn:aws:ecs:us-east-1:1:service/shop/web",
      serviceName: "web",
      clusterArn: "arn:aws:ecs:us-east-1:1:cluster/shop",
      taskDefinition: "arn:aws:ecs:us-east-1:1:task-definition/web:1",
      desiredCount: 2,
      launchType: "EC2",
      loadBalancers: [{ targetGroupArn: TG, containerName: "web", containerPort: 8080 }],
      healthCheckGracePeriodSeconds: 3,
    },
    "ecs-svc/blue",
    T0,
    "tester",
  );
  return {
    ...s,
    deployments: s.deployments.map((d) => ({ ...d, rolloutState: "COMPLETED" as const })),
    ...extra,
  };
}

describe("which service a CodeDeployToECS action deploys to", () => {
  const target = deploymentGroupTarget({ applicationName: "shop", deploymentGroupName: "web" });
  const appSpec = { containerName: "web", containerPort: 8080, path: "appspec.yaml" };
  const td = {
    family: "web",
    containerDefinitions: [{ name: "web", portMappings: [{ containerPort: 8080 }] }],
  };
  const check = (s: Service | undefined, a = appSpec, t = td) =>
    checkServiceForBlueGreen(s, target, a, t, "taskdef.json");

  it("is ApplicationName's cluster and DeploymentGroupName's service, stable and load balanced", () => {
    expect(target).toEqual({ cluster: "shop", service: "web" });
    expect(check(blue())).toEqual({
      ok: true,
      value: { blueTaskDefinition: "arn:aws:ecs:us-east-1:1:task-definition/web:1", graceMs: 3000 },
    });
  });

  it("accepts a failed earlier green on its way out beside blue", () => {
    const s = blue();
    const withFailed: Service = {
      ...s,
      deployments: [
        ...s.deployments,
        { ...s.deployments[0]!, id: "ecs-svc/old-green", status: "ACTIVE", rolloutState: "FAILED" },
      ],
    };
    expect(check(withFailed).ok).toBe(true);
  });

  it.each([
    [
      "missing",
      undefined,
      appSpec,
      td,
      /Service web was not found in cluster shop\. Pipewright has no CodeDeploy: ApplicationName names the ECS cluster and DeploymentGroupName the service/u,
    ],
    ["draining", blue({ status: "DRAINING" }), appSpec, td, /is DRAINING; only an ACTIVE service/u],
    [
      "without a matching load balancer",
      blue({ loadBalancers: [] }),
      appSpec,
      td,
      /has no loadBalancers entry with a targetGroupArn for it \(it has none\)/u,
    ],
    [
      "another port in the AppSpec",
      blue(),
      { ...appSpec, containerPort: 80 },
      td,
      /container web port 80, but service web .*\(it has web:8080\)/u,
    ],
    [
      "a container that does not map the port",
      blue(),
      appSpec,
      { family: "web", containerDefinitions: [{ name: "web", portMappings: [] }] },
      /Container web in taskdef\.json maps no containerPort 8080/u,
    ],
    [
      "in the middle of a deployment",
      {
        ...blue(),
        deployments: blue().deployments.map((d) => ({ ...d, rolloutState: "IN_PROGRESS" as const })),
      },
      appSpec,
      td,
      /Service web is not stable: deployment ecs-svc\/blue is PRIMARY IN_PROGRESS.*aws ecs wait services-stable/u,
    ],
    ["scaled to 0", blue({ desiredCount: 0 }), appSpec, td, /desiredCount 0/u],
  ])("refuses a service %s, saying why", (_name, s, a, t, message) => {
    const r = check(s, a, t);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.failureType).toBe("ConfigurationError");
      expect(r.error.message).toMatch(message);
    }
  });
});

describe("the blue/green action's next step", () => {
  const d: BlueGreenDeployment = {
    cluster: "shop",
    service: "web",
    deploymentId: "ecs-svc/green",
    taskDefinitionArn: "td:2",
    blueTaskDefinition: "td:1",
    startedAt: T0,
    greenTimeoutMs: 60_000,
    bakeMs: 5_000,
    graceMs: 2_000,
    greenHasHealthCheck: true,
  };
  const service = {
    serviceName: "web",
    status: "ACTIVE",
    desiredCount: 2,
    deployments: [
      { id: "ecs-svc/green", status: "PRIMARY", desiredCount: 2, rolloutState: "IN_PROGRESS" },
      { id: "ecs-svc/blue", status: "ACTIVE", desiredCount: 2, rolloutState: "COMPLETED" },
    ],
  };
  const arn = (id: string) => `arn:aws:ecs:us-east-1:1:task/shop/${id}`;
  const green = (id: string, extra: Partial<GreenTask> = {}): GreenTask => ({
    taskArn: arn(id),
    lastStatus: "RUNNING",
    desiredStatus: "RUNNING",
    healthStatus: "HEALTHY",
    startedAt: T0,
    containers: [{ name: "web", healthStatus: "HEALTHY" }],
    ...extra,
  });
  const healthy = (id: string, state = "healthy") => ({ targetGroup: "web", taskId: id, state });
  const seen = (tasks: GreenTask[], targets: BlueGreenObservation["targets"]): BlueGreenObservation => ({
    service,
    tasks,
    targets,
  });

  it("waits while green starts, then switches when every green task is healthy everywhere", () => {
    expect(decideBlueGreen(d, seen([green("a")], [healthy("a")]), T0 + 1000)).toMatchObject({
      kind: "wait",
      message: expect.stringContaining("1 of 2 green tasks running, 1 healthy in web"),
    });
    expect(
      decideBlueGreen(
        d,
        seen([green("a"), green("b", { healthStatus: "UNKNOWN" })], [healthy("a"), healthy("b")]),
        T0 + 1000,
      ).kind,
    ).toBe("wait");
    expect(
      decideBlueGreen(d, seen([green("a"), green("b")], [healthy("a"), healthy("b", "initial")]), T0 + 1000)
        .kind,
    ).toBe("wait");
    expect(
      decideBlueGreen(d, seen([green("a"), green("b")], [healthy("a"), healthy("b")]), T0 + 1000),
    ).toEqual({
      kind: "switch",
      taskIds: ["a", "b"],
    });
    // Without a container health check, target health alone decides.
    expect(
      decideBlueGreen(
        { ...d, greenHasHealthCheck: false },
        seen(
          [green("a", { healthStatus: "UNKNOWN" }), green("b", { healthStatus: "UNKNOWN" })],
          [healthy("a"), healthy("b")],
        ),
        T0 + 1000,
      ).kind,
    ).toBe("switch");
  });

  it.each([
    [
      "a green task stopped because its essential container exited",
      [
        green("a", {
          lastStatus: "STOPPED",
          desiredStatus: "STOPPED",
          stopCode: "EssentialContainerExited",
          stoppedReason: "Essential container in task exited",
          containers: [{ name: "web", exitCode: 1 }],
        }),
      ],
      [],
      T0 + 1000,
      "green task a stopped: Essential container in task exited; container web exited with code 1",
    ],
    [
      "a container health check failed",
      [green("a", { healthStatus: "UNHEALTHY", containers: [{ name: "web", healthStatus: "UNHEALTHY" }] })],
      [],
      T0 + 2000,
      "green task a failed its container health check (container web)",
    ],
    [
      "a target is unhealthy after the grace period",
      [green("a")],
      [
        {
          targetGroup: "web",
          taskId: "a",
          state: "unhealthy",
          reason: "Target.FailedHealthChecks",
          description: "Connection refused",
        },
      ],
      T0 + 2000,
      "green task a is unhealthy in target group web: Target.FailedHealthChecks (Connection refused)",
    ],
    [
      "green is not ready in time",
      [green("a")],
      [healthy("a")],
      T0 + 60_000,
      "green was not healthy within 60 s (1 of 2 green tasks running, 1 healthy in web)",
    ],
  ])("rolls back when %s", (_name, tasks, targets, now, reason) => {
    expect(decideBlueGreen(d, seen(tasks, targets), now)).toEqual({ kind: "rollBack", reason });
  });

  it("forgives failed target and container health checks inside the grace period", () => {
    const sick = [{ targetGroup: "web", taskId: "a", state: "unhealthy" }];
    expect(decideBlueGreen(d, seen([green("a")], sick), T0 + 1999).kind).toBe("wait");
    const failing = green("a", {
      healthStatus: "UNHEALTHY",
      containers: [{ name: "web", healthStatus: "UNHEALTHY" }],
    });
    expect(decideBlueGreen(d, seen([failing], [healthy("a")]), T0 + 1999).kind).toBe("wait");
    expect(decideBlueGreen(d, seen([failing], [healthy("a")]), T0 + 2000).kind).toBe("rollBack");
  });

  it("bakes after the switch, then ends the bake, then succeeds when green's deployment is COMPLETED", () => {
    const shifted = { ...d, shiftedAt: T0 + 10_000 };
    expect(decideBlueGreen(shifted, seen([], []), T0 + 12_000)).toMatchObject({
      kind: "wait",
      message: expect.stringContaining("in 3 s"),
    });
    expect(decideBlueGreen(shifted, seen([], []), T0 + 15_000)).toEqual({ kind: "endBake" });
    const ended = { ...shifted, bakeEndedAt: T0 + 15_000 };
    expect(decideBlueGreen(ended, seen([], []), T0 + 16_000).kind).toBe("wait");
    const completed = {
      ...service,
      runningCount: 2,
      deployments: [
        {
          id: "ecs-svc/green",
          status: "PRIMARY",
          desiredCount: 2,
          runningCount: 2,
          rolloutState: "COMPLETED",
          taskDefinition: "td:2",
        },
      ],
    };
    expect(decideBlueGreen(ended, { service: completed, tasks: [], targets: [] }, T0 + 17_000)).toMatchObject(
      { kind: "succeeded" },
    );
  });

  it("fails when the service is gone or another deployment replaced green", () => {
    expect(decideBlueGreen(d, { tasks: [], targets: [] }, T0).kind).toBe("failed");
    const replaced = {
      ...service,
      deployments: [{ id: "ecs-svc/other", status: "PRIMARY" }, ...service.deployments.slice(1)],
    };
    expect(decideBlueGreen(d, { service: replaced, tasks: [], targets: [] }, T0)).toMatchObject({
      kind: "failed",
      message: expect.stringContaining("was replaced by another deployment"),
    });
  });
});
