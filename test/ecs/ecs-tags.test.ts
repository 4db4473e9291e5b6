import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import {
  ClusterNotFoundException,
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeTaskDefinitionCommand,
  InvalidParameterException,
  ListTagsForResourceCommand,
  RegisterTaskDefinitionCommand,
  ResourceNotFoundException,
  RunTaskCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTaskServer, type TaskServer, TEST_KEYS } from "./task-server.js";

// ECS tags judged by @aws-sdk/client-ecs and Debian's AWS CLI: TagResource, UntagResource and
// ListTagsForResource on clusters, services, task definitions and tasks; tags given at create;
// propagateTags to the tasks a service or RunTask starts.
const run = promisify(execFile);
let server: TaskServer;
const ARN = "arn:aws:ecs:us-east-1:123456789012";

const tagsOf = async (resourceArn: string) =>
  (await server.ecs.send(new ListTagsForResourceCommand({ resourceArn }))).tags;

beforeAll(async () => {
  server = await startTaskServer();
  await server.ecs.send(
    new CreateClusterCommand({ clusterName: "default", tags: [{ key: "team", value: "platform" }] }),
  );
  await server.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: "tagged",
      tags: [{ key: "app", value: "web" }],
      containerDefinitions: [{ name: "app", image: "busybox", entryPoint: ["/bin/sh", "-c", "sleep 30"] }],
    }),
  );
}, 30_000);
afterAll(async () => {
  await server?.close();
});

describe("ECS tags", { timeout: 60_000 }, () => {
  it("keeps tags given at create and changes them with TagResource / UntagResource on every resource kind", async () => {
    expect(await tagsOf(`${ARN}:cluster/default`)).toEqual([{ key: "team", value: "platform" }]);
    const td = `${ARN}:task-definition/tagged:1`;
    expect(await tagsOf(td)).toEqual([{ key: "app", value: "web" }]);
    const described = await server.ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: "tagged", include: ["TAGS"] }),
    );
    expect(described.tags).toEqual([{ key: "app", value: "web" }]);

    await server.ecs.send(
      new CreateServiceCommand({
        serviceName: "web",
        taskDefinition: "tagged",
        desiredCount: 0,
        tags: [{ key: "tier", value: "front" }],
      }),
    );
    const task = (
      await server.ecs.send(
        new RunTaskCommand({ taskDefinition: "tagged", tags: [{ key: "run", value: "1" }] }),
      )
    ).tasks![0]!.taskArn!;
    for (const arn of [`${ARN}:cluster/default`, `${ARN}:service/default/web`, td, task]) {
      await server.ecs.send(
        new TagResourceCommand({
          resourceArn: arn,
          tags: [
            { key: "owner", value: "me" },
            { key: "cost", value: "1" },
          ],
        }),
      );
      await server.ecs.send(
        new TagResourceCommand({ resourceArn: arn, tags: [{ key: "cost", value: "2" }] }),
      );
      await server.ecs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ["owner", "absent"] }));
      const tags = await tagsOf(arn);
      expect(tags?.find((t) => t.key === "cost")).toEqual({ key: "cost", value: "2" });
      expect(tags?.find((t) => t.key === "owner")).toBeUndefined();
    }
    expect(await tagsOf(`${ARN}:service/default/web`)).toEqual([
      { key: "tier", value: "front" },
      { key: "cost", value: "2" },
    ]);
    expect(await tagsOf(task)).toEqual([
      { key: "run", value: "1" },
      { key: "cost", value: "2" },
    ]);
  });

  it("propagates the task definition's or the service's tags to the tasks started", async () => {
    const run = await server.ecs.send(
      new RunTaskCommand({
        taskDefinition: "tagged:1",
        propagateTags: "TASK_DEFINITION",
        tags: [
          { key: "app", value: "override" },
          { key: "own", value: "yes" },
        ],
      }),
    );
    expect(await tagsOf(run.tasks![0]!.taskArn!)).toEqual([
      { key: "app", value: "override" },
      { key: "cost", value: "2" },
      { key: "own", value: "yes" },
    ]);
    await server.ecs.send(
      new CreateServiceCommand({
        serviceName: "propagating",
        taskDefinition: "tagged",
        desiredCount: 1,
        propagateTags: "SERVICE",
        tags: [{ key: "svc", value: "propagating" }],
      }),
    );
    let tags: unknown;
    await server.until("the service's task", async () => {
      const [t] = await server.assembled.ecs.context.store.listTasks(
        { accountId: "123456789012", region: "us-east-1" },
        "default",
        { serviceName: "propagating" },
      );
      tags = t?.task.tags;
      return t !== undefined;
    });
    expect(tags).toEqual([{ key: "svc", value: "propagating" }]);
  });

  it("answers unknown resources, reserved keys and foreign ARNs with ECS's exceptions", async () => {
    await expect(tagsOf(`${ARN}:cluster/nope`)).rejects.toBeInstanceOf(ClusterNotFoundException);
    await expect(tagsOf(`${ARN}:service/default/nope`)).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(tagsOf(`${ARN}:task-definition/tagged:99`)).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await expect(tagsOf("arn:aws:s3:::bucket")).rejects.toThrow(/not a taggable ECS resource ARN/);
    await expect(tagsOf("arn:aws:ecs:eu-west-1:123456789012:cluster/default")).rejects.toThrow(
      /belongs to 123456789012 in eu-west-1/,
    );
    const reserved = server.ecs.send(
      new TagResourceCommand({ resourceArn: `${ARN}:cluster/default`, tags: [{ key: "aws:x", value: "1" }] }),
    );
    await expect(reserved).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(reserved).rejects.toThrow(/reserved/);
    const tooMany = Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: "v" }));
    await expect(
      server.ecs.send(new CreateClusterCommand({ clusterName: "many", tags: tooMany })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it.skipIf(!existsSync("/usr/bin/aws"))("works with the AWS CLI", async () => {
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: TEST_KEYS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_KEYS.secretAccessKey,
      AWS_DEFAULT_REGION: "us-east-1",
      AWS_PAGER: "",
    };
    const cli = (...args: string[]) =>
      run("/usr/bin/aws", ["ecs", ...args, "--endpoint-url", server.endpoint, "--output", "json"], { env });
    await cli("tag-resource", "--resource-arn", `${ARN}:cluster/default`, "--tags", "key=cli,value=yes");
    const { stdout } = await cli("list-tags-for-resource", "--resource-arn", `${ARN}:cluster/default`);
    expect(JSON.parse(stdout).tags).toContainEqual({ key: "cli", value: "yes" });
  });
});
