import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
} from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scope, startTaskServer, type TaskServer } from "./task-server.js";

// Containers' `secrets` from Parameter Store and Secrets Manager, resolved when a real task
// (host processes) starts, in every valueFrom form AWS documents; a secret that cannot be read
// stops the task with the agent's ResourceInitializationError and a service event; no value is
// ever in an API answer.
let server: TaskServer;
let out: string;
let secretArn: string;
const PASSWORD = "s3cr3t-from-parameter-store";
const TOKEN = "token-from-secrets-manager-0042";

beforeAll(async () => {
  server = await startTaskServer();
  out = mkdtempSync(join(tmpdir(), "pw-task-secrets-"));
  const by = { now: Date.now(), principal: "test" };
  const { parameters, secrets } = server.assembled.secrets;
  await parameters.put(scope, { name: "/prod/db/password", value: PASSWORD, type: "SecureString" }, by);
  await parameters.put(scope, { name: "flat-name", value: "flat-value", type: "String" }, by);
  const created = await secrets.create(
    scope,
    {
      name: "prod/api",
      secretString: JSON.stringify({ token: TOKEN, port: 5432 }),
      clientRequestToken: "11111111-2222-4333-8444-555555555555",
    },
    Date.now(),
  );
  if (!created.ok) throw new Error(created.error.message);
  secretArn = created.value.record.arn;
  await server.ecs.send(new CreateClusterCommand({ clusterName: "default" }));
}, 30_000);
afterAll(async () => {
  await server?.close();
  rmSync(out, { recursive: true, force: true });
});

const stopped = async (taskArn: string) => {
  await server.until(
    "the task to stop",
    async () => (await server.task("default", taskArn))?.task.lastStatus === "STOPPED",
  );
  return (await server.ecs.send(new DescribeTasksCommand({ tasks: [taskArn] }))).tasks![0]!;
};

describe("task definition secrets", { timeout: 60_000 }, () => {
  it("injects Parameter Store and Secrets Manager values, in every valueFrom form, as environment variables", async () => {
    const file = join(out, "env.txt");
    await server.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "with-secrets",
        containerDefinitions: [
          {
            name: "app",
            image: "busybox",
            entryPoint: ["/bin/sh", "-c"],
            command: [
              `printf '%s\\n' "$BY_NAME" "$BY_ARN" "$FLAT_ARN" "$WHOLE" "$KEY" "$NUMBER" "$PLAIN" > ${file}`,
            ],
            environment: [{ name: "PLAIN", value: "plain" }],
            secrets: [
              { name: "BY_NAME", valueFrom: "/prod/db/password" },
              { name: "BY_ARN", valueFrom: "arn:aws:ssm:us-east-1:123456789012:parameter/prod/db/password" },
              { name: "FLAT_ARN", valueFrom: "arn:aws:ssm:us-east-1:123456789012:parameter/flat-name" },
              { name: "WHOLE", valueFrom: secretArn },
              { name: "KEY", valueFrom: `${secretArn}:token::` },
              { name: "NUMBER", valueFrom: `${secretArn}:port:AWSCURRENT:` },
            ],
          },
        ],
      }),
    );
    const run = await server.ecs.send(new RunTaskCommand({ taskDefinition: "with-secrets" }));
    const task = await stopped(run.tasks![0]!.taskArn!);
    expect(task.stopCode).toBe("EssentialContainerExited");
    expect(task.containers![0]!.exitCode).toBe(0);
    expect(readFileSync(file, "utf8").split("\n")).toEqual([
      PASSWORD,
      PASSWORD,
      "flat-value",
      JSON.stringify({ token: TOKEN, port: 5432 }),
      TOKEN,
      "5432",
      "plain",
      "",
    ]);
    // Only the references are ever shown.
    const described = JSON.stringify(task);
    const definition = JSON.stringify(
      await server.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: "with-secrets" })),
    );
    for (const text of [described, definition]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(TOKEN);
    }
    expect(definition).toContain(`${secretArn}:token::`);
  });

  it("stops a task whose secret does not exist with ResourceInitializationError, and says so in the service's events", async () => {
    await server.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "missing-secret",
        containerDefinitions: [
          {
            name: "app",
            image: "busybox",
            entryPoint: ["/bin/sh", "-c", "sleep 30"],
            secrets: [
              { name: "OK", valueFrom: "/prod/db/password" },
              { name: "GONE", valueFrom: "arn:aws:secretsmanager:us-east-1:123456789012:secret:nope-AbCdEf" },
            ],
          },
        ],
      }),
    );
    const run = await server.ecs.send(new RunTaskCommand({ taskDefinition: "missing-secret" }));
    const task = await stopped(run.tasks![0]!.taskArn!);
    expect(task.stopCode).toBe("TaskFailedToStart");
    expect(task.stoppedReason).toMatch(
      /^ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: .*failed to fetch secret arn:aws:secretsmanager:us-east-1:123456789012:secret:nope-AbCdEf from secrets manager: ResourceNotFoundException: /,
    );
    expect(JSON.stringify(task)).not.toContain(PASSWORD);

    await server.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "missing-parameter",
        containerDefinitions: [
          {
            name: "app",
            image: "busybox",
            entryPoint: ["/bin/sh", "-c", "sleep 30"],
            secrets: [{ name: "GONE", valueFrom: "/no/such/parameter" }],
          },
        ],
      }),
    );
    await server.ecs.send(
      new CreateServiceCommand({
        serviceName: "needs-secret",
        taskDefinition: "missing-parameter",
        desiredCount: 1,
      }),
    );
    let message = "";
    await server.until("the service event", async () => {
      const s = (await server.ecs.send(new DescribeServicesCommand({ services: ["needs-secret"] })))
        .services![0]!;
      message = s.events?.find((e) => e.message?.includes("failed to start"))?.message ?? "";
      return message !== "";
    });
    expect(message).toMatch(
      /^service \(needs-secret\) task [0-9a-f]{32} failed to start: ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: .*invalid parameters: \/no\/such\/parameter/,
    );
  });

  it("refuses a valueFrom that is an ARN of another service, naming the forms it takes", async () => {
    await server.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "bad-arn",
        containerDefinitions: [
          {
            name: "app",
            image: "busybox",
            entryPoint: ["/bin/true"],
            secrets: [{ name: "X", valueFrom: "arn:aws:s3:::bucket/key" }],
          },
        ],
      }),
    );
    const run = await server.ecs.send(new RunTaskCommand({ taskDefinition: "bad-arn" }));
    const task = await stopped(run.tasks![0]!.taskArn!);
    expect(task.stoppedReason).toContain(
      "ResourceInitializationError: unable to pull secrets or registry auth",
    );
    expect(task.stoppedReason).toContain("neither an SSM parameter ARN");
  });
});
