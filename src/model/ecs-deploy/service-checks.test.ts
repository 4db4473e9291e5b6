import { describe, expect, it } from "vitest";
import { CODE_DEPLOY_CONTROLLER_MESSAGE, checkServiceForEcsAction } from "./service-checks.js";

const arn = "arn:aws:ecs:us-east-1:1:task-definition/web:7";

describe("checkServiceForEcsAction", () => {
  it("answers the task definition of an ACTIVE service with the ECS controller", () => {
    expect(checkServiceForEcsAction({ status: "ACTIVE", taskDefinition: arn }, "c", "web")).toEqual({
      ok: true,
      value: arn,
    });
    expect(
      checkServiceForEcsAction(
        { status: "ACTIVE", taskDefinition: arn, deploymentController: { type: "ECS" } },
        "c",
        "web",
      ).ok,
    ).toBe(true);
  });

  it.each([
    [
      undefined,
      "Service web was not found in cluster c (DescribeServices reports it MISSING); check ClusterName and ServiceName.",
    ],
    [
      { status: "DRAINING", taskDefinition: arn },
      "Service web in cluster c is DRAINING; only an ACTIVE service can be deployed to.",
    ],
    [
      { status: "ACTIVE", taskDefinition: arn, deploymentController: { type: "CODE_DEPLOY" } },
      `${CODE_DEPLOY_CONTROLLER_MESSAGE} Service web uses the CODE_DEPLOY deployment controller: deploy it with a CodeDeployToECS action, not ECS.`,
    ],
    [
      { status: "ACTIVE", taskDefinition: arn, deploymentController: { type: "EXTERNAL" } },
      "Service web uses the EXTERNAL deployment controller; the ECS action deploys only services with the ECS controller.",
    ],
    [
      { status: "ACTIVE" },
      "Service web has no task definition to copy; create it with one (CreateService --task-definition).",
    ],
  ])("refuses %o", (service, message) => {
    expect(checkServiceForEcsAction(service, "c", "web")).toEqual({
      ok: false,
      error: { code: "InvalidConfiguration", failureType: "ConfigurationError", message },
    });
  });
});
