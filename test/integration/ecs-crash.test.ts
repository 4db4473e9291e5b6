import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as ecs from "@aws-sdk/client-ecs";
import type Dockerode from "dockerode";
import { afterAll, beforeAll, expect, it } from "vitest";
import { connectEngine } from "../../src/build-agent/executors/docker-engine.js";
import { BUSYBOX_IMAGE, ensureBusyboxImage } from "../support/images.js";
import { removeDir, type ServerProcess, startServerProcess } from "../support/server-process.js";

// SIGKILL the server in the middle of a rolling deployment, start it again on the same data
// directory: the rollout finishes, and Docker holds exactly one container per open task (no
// duplicate, no orphan of the killed server).
let docker: Dockerode | undefined;
let server: ServerProcess | undefined;
let dataDir: string | undefined;
const reason = "no Docker Engine or Podman API answers";

beforeAll(async () => {
  const engine = await connectEngine();
  if (!engine) return;
  await ensureBusyboxImage(engine.docker);
  docker = engine.docker;
}, 120_000);
afterAll(async () => {
  await server?.kill("SIGKILL");
  if (docker && dataDir) {
    const nodeId = readFileSync(join(dataDir, "node-id"), "utf8").trim();
    for (const c of await docker.listContainers({
      all: true,
      filters: { label: [`pipewright.ecs.node=${nodeId}`] },
    }))
      await docker.getContainer(c.Id).remove({ force: true });
  }
  if (dataDir) removeDir(dataDir);
});

const client = (endpoint: string) =>
  new ecs.ECSClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "x", secretAccessKey: "y" },
    maxAttempts: 1,
  });
const until = async <T>(
  what: string,
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  ms = 90_000,
): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};
const definition = (version: string): ecs.RegisterTaskDefinitionCommandInput => ({
  family: "crash",
  containerDefinitions: [
    {
      name: "web",
      image: BUSYBOX_IMAGE,
      entryPoint: ["/bin/sh", "-c"],
      command: [`mkdir -p /www && echo ${version} > /www/index.html && exec httpd -f -p 8080 -h /www`],
      portMappings: [{ containerPort: 8080 }],
      healthCheck: {
        command: ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:8080/"],
        interval: 5,
        retries: 1,
      },
      stopTimeout: 1,
    },
  ],
});

it("finishes a rollout after a SIGKILL with one container per task and none left over", {
  timeout: 240_000,
}, async ({ skip }) => {
  if (!docker) skip(reason);
  server = await startServerProcess();
  dataDir = server.dataDir;
  const nodeId = readFileSync(join(dataDir, "node-id"), "utf8").trim();
  let c = client(server.endpoint);
  await c.send(new ecs.CreateClusterCommand({}));
  await c.send(new ecs.RegisterTaskDefinitionCommand(definition("v1")));
  await c.send(
    new ecs.CreateServiceCommand({ serviceName: "web", taskDefinition: "crash", desiredCount: 3 }),
  );
  const describe = async () =>
    (await c.send(new ecs.DescribeServicesCommand({ services: ["web"] }))).services![0]!;
  const stable = (revision: number) => (s: ecs.Service) =>
    s.deployments?.length === 1 &&
    s.deployments[0]?.rolloutState === "COMPLETED" &&
    s.runningCount === 3 &&
    (s.taskDefinition ?? "").endsWith(`:${revision}`);
  await until("v1 stable", describe, stable(1));

  await c.send(new ecs.RegisterTaskDefinitionCommand(definition("v2")));
  await c.send(new ecs.UpdateServiceCommand({ service: "web", taskDefinition: "crash:2" }));
  // Kill it once the new deployment has tasks starting or running, before it completes.
  await until(
    "v2 tasks under way",
    describe,
    (s) => (s.deployments?.[0]?.pendingCount ?? 0) + (s.deployments?.[0]?.runningCount ?? 0) >= 1,
    30_000,
  );
  await server.kill("SIGKILL");
  c.destroy();

  const t = Date.now();
  server = await startServerProcess({ dataDir });
  c = client(server.endpoint);
  const done = await until("v2 stable after the restart", describe, stable(2));
  console.log(`rollout finished ${Date.now() - t} ms after the restart`);
  expect(done.deployments?.[0]?.taskDefinition).toMatch(/crash:2$/u);
  const arns = (await c.send(new ecs.ListTasksCommand({ serviceName: "web" }))).taskArns ?? [];
  expect(arns).toHaveLength(3);
  const tasks = (await c.send(new ecs.DescribeTasksCommand({ tasks: arns }))).tasks ?? [];
  for (const task of tasks) {
    const port = task.containers?.[0]?.networkBindings?.[0]?.hostPort;
    expect((await (await fetch(`http://127.0.0.1:${port}/`)).text()).trim()).toBe("v2");
  }
  // Exactly one container per open task: the killed server's leftovers were adopted or removed.
  const settled = await until(
    "the old containers to be removed",
    () => docker!.listContainers({ all: true, filters: { label: [`pipewright.ecs.node=${nodeId}`] } }),
    (list) => list.length === 3,
    30_000,
  );
  expect(settled.map((x) => x.Labels["pipewright.ecs.task-arn"]).sort()).toEqual([...arns].sort());
  expect(settled.every((x) => x.State === "running")).toBe(true);

  await c.send(new ecs.UpdateServiceCommand({ service: "web", desiredCount: 0 }));
  await until(
    "every container gone",
    () => docker!.listContainers({ all: true, filters: { label: [`pipewright.ecs.node=${nodeId}`] } }),
    (l) => l.length === 0,
    60_000,
  );
  c.destroy();
});
