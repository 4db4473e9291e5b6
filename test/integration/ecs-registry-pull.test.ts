import { randomBytes } from "node:crypto";
import { CreateRepositoryCommand, ECRClient } from "@aws-sdk/client-ecr";
import * as ecs from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { connectEngine } from "../../src/build-agent/executors/docker-engine.js";
import { BUSYBOX_IMAGE, ensureBusyboxImage } from "../support/images.js";
import { createDocker } from "../support/registry-tools.js";
import { removeDir, type ServerProcess, startServerProcess } from "../support/server-process.js";

// The seeds' path: an image pushed to Pipewright's own registry (as a pipeline's build does)
// runs as an ECS task although the engine does not have it yet: the task runtime pulls it from
// the registry on loopback. An image of a registry elsewhere is never pulled: the task fails to
// start and says why.
let available = false;
let server: ServerProcess | undefined;
const docker = createDocker();
const repo = `ecs-pull-${randomBytes(4).toString("hex")}`;
let image = "";

beforeAll(async () => {
  const engine = await connectEngine();
  if (!engine) return;
  await ensureBusyboxImage(engine.docker);
  available = true;
}, 120_000);
afterAll(async () => {
  if (image) await docker.run(["rmi", "-f", image]);
  await server?.kill();
  if (server) removeDir(server.dataDir);
  removeDir(docker.config);
});

const until = async <T>(
  what: string,
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  ms = 60_000,
): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

it("runs a task from an image in Pipewright's registry that the engine pulls, and refuses to pull from elsewhere", {
  timeout: 180_000,
}, async ({ skip }) => {
  if (!available) skip("no Docker Engine or Podman API answers");
  // Credentials configured: the registry then wants a token, which the task runtime brings.
  server = await startServerProcess({ env: { PIPEWRIGHT_CREDENTIALS: "AKIDECSPULL:ecs-pull-secret" } });
  const host = new URL(server.endpoint).host;
  const credentials = { accessKeyId: "AKIDECSPULL", secretAccessKey: "ecs-pull-secret" };
  const ecr = new ECRClient({ endpoint: server.endpoint, region: "us-east-1", credentials });
  await ecr.send(new CreateRepositoryCommand({ repositoryName: repo }));
  ecr.destroy();
  image = `${host}/${repo}:1`;
  expect(
    (await docker.run(["login", "-u", "AKIDECSPULL", "--password-stdin", host], "ecs-pull-secret")).code,
  ).toBe(0);
  expect((await docker.run(["tag", BUSYBOX_IMAGE, image])).code).toBe(0);
  const pushed = await docker.run(["push", image]);
  expect(pushed.code, pushed.stderr).toBe(0);
  expect((await docker.run(["rmi", image])).code).toBe(0); // the engine no longer has it under this name

  const c = new ecs.ECSClient({
    endpoint: server.endpoint,
    region: "us-east-1",
    credentials,
    maxAttempts: 1,
  });
  await c.send(new ecs.CreateClusterCommand({}));
  const container = (name: string, from: string) => ({
    name,
    image: from,
    entryPoint: ["/bin/sh", "-c"],
    command: ["trap 'exit 0' TERM; while true; do sleep 0.2; done"],
    stopTimeout: 1,
  });
  await c.send(
    new ecs.RegisterTaskDefinitionCommand({
      family: "pulled",
      containerDefinitions: [container("app", image)],
    }),
  );
  await c.send(
    new ecs.RegisterTaskDefinitionCommand({
      family: "remote",
      containerDefinitions: [container("app", "registry.example.com/app:1")],
    }),
  );
  const describe = async (arn: string) =>
    (await c.send(new ecs.DescribeTasksCommand({ tasks: [arn] }))).tasks![0]!;

  const pulled = (await c.send(new ecs.RunTaskCommand({ taskDefinition: "pulled" }))).tasks![0]!.taskArn!;
  const running = await until(
    "the pulled task to run",
    () => describe(pulled),
    (t) => t.lastStatus === "RUNNING" || t.lastStatus === "STOPPED",
  );
  expect(running.lastStatus, running.stoppedReason).toBe("RUNNING");
  expect((await docker.run(["image", "inspect", image])).code).toBe(0); // pulled

  const remote = (await c.send(new ecs.RunTaskCommand({ taskDefinition: "remote" }))).tasks![0]!.taskArn!;
  const refused = await until(
    "the remote task to stop",
    () => describe(remote),
    (t) => t.lastStatus === "STOPPED",
  );
  expect(refused.stopCode).toBe("TaskFailedToStart");
  expect(refused.stoppedReason).toMatch(
    /CannotStartContainerError: .*registry\.example\.com\/app:1.*pulls only from registries on this machine/u,
  );

  await c.send(new ecs.StopTaskCommand({ task: pulled }));
  await until(
    "the pulled task to stop",
    () => describe(pulled),
    (t) => t.lastStatus === "STOPPED",
  );
  c.destroy();
});
