import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import * as ecs from "@aws-sdk/client-ecs";
import {
  ClientException,
  ClusterContainsServicesException,
  ClusterNotFoundException,
  ECSClient,
  InvalidParameterException,
  ServiceNotFoundException,
} from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toNodeListener } from "../../src/main/node-http-adapter.js";
import { createTestWorld } from "../support/test-world.js";

// The ECS API judged by @aws-sdk/client-ecs, Debian's /usr/bin/aws and boto3, against the whole
// server in process on a loopback port. Tasks are not run here (no scheduler is ticking), so
// services stay at desiredCount 0; test/ecs/rolling-*.test.ts run real containers.
const run = promisify(execFile);
const AWS = "/usr/bin/aws";

let server: Server;
let endpoint: string;
let client: ECSClient;
let home: string;

beforeAll(async () => {
  const world = createTestWorld();
  server = createServer(toNodeListener(world.app));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  client = new ECSClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "x", secretAccessKey: "y" },
    maxAttempts: 1,
  });
  home = mkdtempSync(join(tmpdir(), "pw-ecs-cli-"));
});
afterAll(async () => {
  client?.destroy();
  await new Promise((resolve) => server?.close(resolve));
  rmSync(home, { recursive: true, force: true });
});

const web = (image: string) => ({
  name: "web",
  image,
  essential: true,
  portMappings: [{ containerPort: 8080, hostPort: 0 }],
  healthCheck: {
    command: ["CMD-SHELL", "wget -q -O- http://127.0.0.1:8080/ || exit 1"],
    interval: 5,
    retries: 2,
  },
});

