import type Dockerode from "dockerode";
import { beforeAll, expect, it } from "vitest";
import { connectEngine } from "../../src/build-agent/executors/docker-engine.js";
import { silentLogger } from "../../src/lib/logger.js";
import { randomEcsIds, wireEcs } from "../../src/main/ecs.js";
import { systemClock } from "../../src/main/system-clock.js";
import { NODE_LABEL, TASK_ARN_LABEL, type TaskRuntimes } from "../../src/runtime/ecs/task-driver.js";
import { newTask } from "../../src/runtime/ecs/tasks.js";
import { createMemoryStores } from "../../src/store/memory/create-memory-stores.js";
import { createDockerTaskRuntime } from "../../src/task-runtime/docker-runtime.js";
import { createProcessTaskRuntime } from "../../src/task-runtime/process-runtime.js";
import { BUSYBOX_IMAGE, ensureBusyboxImage } from "../support/images.js";

// What a killed server leaves in Docker, put right by the next one's recovery: a container
// started just before the crash (its id never recorded) is adopted, not duplicated; a container
// no task owns is removed; the service then reaches its desired count with exactly one
// container per task.
let docker: Dockerode | undefined;
let runtimes: TaskRuntimes | undefined;
const reason = "no Docker Engine or Podman API answers";
beforeAll(async () => {
  const engine = await connectEngine();
  if (!engine) return;
  await ensureBusyboxImage(engine.docker);
  docker = engine.docker;
  runtimes = { docker: createDockerTaskRuntime(engine.docker), process: createProcessTaskRuntime() };
}, 120_000);

const scope = { accountId: "123456789012", region: "us-east-1" };
const until = async (what: string, check: () => Promise<boolean>, ms = 60_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
};

it("adopts a container started just before a crash, removes orphans, and duplicates nothing", {
  timeout: 120_000,
}, async ({ skip }) => {
  if (!runtimes || !docker) skip(reason);
  const stores = createMemoryStores();
  const nodeId = `recovery-test-${process.pid}`;
  const options = {
    stores,
    clock: systemClock,
    logger: silentLogger,
    runtimes: runtimes!,
    nodeId,
    scheduler: { intervalMs: 50, watchIntervalMs: 100, defaultStopTimeoutSeconds: 1 },
  };
  const first = wireEcs(options);
  const { api } = first;
  const container = {
    name: "web",
    image: BUSYBOX_IMAGE,
    entryPoint: ["/bin/sh", "-c"],
    command: ["mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www"],
    portMappings: [{ containerPort: 8080 }],
    healthCheck: {
      command: ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:8080/"],
      interval: 5,
      retries: 1,
    },
    stopTimeout: 1,
  };
  await api.clusters.create(scope, { clusterName: "rec" });
  const td = await api.taskDefinitions.register(
    scope,
    { family: "rec", containerDefinitions: [container] },
    "t",
  );
  if (!td.ok) throw new Error(td.error.message);
  await api.services.create(
    scope,
    { cluster: "rec", serviceName: "web", taskDefinition: "rec", desiredCount: 2 },
    "t",
  );
  const open = async () =>
    (await stores.ecs.listTasks(scope, "rec")).filter((t) => t.task.lastStatus !== "STOPPED");
  const service = async () => (await api.services.get(scope, "rec", "web"))!.service;
  first.start();
  try {
    await until(
      "2 healthy tasks",
      async () => (await service()).deployments[0]?.rolloutState === "COMPLETED",
    );
  } finally {
    await first.stop(); // the "crash": scheduling stops, containers keep running
  }

  // Just before the crash: a scale to 3 had started a third task's container, but its id was never recorded.
  await api.services.update(scope, "rec", "web", { desiredCount: 3 });
  const s = await service();
  const cluster = (await stores.ecs.getCluster(scope, "rec"))!;
  const taskId = randomEcsIds.taskId();
  const pending = newTask({
    scope,
    clusterName: "rec",
    clusterArn: cluster.cluster.clusterArn,
    taskId,
    definition: td.value.taskDefinition,
    group: "service:web",
    startedBy: s.deployments[0]!.id,
    serviceName: "web",
    launchType: "EC2",
    now: Date.now(),
    containerIds: ["c1"],
  });
  await stores.ecs.putTask({ ...pending, task: { ...pending.task, lastStatus: "PENDING" } });
  const labels = (arn: string) => ({
    [TASK_ARN_LABEL]: arn,
    [NODE_LABEL]: nodeId,
    "pipewright.ecs.container-name": "web",
  });
  const spec = {
    image: BUSYBOX_IMAGE,
    entryPoint: container.entryPoint,
    command: container.command,
    environment: {},
    ports: [{ containerPort: 8080, hostPort: 0, protocol: "tcp" as const }],
  };
  const inflight = await runtimes!.docker!.start({
    ...spec,
    name: `pipewright-ecs-${taskId}-web`,
    labels: labels(pending.task.taskArn),
  });
  const orphan = await runtimes!.docker!.start({
    ...spec,
    name: `pw-orphan-${process.pid}`,
    labels: labels(`arn:aws:ecs:us-east-1:123456789012:task/rec/${"f".repeat(32)}`),
  });

  const second = wireEcs(options);
  const report = await second.recover();
  expect(report).toEqual({ adopted: 1, removed: 1, restarted: 0 });
  expect(await runtimes!.docker!.inspect(orphan.runtimeId)).toEqual({ status: "missing" });
  const adopted = (await stores.ecs.getTask(scope, "rec", taskId))!.task;
  expect(adopted.lastStatus).toBe("RUNNING");
  expect(adopted.containers[0]?.runtimeId).toBe(inflight.runtimeId);
  expect(adopted.containers[0]?.networkBindings).toEqual(inflight.bindings);

  second.start();
  try {
    await until("3 healthy tasks", async () => {
      const sv = await service();
      return (
        sv.deployments[0]?.rolloutState === "COMPLETED" &&
        sv.runningCount === 3 &&
        (await open()).every((t) => t.task.healthStatus === "HEALTHY")
      );
    });
    const tasks = await open();
    expect(tasks).toHaveLength(3);
    expect(tasks.map((t) => t.taskId)).toContain(taskId);
    const listed = await docker!.listContainers({ all: true, filters: { label: [`${TASK_ARN_LABEL}`] } });
    const ours = listed.filter((c) => tasks.some((t) => t.task.taskArn === c.Labels[TASK_ARN_LABEL]));
    expect(ours).toHaveLength(3); // one container per task: nothing duplicated
    expect(new Set(ours.map((c) => c.Labels[TASK_ARN_LABEL])).size).toBe(3);
  } finally {
    await api.services.update(scope, "rec", "web", { desiredCount: 0 });
    await until("every task stopped", async () => (await open()).length === 0).catch(() => undefined);
    await second.stop();
    await stores.close();
  }
});
