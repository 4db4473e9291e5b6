import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as ecs from "@aws-sdk/client-ecs";
import type Dockerode from "dockerode";
import { afterEach, beforeAll, expect, it } from "vitest";
import { locateEngine } from "../../src/build-agent/executors/docker-engine.js";
import { NODE_LABEL, TASK_ARN_LABEL } from "../../src/runtime/ecs/task-driver.js";
import { BUSYBOX_IMAGE, ensureBusyboxImage } from "../support/images.js";
import { removeDir, type ServerProcess, startServerProcess } from "../support/server-process.js";

// SIGKILL the server (SQLite data directory, tasks in Docker) in the middle of a rolling
// deployment v1 -> v2 of 3 tasks, start it again on the same data directory: the rollout
// finishes (COMPLETED, 3 running v2 tasks serving v2), there is exactly one container per task
// ARN (nothing duplicated), every container of the node belongs to a task the store knows and no
// stopped task has a running container (nothing orphaned). Three rounds kill at different
// moments: as soon as the first v2 task is under way, then after random delays (printed, and
// repeatable with PIPEWRIGHT_CRASH_DELAYS=ms,ms).
let docker: Dockerode | undefined;
let reason = "no container engine answered";
let server: ServerProcess | undefined;
let dataDir: string | undefined;

beforeAll(async () => {
  const found = await locateEngine();
  if (!found.engine) {
    reason = found.reason;
    return;
  }
  await ensureBusyboxImage(found.engine.docker);
  docker = found.engine.docker;
}, 120_000);
afterEach(async () => {
  await server?.kill("SIGKILL");
  server = undefined;
  if (docker && dataDir)
    for (const c of await containersOf(dataDir)) await docker.getContainer(c.Id).remove({ force: true });
  if (dataDir) removeDir(dataDir);
  dataDir = undefined;
});

const nodeOf = (dir: string) => readFileSync(join(dir, "node-id"), "utf8").trim();
const containersOf = (dir: string) =>
  docker!.listContainers({ all: true, filters: { label: [`${NODE_LABEL}=${nodeOf(dir)}`] } });
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
    await new Promise((r) => setTimeout(r, 100));
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

const given = process.env.PIPEWRIGHT_CRASH_DELAYS?.split(",").map(Number);
const rounds: { name: string; delayMs?: number }[] = [
  { name: "as soon as the first v2 task is under way" },
  { name: "after a random delay", delayMs: given?.[0] ?? Math.round(500 + Math.random() * 1000) },
  { name: "after a longer random delay", delayMs: given?.[1] ?? Math.round(1500 + Math.random() * 1500) },
];

for (const round of rounds) {
  it(`finishes a rollout after a SIGKILL ${round.name}${round.delayMs === undefined ? "" : ` (${round.delayMs} ms after UpdateService)`}, with one container per task and no orphan`, {
    timeout: 180_000,
  }, async ({ skip }) => {
    if (!docker) skip(reason);
    server = await startServerProcess({ env: { PIPEWRIGHT_ECS_RUNTIME: "docker" } });
    dataDir = server.dataDir;
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
    const updated = Date.now();
    await c.send(new ecs.UpdateServiceCommand({ service: "web", taskDefinition: "crash:2" }));
    if (round.delayMs === undefined)
      await until(
        "v2 tasks under way",
        describe,
        (s) => (s.deployments?.[0]?.pendingCount ?? 0) + (s.deployments?.[0]?.runningCount ?? 0) >= 1,
        30_000,
      );
    else await new Promise((r) => setTimeout(r, round.delayMs! - (Date.now() - updated)));
    // What the killed server leaves: the tasks as the store has them, the containers as Docker has them.
    const before = [
      ...((await c.send(new ecs.ListTasksCommand({ serviceName: "web" }))).taskArns ?? []),
      ...((await c.send(new ecs.ListTasksCommand({ serviceName: "web", desiredStatus: "STOPPED" })))
        .taskArns ?? []),
    ];
    const tasksBefore = before.length
      ? ((await c.send(new ecs.DescribeTasksCommand({ tasks: before }))).tasks ?? [])
      : [];
    await server.kill("SIGKILL");
    const killedAt = Date.now() - updated;
    c.destroy();
    const left = await containersOf(dataDir);
    const atKill = {
      killedAfterMs: killedAt,
      tasks: tasksBefore
        .map((t) => `${t.taskDefinitionArn?.slice(-1)}:${t.lastStatus}/${t.desiredStatus}`)
        .sort(),
      containers: left.map((x) => x.State).sort(),
    };

    const t = Date.now();
    server = await startServerProcess({ dataDir, env: { PIPEWRIGHT_ECS_RUNTIME: "docker" } });
    c = client(server.endpoint);
    const done = await until("v2 stable after the restart", describe, stable(2));
    const finishedMs = Date.now() - t;
    expect(done.deployments?.[0]?.taskDefinition).toMatch(/crash:2$/u);
    const arns = (await c.send(new ecs.ListTasksCommand({ serviceName: "web" }))).taskArns ?? [];
    expect(arns).toHaveLength(3);
    const tasks = (await c.send(new ecs.DescribeTasksCommand({ tasks: arns }))).tasks ?? [];
    for (const task of tasks) {
      expect(task.lastStatus).toBe("RUNNING");
      expect(task.taskDefinitionArn).toMatch(/crash:2$/u);
      const port = task.containers?.[0]?.networkBindings?.[0]?.hostPort;
      expect((await (await fetch(`http://127.0.0.1:${port}/`)).text()).trim()).toBe("v2");
    }

    // At every moment from here: one container per task ARN, each of a task the store knows,
    // none running for a stopped task.
    const audit = async () => {
      const listed = await containersOf(dataDir!);
      const byTask = new Map<string, string[]>();
      for (const x of listed)
        byTask.set(x.Labels[TASK_ARN_LABEL]!, [...(byTask.get(x.Labels[TASK_ARN_LABEL]!) ?? []), x.State]);
      const described = byTask.size
        ? await c.send(new ecs.DescribeTasksCommand({ tasks: [...byTask.keys()] }))
        : { tasks: [], failures: [] };
      for (const [arn, states] of byTask) expect(states, `containers of ${arn}`).toHaveLength(1);
      expect(described.failures ?? [], "containers of tasks the store does not know").toEqual([]);
      for (const task of described.tasks ?? [])
        if (task.lastStatus === "STOPPED")
          expect(byTask.get(task.taskArn!), `a container of stopped task ${task.taskArn}`).not.toContain(
            "running",
          );
      return listed;
    };
    await audit();
    // The stopped v1 tasks' containers are removed: only the 3 running tasks' remain.
    const settled = await until("only the running tasks' containers", audit, (l) => l.length === 3, 30_000);
    expect(settled.map((x) => x.Labels[TASK_ARN_LABEL]).sort()).toEqual([...arns].sort());
    expect(settled.every((x) => x.State === "running")).toBe(true);
    console.log(
      `SIGKILL ${round.name}: ${JSON.stringify(atKill)}; rollout finished ${finishedMs} ms after the restart`,
    );

    await c.send(new ecs.UpdateServiceCommand({ service: "web", desiredCount: 0 }));
    await until(
      "every container gone",
      () => containersOf(dataDir!),
      (l) => l.length === 0,
      60_000,
    );
    c.destroy();
  });
}
