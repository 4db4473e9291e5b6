import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateClusterCommand,
  DescribeTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
} from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { connectEngine } from "../../src/build-agent/executors/docker-engine.js";
import { startBridgeForwarder } from "../../src/main/bridge-forwarder.js";
import { createDockerTaskRuntime } from "../../src/task-runtime/docker-runtime.js";
import { createProcessTaskRuntime } from "../../src/task-runtime/process-runtime.js";
import { BUSYBOX_IMAGE, ensureBusyboxImage } from "../support/images.js";
import { startTaskServer, type TaskServer } from "./task-server.js";

// A task's own AWS calls reach Pipewright: a host-process task runs Debian's AWS CLI (through
// the inside shim) and @aws-sdk/client-ecs with no credentials or endpoint of its own, only what
// the task gets (the container credentials endpoint, AWS_ENDPOINT_URL). Its session ends with it.
let server: TaskServer;
let out: string;

beforeAll(async () => {
  server = await startTaskServer();
  out = mkdtempSync(join(tmpdir(), "pw-task-credentials-"));
  await server.ecs.send(new CreateClusterCommand({ clusterName: "default" }));
  await server.ecs.send(new CreateClusterCommand({ clusterName: "seen-from-inside" }));
}, 30_000);
afterAll(async () => {
  await server?.close();
  rmSync(out, { recursive: true, force: true });
});

const sdkScript = `
const { ECSClient, ListClustersCommand } = require("@aws-sdk/client-ecs");
new ECSClient({}).send(new ListClustersCommand({}))
  .then((r) => require("node:fs").writeFileSync(process.argv[1], JSON.stringify(r.clusterArns)))
  .catch((e) => { console.error(e); process.exit(3); });
`;

it.skipIf(!existsSync("/usr/bin/aws"))(
  "a task calls `aws ecs list-clusters` and the SDK v3 with the task's credentials, which stop working once it stopped",
  { timeout: 90_000 },
  async () => {
    await server.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "caller",
        taskRoleArn: "arn:aws:iam::123456789012:role/caller",
        containerDefinitions: [
          {
            name: "app",
            image: "amazon/aws-cli",
            workingDirectory: process.cwd(),
            entryPoint: ["/bin/sh", "-c"],
            command: [
              [
                "set -e",
                `printf %s "$AWS_CONTAINER_AUTHORIZATION_TOKEN" > ${out}/token`,
                `env | grep -c '^AWS_ACCESS_KEY_ID=' > ${out}/static-keys || true`,
                `aws ecs list-clusters --output json > ${out}/cli.json`,
                `${process.execPath} -e '${sdkScript}' ${out}/sdk.json`,
              ].join("\n"),
            ],
          },
        ],
      }),
    );
    const run = await server.ecs.send(new RunTaskCommand({ taskDefinition: "caller" }));
    const arn = run.tasks![0]!.taskArn!;
    await server.until(
      "the task to stop",
      async () => (await server.task("default", arn))?.task.lastStatus === "STOPPED",
    );
    const task = (await server.ecs.send(new DescribeTasksCommand({ tasks: [arn] }))).tasks![0]!;
    expect(task.containers![0]!.exitCode).toBe(0);
    const cluster = "arn:aws:ecs:us-east-1:123456789012:cluster/seen-from-inside";
    expect(JSON.parse(readFileSync(join(out, "cli.json"), "utf8")).clusterArns).toContain(cluster);
    expect(JSON.parse(readFileSync(join(out, "sdk.json"), "utf8"))).toContain(cluster);
    // Credentials come from the endpoint only, as on ECS (no static keys in the environment).
    expect(readFileSync(join(out, "static-keys"), "utf8").trim()).toBe("0");
    const token = readFileSync(join(out, "token"), "utf8");
    expect(token.length).toBeGreaterThan(20);
    const after = await fetch(`${server.endpoint}/_pipewright/inside/credentials`, {
      headers: { authorization: token },
    });
    expect(after.status).toBe(401);
  },
);

it("a Docker task of networkMode host fetches its credentials from the endpoint; a bridge task reaches the server through the bridge forwarder with the session's keys", {
  timeout: 120_000,
}, async ({ skip }) => {
  const engine = await connectEngine();
  if (!engine) return skip("no Docker Engine or Podman API answers");
  await ensureBusyboxImage(engine.docker);
  let endpoint = "";
  const forwarder = await startBridgeForwarder(engine.docker, () => endpoint);
  const docker = await startTaskServer({
    docker: createDockerTaskRuntime(engine.docker),
    process: createProcessTaskRuntime(),
    ...(forwarder ? { bridgeEndpoint: forwarder.endpoint } : {}),
  });
  endpoint = docker.endpoint;
  try {
    await docker.ecs.send(new CreateClusterCommand({ clusterName: "default" }));
    const fetchCredentials =
      'busybox wget -q -O - --header "Authorization: $AWS_CONTAINER_AUTHORIZATION_TOKEN" "$AWS_CONTAINER_CREDENTIALS_FULL_URI" | busybox grep -q AccessKeyId && echo "$PATH" | busybox grep -q inside-bin && test -x "$(echo "$PATH" | busybox cut -d: -f1)/aws"';
    for (const [family, networkMode] of [
      ["docker-host", "host"],
      ["docker-bridge", "bridge"],
    ] as const) {
      await docker.ecs.send(
        new RegisterTaskDefinitionCommand({
          family,
          networkMode,
          containerDefinitions: [
            { name: "app", image: BUSYBOX_IMAGE, entryPoint: ["/bin/sh", "-c"], command: [fetchCredentials] },
          ],
        }),
      );
    }
    const exitOf = async (family: string) => {
      const arn = (await docker.ecs.send(new RunTaskCommand({ taskDefinition: family }))).tasks![0]!.taskArn!;
      await docker.until(
        "the task to stop",
        async () => (await docker.task("default", arn))?.task.lastStatus === "STOPPED",
      );
      return (await docker.ecs.send(new DescribeTasksCommand({ tasks: [arn] }))).tasks![0]!.containers![0]!
        .exitCode;
    };
    expect(await exitOf("docker-host")).toBe(0);
    // The bridge network: no credentials endpoint (the SDKs take loopback http URIs only), the
    // session's keys instead, and the server through the forwarder on the bridge gateway.
    expect(await exitOf("docker-bridge")).not.toBe(0);
    if (!forwarder) return skip("the engine's bridge network has no IPv4 gateway on this host");
    await docker.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "docker-bridge-keys",
        containerDefinitions: [
          {
            name: "app",
            image: BUSYBOX_IMAGE,
            entryPoint: ["/bin/sh", "-c"],
            command: [
              'test -z "$AWS_CONTAINER_CREDENTIALS_FULL_URI" && test -n "$AWS_SESSION_TOKEN" && test -n "$AWS_ACCESS_KEY_ID" && busybox wget -q -O - "$AWS_ENDPOINT_URL/_pipewright/health" | busybox grep -q ok',
            ],
          },
        ],
      }),
    );
    expect(await exitOf("docker-bridge-keys")).toBe(0);
  } finally {
    await docker.close();
    await forwarder?.close();
  }
});
