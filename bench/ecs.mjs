#!/usr/bin/env node
// ECS through the built server on the real dockerd (busybox httpd in the FROM-scratch test image
// pipewright-test/busybox:1, which the Docker tests build). Never run as a test.
//
// Rounds of two paired measurements, in the same run and under the same conditions (the
// service's 3 tasks running, so as many containers are up as during a rollout):
//  - the floor: RunTask of 3 tasks until all are RUNNING and HEALTHY (container start plus the
//    first health check, the one wait a rollout cannot skip); StopTask of them until STOPPED is
//    reported next to it (the stop a rollout also waits for, which the floor leaves out);
//  - UpdateService (forceNewDeployment) of the 3-task service until its new deployment is
//    COMPLETED with a steady-state event, with a breakdown: new tasks RUNNING, HEALTHY, old
//    tasks stopped, COMPLETED (ms after UpdateService, from DescribeTasks' timestamps and polls).
// The ratio is update / floor per round (medians reported). The workload stops on SIGTERM
// (`trap`), as a well-behaved service does; busybox httpd alone as PID 1 ignores SIGTERM, which
// would add the stopTimeout (1 s) to every stop.
// Then the idle cost of 20 running tasks with health checks every 5 s: the server's CPU over
// 20 s and its RSS.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { saveFigures } from "./figures.mjs";
import { jsonCall, startServer, stop } from "./support.mjs";

