import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import {
  CreateClusterCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
} from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectEngine } from "../../src/build-agent/executors/docker-engine.js";
import { createDockerTaskRuntime } from "../../src/task-runtime/docker-runtime.js";
import { createProcessTaskRuntime } from "../../src/task-runtime/process-runtime.js";
import { BUSYBOX_IMAGE, ensureBusyboxImage } from "../support/images.js";
import { scope, startTaskServer, type TaskServer, TEST_KEYS } from "./task-server.js";

// Tasks' output through the CloudWatch Logs API, judged by Debian's AWS CLI: a real task (host
// process, then Docker) with the awslogs driver writes lines that `aws logs get-log-events`
// reads from `<prefix>/<container>/<task id>`, secret values masked.
const run = promisify(execFile);
const AWS = "/usr/bin/aws";
let server: TaskServer;
const SECRET = "do-not-print-this-value";

async function logs(...args: string[]) {
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: TEST_KEYS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_KEYS.secretAccessKey,
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_PAGER: "",
  };
  try {
    const { stdout } = await run(
      AWS,
      ["logs", ...args, "--endpoint-url", server.endpoint, "--output", "json"],
      {
        env,
      },
    );
    return { code: 0, json: JSON.parse(stdout), stderr: "" };
  } catch (error) {
    const e = error as { code: number; stderr: string };
    return { code: e.code, json: undefined, stderr: e.stderr };
  }
}

const stopped = async (s: TaskServer, taskArn: string) =>
  s.until("the task to stop", async () => (await s.task("default", taskArn))?.task.lastStatus === "STOPPED");

beforeAll(async () => {
  server = await startTaskServer();
  await server.assembled.secrets.parameters.put(
    scope,
    { name: "/app/token", value: SECRET, type: "SecureString" },
    { now: Date.now(), principal: "test" },
  );
  await server.ecs.send(new CreateClusterCommand({ clusterName: "default" }));
}, 30_000);
afterAll(async () => {
  await server?.close();
});