describe("the ECS API through @aws-sdk/client-ecs", () => {
  it("creates clusters idempotently, describes a missing one as MISSING, and lists ACTIVE ones", async () => {
    const first = await client.send(new ecs.CreateClusterCommand({ clusterName: "sdk" }));
    const again = await client.send(new ecs.CreateClusterCommand({ clusterName: "sdk" }));
    expect(first.cluster?.clusterArn).toBe("arn:aws:ecs:us-east-1:123456789012:cluster/sdk");
    expect(again.cluster?.clusterArn).toBe(first.cluster?.clusterArn);
    expect(first.cluster).toMatchObject({ status: "ACTIVE", runningTasksCount: 0, activeServicesCount: 0 });
    const described = await client.send(new ecs.DescribeClustersCommand({ clusters: ["sdk", "nope"] }));
    expect(described.clusters?.map((c) => c.clusterName)).toEqual(["sdk"]);
    expect(described.failures).toEqual([
      { arn: "arn:aws:ecs:us-east-1:123456789012:cluster/nope", reason: "MISSING" },
    ]);
    expect((await client.send(new ecs.ListClustersCommand({}))).clusterArns).toContain(
      first.cluster?.clusterArn,
    );
  });

  it("registers revisions 1 and 2 of a family, resolves the family to its latest ACTIVE one, deregisters", async () => {
    const one = await client.send(
      new ecs.RegisterTaskDefinitionCommand({ family: "sdkweb", containerDefinitions: [web("web:1")] }),
    );
    const two = await client.send(
      new ecs.RegisterTaskDefinitionCommand({ family: "sdkweb", containerDefinitions: [web("web:2")] }),
    );
    expect([one.taskDefinition?.revision, two.taskDefinition?.revision]).toEqual([1, 2]);
    expect(two.taskDefinition?.taskDefinitionArn).toBe(
      "arn:aws:ecs:us-east-1:123456789012:task-definition/sdkweb:2",
    );
    expect(two.taskDefinition?.registeredAt).toBeInstanceOf(Date);
    expect(two.taskDefinition?.containerDefinitions?.[0]?.healthCheck).toEqual(web("web:2").healthCheck);
    const latest = await client.send(new ecs.DescribeTaskDefinitionCommand({ taskDefinition: "sdkweb" }));
    expect(latest.taskDefinition?.revision).toBe(2);
    const listed = await client.send(
      new ecs.ListTaskDefinitionsCommand({ familyPrefix: "sdkweb", sort: "DESC" }),
    );
    expect(listed.taskDefinitionArns?.map((a) => a.split(":").at(-1))).toEqual(["2", "1"]);
    const gone = await client.send(new ecs.DeregisterTaskDefinitionCommand({ taskDefinition: "sdkweb:2" }));
    expect(gone.taskDefinition?.status).toBe("INACTIVE");
    expect(
      (await client.send(new ecs.DescribeTaskDefinitionCommand({ taskDefinition: "sdkweb" }))).taskDefinition
        ?.revision,
    ).toBe(1);
    const families = await client.send(new ecs.ListTaskDefinitionFamiliesCommand({ familyPrefix: "sdk" }));
    expect(families.families).toEqual(["sdkweb"]);
    const third = await client.send(
      new ecs.RegisterTaskDefinitionCommand({ family: "sdkweb", containerDefinitions: [web("web:3")] }),
    );
    expect(third.taskDefinition?.revision).toBe(3);
  });

  it("refuses bad task definitions with ClientException naming the field", async () => {
    const bad = client.send(
      new ecs.RegisterTaskDefinitionCommand({
        family: "sdkweb",
        containerDefinitions: [{ ...web("x"), healthCheck: { command: ["CMD", "true"], interval: 1 } }],
      }),
    );
    await expect(bad).rejects.toBeInstanceOf(ClientException);
    await expect(bad).rejects.toThrow(
      "containerDefinitions[0].healthCheck.interval is 1; it must be between 5 and 300 seconds",
    );
    await expect(
      client.send(
        new ecs.RegisterTaskDefinitionCommand({ family: "bad family", containerDefinitions: [web("x")] }),
      ),
    ).rejects.toThrow(/Family 'bad family' is not valid/u);
    await expect(
      client.send(new ecs.DescribeTaskDefinitionCommand({ taskDefinition: "nosuch:4" })),
    ).rejects.toBeInstanceOf(ClientException);
  });

  it("creates, updates, describes, lists and deletes a service with AWS's exceptions", async () => {
    await client.send(
      new ecs.RegisterTaskDefinitionCommand({ family: "svcweb", containerDefinitions: [web("web:1")] }),
    );
    await client.send(
      new ecs.RegisterTaskDefinitionCommand({ family: "svcweb", containerDefinitions: [web("web:2")] }),
    );
    const created = await client.send(
      new ecs.CreateServiceCommand({
        cluster: "sdk",
        serviceName: "api",
        taskDefinition: "svcweb:1",
        desiredCount: 0,
        deploymentConfiguration: {
          deploymentCircuitBreaker: { enable: true, rollback: true },
          maximumPercent: 150,
        },
      }),
    );
    const service = created.service!;
    expect(service.serviceArn).toBe("arn:aws:ecs:us-east-1:123456789012:service/sdk/api");
    expect(service.deploymentConfiguration).toEqual({
      deploymentCircuitBreaker: { enable: true, rollback: true },
      maximumPercent: 150,
      minimumHealthyPercent: 100,
    });
    expect(service.deployments).toHaveLength(1);
    expect(service.deployments?.[0]).toMatchObject({
      status: "PRIMARY",
      rolloutState: "IN_PROGRESS",
      desiredCount: 0,
    });
    expect(service.deployments?.[0]?.id).toMatch(/^ecs-svc\/\d{19}$/u);
    await expect(
      client.send(
        new ecs.CreateServiceCommand({ cluster: "sdk", serviceName: "api", taskDefinition: "svcweb:1" }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);

    const updated = await client.send(
      new ecs.UpdateServiceCommand({ cluster: "sdk", service: "api", taskDefinition: "svcweb" }),
    );
    expect(updated.service?.taskDefinition).toMatch(/svcweb:2$/u);
    expect(updated.service?.deployments?.map((d) => d.status)).toEqual(["PRIMARY", "ACTIVE"]);
    const scaled = await client.send(
      new ecs.UpdateServiceCommand({ cluster: "sdk", service: "api", desiredCount: 2 }),
    );
    expect(scaled.service?.deployments).toHaveLength(2);
    expect(scaled.service?.deployments?.[0]?.desiredCount).toBe(2);

    const described = await client.send(
      new ecs.DescribeServicesCommand({ cluster: "sdk", services: ["api", "ghost"] }),
    );
    expect(described.services?.map((s) => s.serviceName)).toEqual(["api"]);
    expect(described.failures).toEqual([
      { arn: "arn:aws:ecs:us-east-1:123456789012:service/sdk/ghost", reason: "MISSING" },
    ]);
    expect((await client.send(new ecs.ListServicesCommand({ cluster: "sdk" }))).serviceArns).toEqual([
      service.serviceArn,
    ]);

    await expect(
      client.send(new ecs.UpdateServiceCommand({ cluster: "sdk", service: "ghost", desiredCount: 1 })),
    ).rejects.toBeInstanceOf(ServiceNotFoundException);
    await expect(client.send(new ecs.ListServicesCommand({ cluster: "nowhere" }))).rejects.toBeInstanceOf(
      ClusterNotFoundException,
    );
    await expect(client.send(new ecs.DeleteClusterCommand({ cluster: "sdk" }))).rejects.toBeInstanceOf(
      ClusterContainsServicesException,
    );
    const refused = client.send(new ecs.DeleteServiceCommand({ cluster: "sdk", service: "api" }));
    await expect(refused).rejects.toThrow(/cannot be stopped while it is scaled above 0/u);
    const deleted = await client.send(
      new ecs.DeleteServiceCommand({ cluster: "sdk", service: "api", force: true }),
    );
    expect(deleted.service).toMatchObject({ status: "DRAINING", desiredCount: 0 });
    await expect(
      client.send(new ecs.UpdateServiceCommand({ cluster: "sdk", service: "api", desiredCount: 1 })),
    ).rejects.toThrow(/Service was not ACTIVE/u);
  });

  it("runs, describes, lists and stops standalone tasks (stopping is the scheduler's job)", async () => {
    await client.send(new ecs.CreateClusterCommand({ clusterName: "tasks" }));
    const started = await client.send(
      new ecs.RunTaskCommand({ cluster: "tasks", taskDefinition: "svcweb:2", count: 2, startedBy: "me" }),
    );
    expect(started.tasks).toHaveLength(2);
    const task = started.tasks![0]!;
    expect(task).toMatchObject({
      lastStatus: "PROVISIONING",
      desiredStatus: "RUNNING",
      group: "family:svcweb",
      startedBy: "me",
    });
    expect(task.taskArn).toMatch(/^arn:aws:ecs:us-east-1:123456789012:task\/tasks\/[0-9a-f]{32}$/u);
    expect(task.containers?.[0]).toMatchObject({ name: "web", image: "web:2", lastStatus: "PENDING" });
    const listed = await client.send(new ecs.ListTasksCommand({ cluster: "tasks", family: "svcweb" }));
    expect(listed.taskArns?.sort()).toEqual(started.tasks!.map((t) => t.taskArn).sort());
    const stopped = await client.send(
      new ecs.StopTaskCommand({ cluster: "tasks", task: task.taskArn!, reason: "done" }),
    );
    expect(stopped.task).toMatchObject({
      desiredStatus: "STOPPED",
      stoppedReason: "done",
      stopCode: "UserInitiated",
    });
    expect(
      (await client.send(new ecs.ListTasksCommand({ cluster: "tasks", desiredStatus: "STOPPED" }))).taskArns,
    ).toEqual([task.taskArn]);
    const described = await client.send(
      new ecs.DescribeTasksCommand({ cluster: "tasks", tasks: [task.taskArn!, "0123"] }),
    );
    expect(described.tasks?.map((t) => t.taskArn)).toEqual([task.taskArn]);
    expect(described.failures?.[0]?.reason).toBe("MISSING");
  });
});

describe.skipIf(!existsSync(AWS))("the ECS API through /usr/bin/aws and boto3", { timeout: 60_000 }, () => {
  const env = () => ({
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    AWS_ACCESS_KEY_ID: "x",
    AWS_SECRET_ACCESS_KEY: "y",
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_PAGER: "",
    AWS_MAX_ATTEMPTS: "1",
  });
  async function aws(...args: string[]) {
    try {
      const { stdout } = await run(AWS, ["ecs", ...args, "--endpoint-url", endpoint, "--output", "json"], {
        env: env(),
      });
      return { code: 0, stderr: "", json: stdout.trim() ? JSON.parse(stdout) : {} };
    } catch (error) {
      const e = error as { code: number; stderr: string };
      return { code: e.code, stderr: e.stderr, json: {} };
    }
  }

  it("creates a service, waits services-stable on it, and describes it", async () => {
    expect((await aws("create-cluster", "--cluster-name", "cli")).code).toBe(0);
    const registered = await aws(
      "register-task-definition",
      "--cli-input-json",
      JSON.stringify({ family: "cliweb", containerDefinitions: [web("web:1")] }),
    );
    expect(registered.json.taskDefinition.revision).toBe(1);
    const created = await aws(
      "create-service",
      "--cluster",
      "cli",
      "--service-name",
      "site",
      "--task-definition",
      "cliweb",
      "--desired-count",
      "0",
    );
    expect(created.json.service.status).toBe("ACTIVE");
    const started = Date.now();
    const waited = await aws("wait", "services-stable", "--cluster", "cli", "--services", "site");
    expect(waited.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    const described = await aws("describe-services", "--cluster", "cli", "--services", "site");
    expect(described.json.services[0].deployments[0].taskDefinition).toMatch(/cliweb:1$/u);
    expect(typeof described.json.services[0].createdAt).toBe("string");
  });

  it("fails the waiter on a MISSING service, and reports errors with AWS's exception names", async () => {
    const waited = await aws("wait", "services-stable", "--cluster", "cli", "--services", "ghost");
    expect(waited.code).not.toBe(0);
    expect(waited.stderr).toMatch(/Waiter ServicesStable failed/u);
    const missing = await aws(
      "update-service",
      "--cluster",
      "cli",
      "--service",
      "ghost",
      "--desired-count",
      "1",
    );
    expect(missing.stderr).toMatch(/ServiceNotFoundException.*Service not found/u);
    const noCluster = await aws("describe-services", "--cluster", "nowhere", "--services", "site");
    expect(noCluster.stderr).toMatch(/ClusterNotFoundException.*Cluster not found/u);
  });

  it("parses DescribeServices and DescribeTaskDefinition in boto3", async () => {
    const script = `
import boto3, json
c = boto3.client("ecs", endpoint_url="${endpoint}", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y")
s = c.describe_services(cluster="cli", services=["site", "ghost"])
t = c.describe_task_definition(taskDefinition="cliweb:1")["taskDefinition"]
print(json.dumps({"name": s["services"][0]["serviceName"], "year": s["services"][0]["createdAt"].year,
  "failures": s["failures"], "hc": t["containerDefinitions"][0]["healthCheck"]["interval"]}))
`;
    const { stdout } = await run("/usr/bin/python3", ["-c", script], { env: env() });
    expect(JSON.parse(stdout)).toEqual({
      name: "site",
      year: 2026,
      failures: [{ arn: "arn:aws:ecs:us-east-1:123456789012:service/cli/ghost", reason: "MISSING" }],
      hc: 5,
    });
  });
});
