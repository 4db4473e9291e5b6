import { beforeAll, expect, it } from "vitest";
import { connectEngine } from "../../src/build-agent/executors/docker-engine.js";
import type { TaskRuntimes } from "../../src/runtime/ecs/task-driver.js";
import { createDockerTaskRuntime } from "../../src/task-runtime/docker-runtime.js";
import { createProcessTaskRuntime } from "../../src/task-runtime/process-runtime.js";
import { BUSYBOX_IMAGE, ensureBusyboxImage } from "../support/images.js";
import { runRollingScenario } from "./rolling-harness.js";

// Issue 12's acceptance scenario on the real dockerd: `busybox httpd` in an image built FROM
// scratch with the static busybox (test/support/images.ts), 3 tasks, a container health check.
let runtimes: TaskRuntimes | undefined;
let reason = "no Docker Engine or Podman API answers (DOCKER_HOST, /var/run/docker.sock, Podman's socket)";

beforeAll(async () => {
  const engine = await connectEngine();
  if (!engine) return;
  try {
    await ensureBusyboxImage(engine.docker);
    runtimes = { docker: createDockerTaskRuntime(engine.docker), process: createProcessTaskRuntime() };
  } catch (error) {
    reason = `the busybox test image could not be built: ${(error as Error).message}`;
  }
}, 120_000);

it("rolls a 3-task busybox httpd service v1 -> v2 and rolls a broken v3 back to v2, in Docker", {
  timeout: 240_000,
}, async ({ skip }) => {
  if (!runtimes) skip(reason);
  const report = await runRollingScenario(
    runtimes!,
    (version, healthy) => ({
      name: "web",
      image: BUSYBOX_IMAGE,
      entryPoint: ["/bin/sh", "-c"],
      command: [`mkdir -p /www && echo ${version} > /www/index.html && exec httpd -f -p 8080 -h /www`],
      portMappings: [{ containerPort: 8080, hostPort: 0 }],
      healthCheck: {
        command: [
          "CMD-SHELL",
          healthy
            ? "wget -q -O /dev/null http://127.0.0.1:8080/"
            : "wget -q -O /dev/null http://127.0.0.1:8081/",
        ],
        interval: 5,
        timeout: 2,
        retries: 1,
      },
      memory: 64,
      cpu: 128,
      stopTimeout: 1,
    }),
    async (task) => {
      const binding = task.task.containers[0]!.networkBindings[0]!;
      expect(binding.containerPort).toBe(8080);
      return (await fetch(`http://127.0.0.1:${binding.hostPort}/`)).text();
    },
  );
  console.log(`docker rolling: ${JSON.stringify(report)}`);
  expect(report.samples).toBeGreaterThan(10);
});