describe.skipIf(!existsSync(AWS))("task logs through the CloudWatch Logs API", { timeout: 90_000 }, () => {
  it("keeps an awslogs container's stdout and stderr in <prefix>/<container>/<task id>, secrets masked", async () => {
    await server.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "chatty",
        containerDefinitions: [
          {
            name: "app",
            image: "busybox",
            entryPoint: ["/bin/sh", "-c"],
            command: ['echo "line one"; echo "token is $TOKEN" >&2; sleep 0.3; printf "last, no newline"'],
            secrets: [{ name: "TOKEN", valueFrom: "/app/token" }],
            logConfiguration: {
              logDriver: "awslogs",
              options: {
                "awslogs-group": "/ecs/chatty",
                "awslogs-stream-prefix": "web",
                "awslogs-region": "us-east-1",
              },
            },
          },
        ],
      }),
    );
    const arn = (await server.ecs.send(new RunTaskCommand({ taskDefinition: "chatty" }))).tasks![0]!.taskArn!;
    const taskId = arn.split("/").pop()!;
    await stopped(server, arn);
    const got = await logs(
      "get-log-events",
      "--log-group-name",
      "/ecs/chatty",
      "--log-stream-name",
      `web/app/${taskId}`,
      "--start-from-head",
    );
    expect(got.stderr).toBe("");
    expect(got.json.events.map((e: { message: string }) => e.message)).toEqual([
      "line one",
      "token is ***",
      "last, no newline",
    ]);
    expect(got.json.events[0].timestamp).toBeGreaterThan(Date.now() - 60_000);
    expect(got.json.nextForwardToken).toMatch(/^f\//);
    // Paging: the newest event alone, then backward from it.
    const newest = await logs(
      "get-log-events",
      "--log-group-name",
      "/ecs/chatty",
      "--log-stream-name",
      `web/app/${taskId}`,
      "--limit",
      "1",
    );
    expect(newest.json.events.map((e: { message: string }) => e.message)).toEqual(["last, no newline"]);
    const before = await logs(
      "get-log-events",
      "--log-group-name",
      "/ecs/chatty",
      "--log-stream-name",
      `web/app/${taskId}`,
      "--next-token",
      newest.json.nextBackwardToken,
    );
    expect(before.json.events.map((e: { message: string }) => e.message)).toEqual([
      "line one",
      "token is ***",
    ]);

    const streams = await logs("describe-log-streams", "--log-group-name", "/ecs/chatty");
    expect(streams.json.logStreams.map((s: { logStreamName: string }) => s.logStreamName)).toEqual([
      `web/app/${taskId}`,
    ]);
    const groups = await logs("describe-log-groups", "--log-group-name-prefix", "/ecs/");
    expect(groups.json.logGroups.map((g: { logGroupName: string }) => g.logGroupName)).toContain(
      "/ecs/chatty",
    );
    const filtered = await logs(
      "filter-log-events",
      "--log-group-name",
      "/ecs/chatty",
      "--filter-pattern",
      "token",
    );
    expect(filtered.json.events.map((e: { message: string }) => e.message)).toEqual(["token is ***"]);
  });

  it("keeps a container without logConfiguration in the console's default, /ecs/<family> ecs/<container>/<task id>", async () => {
    await server.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "plain",
        containerDefinitions: [
          { name: "main", image: "busybox", entryPoint: ["/bin/sh", "-c", "echo plain output"] },
        ],
      }),
    );
    const arn = (await server.ecs.send(new RunTaskCommand({ taskDefinition: "plain" }))).tasks![0]!.taskArn!;
    await stopped(server, arn);
    const got = await logs(
      "get-log-events",
      "--log-group-name",
      "/ecs/plain",
      "--log-stream-name",
      `ecs/main/${arn.split("/").pop()}`,
    );
    expect(got.json.events.map((e: { message: string }) => e.message)).toEqual(["plain output"]);
  });

  it("ships a running task's lines while it runs, not only when it stops", async () => {
    await server.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "long-running",
        containerDefinitions: [
          { name: "main", image: "busybox", entryPoint: ["/bin/sh", "-c", "echo started; exec sleep 60"] },
        ],
      }),
    );
    const arn = (await server.ecs.send(new RunTaskCommand({ taskDefinition: "long-running" }))).tasks![0]!
      .taskArn!;
    const stream = `ecs/main/${arn.split("/").pop()}`;
    let messages: string[] = [];
    await server.until(
      "the first line in the stream",
      async () => {
        const got = await logs(
          "get-log-events",
          "--log-group-name",
          "/ecs/long-running",
          "--log-stream-name",
          stream,
        );
        messages = got.json?.events.map((e: { message: string }) => e.message) ?? [];
        return messages.length > 0;
      },
      20_000,
    );
    expect(messages).toEqual(["started"]);
    expect((await server.task("default", arn))?.task.lastStatus).toBe("RUNNING");
    await server.ecs.send(new StopTaskCommand({ task: arn }));
    await stopped(server, arn);
  });

  it("ships every line of a host process that writes more than the 1 MiB the runtime keeps", async () => {
    const batch = "seq 1 20000 | sed 's/$/ padding-padding-padding-padding-padding/'";
    await server.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "verbose",
        containerDefinitions: [
          {
            name: "main",
            image: "busybox",
            entryPoint: ["/bin/sh", "-c", `${batch}; sleep 3; ${batch}; sleep 3; ${batch}; echo the-end`],
          },
        ],
      }),
    );
    const arn = (await server.ecs.send(new RunTaskCommand({ taskDefinition: "verbose" }))).tasks![0]!
      .taskArn!;
    await stopped(server, arn);
    const got = await logs(
      "get-log-events",
      "--log-group-name",
      "/ecs/verbose",
      "--log-stream-name",
      `ecs/main/${arn.split("/").pop()}`,
      "--limit",
      "2",
    );
    expect(got.json.events.map((e: { message: string }) => e.message)).toEqual([
      "20000 padding-padding-padding-padding-padding",
      "the-end",
    ]);
    // The backward token is the index of the first event returned: 60,001 events in all.
    expect(Number(got.json.nextBackwardToken.slice(2))).toBe(60_001 - 2);
  });

  it("answers a missing group or stream with ResourceNotFoundException", async () => {
    const group = await logs("get-log-events", "--log-group-name", "/no/such", "--log-stream-name", "x");
    expect(group.code).not.toBe(0);
    expect(group.stderr).toMatch(/ResourceNotFoundException.*The specified log group does not exist/);
    const stream = await logs(
      "get-log-events",
      "--log-group-name",
      "/ecs/plain",
      "--log-stream-name",
      "nope",
    );
    expect(stream.stderr).toMatch(/ResourceNotFoundException.*The specified log stream does not exist/);
  });

  it("keeps a Docker task's output the same way", async ({ skip }) => {
    const engine = await connectEngine();
    if (!engine) return skip("no Docker Engine or Podman API answers");
    await ensureBusyboxImage(engine.docker);
    const docker = await startTaskServer({
      docker: createDockerTaskRuntime(engine.docker),
      process: createProcessTaskRuntime(),
    });
    try {
      await docker.ecs.send(new CreateClusterCommand({ clusterName: "default" }));
      await docker.ecs.send(
        new RegisterTaskDefinitionCommand({
          family: "in-docker",
          containerDefinitions: [
            {
              name: "box",
              image: BUSYBOX_IMAGE,
              entryPoint: ["/bin/sh", "-c", "echo from docker; echo to stderr >&2"],
              logConfiguration: {
                logDriver: "awslogs",
                options: { "awslogs-group": "d", "awslogs-stream-prefix": "p" },
              },
            },
          ],
        }),
      );
      const arn = (await docker.ecs.send(new RunTaskCommand({ taskDefinition: "in-docker" }))).tasks![0]!
        .taskArn!;
      await stopped(docker, arn);
      const events = await docker.assembled.ecs.context.store.getTask(
        scope,
        "default",
        arn.split("/").pop()!,
      );
      expect(events?.task.lastStatus).toBe("STOPPED");
      const saved = server;
      server = docker;
      try {
        const got = await logs(
          "get-log-events",
          "--log-group-name",
          "d",
          "--log-stream-name",
          `p/box/${arn.split("/").pop()}`,
        );
        expect(got.json.events.map((e: { message: string }) => e.message).sort()).toEqual([
          "from docker",
          "to stderr",
        ]);
      } finally {
        server = saved;
      }
    } finally {
      await docker.close();
    }
  });
});