const ROUNDS = Number(process.env.BENCH_ECS_ROUNDS ?? 3);
const dataDir = mkdtempSync(join(tmpdir(), "pipewright-bench-ecs-"));
const server = await startServer(dataDir, { PIPEWRIGHT_ECS_RUNTIME: "docker" });
const call = (op, body) => jsonCall(server.endpoint, `AmazonEC2ContainerServiceV20141113.${op}`, body);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(read, ok, ms = 120_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out: ${JSON.stringify(v).slice(0, 500)}`);
    await sleep(25);
  }
}
const service = async () => (await call("DescribeServices", { services: ["web"] })).services[0];
const describeTasks = async (arns) =>
  arns.length ? (await call("DescribeTasks", { tasks: arns })).tasks : [];
const stable = (s) =>
  s.deployments.length === 1 &&
  s.deployments[0].rolloutState === "COMPLETED" &&
  s.runningCount === s.desiredCount;
const cpuTicks = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks (100/s)
};
const rssMiB = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]) / 1024;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x) => Math.round(x);

try {
  await call("CreateCluster", {});
  await call("RegisterTaskDefinition", {
    family: "web",
    containerDefinitions: [
      {
        name: "web",
        image: "pipewright-test/busybox:1",
        entryPoint: ["/bin/sh", "-c"],
        command: [
          "mkdir -p /www && echo ok > /www/index.html; trap 'exit 0' TERM; httpd -f -p 8080 -h /www & wait",
        ],
        portMappings: [{ containerPort: 8080 }],
        healthCheck: {
          command: ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:8080/"],
          interval: 5,
          retries: 2,
        },
        stopTimeout: 1,
        memory: 32,
      },
    ],
  });
  let t = performance.now();
  await call("CreateService", { serviceName: "web", taskDefinition: "web", desiredCount: 3 });
  await until(service, stable);
  const create = performance.now() - t;

  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) {
    // The floor: 3 tasks started at once, until all are healthy; then their stop.
    t = performance.now();
    const { tasks } = await call("RunTask", { taskDefinition: "web", count: 3 });
    const arns = tasks.map((x) => x.taskArn);
    await until(
      () => describeTasks(arns),
      (xs) => xs.every((x) => x.lastStatus === "RUNNING" && x.healthStatus === "HEALTHY"),
    );
    const floor = performance.now() - t;
    t = performance.now();
    for (const arn of arns) await call("StopTask", { task: arn });
    await until(
      () => describeTasks(arns),
      (xs) => xs.every((x) => x.lastStatus === "STOPPED"),
    );
    const stopFloor = performance.now() - t;

    // The rollout, polled as the floor is.
    const old = (await call("ListTasks", { serviceName: "web" })).taskArns;
    const wall0 = Date.now();
    t = performance.now();
    await call("UpdateService", { service: "web", forceNewDeployment: true });
    const healthyAt = new Map();
    await until(
      async () => {
        const s = await service();
        const live = await describeTasks((await call("ListTasks", { serviceName: "web" })).taskArns);
        for (const x of live)
          if (!old.includes(x.taskArn) && x.healthStatus === "HEALTHY" && !healthyAt.has(x.taskArn))
            healthyAt.set(x.taskArn, Date.now() - wall0);
        return s;
      },
      (s) =>
        stable(s) &&
        s.deployments[0].createdAt * 1000 >= wall0 - 5 &&
        s.events[0].message.includes("steady state"),
    );
    const update = performance.now() - t;
    const fresh = (await describeTasks((await call("ListTasks", { serviceName: "web" })).taskArns)).filter(
      (x) => !old.includes(x.taskArn),
    );
    const stopped = await describeTasks(old);
    const after = (x) => round(x * 1000 - wall0);
    rounds.push({
      floor3TasksHealthyMs: round(floor),
      stop3TasksMs: round(stopFloor),
      updateService3StableMs: round(update),
      updateOverFloor: Number((update / floor).toFixed(2)),
      breakdownMsAfterUpdate: {
        newCreated: Math.max(...fresh.map((x) => after(x.createdAt))),
        newRunning: Math.max(...fresh.map((x) => after(x.startedAt))),
        newHealthy: Math.max(...healthyAt.values()),
        oldStopping: Math.max(...stopped.map((x) => after(x.stoppingAt))),
        oldStopped: Math.max(...stopped.map((x) => after(x.stoppedAt))),
      },
    });
  }

  await call("UpdateService", { service: "web", desiredCount: 20 });
  await until(service, stable, 300_000);
  await sleep(5_000);
  const pid = server.child.pid;
  const before = cpuTicks(pid);
  const t0 = performance.now();
  await sleep(20_000);
  const cpuPercent = ((cpuTicks(pid) - before) / 100 / ((performance.now() - t0) / 1000)) * 100;
  const rss = rssMiB(pid);

  console.log(
    JSON.stringify(
      {
        createService3StableMs: round(create),
        medianFloor3TasksHealthyMs: median(rounds.map((x) => x.floor3TasksHealthyMs)),
        medianUpdateService3StableMs: median(rounds.map((x) => x.updateService3StableMs)),
        medianUpdateOverFloor: median(rounds.map((x) => x.updateOverFloor)),
        rounds,
        idle20Tasks: {
          serverCpuPercent: Number(cpuPercent.toFixed(1)),
          serverRssMiB: Number(rss.toFixed(1)),
        },
      },
      null,
      2,
    ),
  );
  saveFigures(
    "ecs",
    [
      {
        measure: "UpdateService to steady state, 3 tasks (median of paired rounds)",
        value: median(rounds.map((x) => x.updateService3StableMs)),
        unit: "ms",
        floor: median(rounds.map((x) => x.floor3TasksHealthyMs)),
        floorName: "RunTask of 3 tasks to HEALTHY",
        ratio: median(rounds.map((x) => x.updateOverFloor)),
        goal: "<= 1.2x",
      },
      { measure: "idle server CPU with 20 running tasks", value: cpuPercent, unit: "%" },
      { measure: "idle server RSS with 20 running tasks", value: rss, unit: "MiB" },
    ],
    { rounds: rounds.length },
  );
  await call("UpdateService", { service: "web", desiredCount: 0 });
  await until(service, (s) => s.runningCount === 0, 120_000);
  await sleep(3_000);
} finally {
  await stop(server.child);
  rmSync(dataDir, { recursive: true, force: true });
}
