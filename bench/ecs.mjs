#!/usr/bin/env node
// ECS through the built server on the real dockerd (busybox httpd in the FROM-scratch test image
// pipewright-test/busybox:1, which the Docker tests build): (1) the floor, measured in the same
// run: RunTask of one task until it is RUNNING and HEALTHY (container start + the first health
// check); (2) CreateService of 3 tasks to a steady state; (3) UpdateService (a new deployment) of
// those 3 to a steady state; (4) the idle cost of 20 running tasks with health checks every 5 s:
// the server's CPU over 20 s and its RSS. Never run as a test.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jsonCall, startServer, stop } from "./support.mjs";

const dataDir = mkdtempSync(join(tmpdir(), "pipewright-bench-ecs-"));
const server = await startServer(dataDir);
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
const stable = (s) =>
  s.deployments.length === 1 &&
  s.deployments[0].rolloutState === "COMPLETED" &&
  s.runningCount === s.desiredCount;
const cpuTicks = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks (100/s)
};
const rssMiB = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]) / 1024;

try {
  await call("CreateCluster", {});
  await call("RegisterTaskDefinition", {
    family: "web",
    containerDefinitions: [
      {
        name: "web",
        image: "pipewright-test/busybox:1",
        entryPoint: ["/bin/sh", "-c"],
        command: ["mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www"],
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
  const { tasks } = await call("RunTask", { taskDefinition: "web" });
  await until(
    async () => (await call("DescribeTasks", { tasks: [tasks[0].taskArn] })).tasks[0],
    (x) => x.healthStatus === "HEALTHY",
  );
  const floor = performance.now() - t;
  await call("StopTask", { task: tasks[0].taskArn });

  t = performance.now();
  await call("CreateService", { serviceName: "web", taskDefinition: "web", desiredCount: 3 });
  await until(service, stable);
  const create = performance.now() - t;

  t = performance.now();
  await call("UpdateService", { service: "web", forceNewDeployment: true });
  await until(
    service,
    (s) =>
      stable(s) &&
      s.deployments[0].createdAt * 1000 > Date.now() - 120_000 &&
      s.events[0].message.includes("steady state"),
  );
  const update = performance.now() - t;

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
        floorOneTaskHealthyMs: Math.round(floor),
        createService3StableMs: Math.round(create),
        updateService3StableMs: Math.round(update),
        updateOverFloor: Number((update / floor).toFixed(2)),
        idle20Tasks: {
          serverCpuPercent: Number(cpuPercent.toFixed(1)),
          serverRssMiB: Number(rss.toFixed(1)),
        },
      },
      null,
      2,
    ),
  );
  await call("UpdateService", { service: "web", desiredCount: 0 });
  await until(service, (s) => s.runningCount === 0, 120_000);
  await sleep(3_000);
} finally {
  await stop(server.child);
  rmSync(dataDir, { recursive: true, force: true });
}
