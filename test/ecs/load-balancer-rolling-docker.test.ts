import { readFileSync } from "node:fs";
import { join } from "node:path";
import type Dockerode from "dockerode";
import { beforeAll, expect, it } from "vitest";
import { locateEngine } from "../../src/build-agent/executors/docker-engine.js";
import { NODE_LABEL, TASK_ARN_LABEL } from "../../src/runtime/ecs/task-driver.js";
import { BUSYBOX_IMAGE, ensureBusyboxImage } from "../support/images.js";
import type { ServerProcess } from "../support/server-process.js";
import { runLoadBalancedRollout } from "./load-balanced-rollout.js";

// Issue 12's zero-downtime acceptance (test/ecs/load-balanced-rollout.ts) on the real dockerd:
// busybox httpd in the FROM-scratch test image, the server started with
// PIPEWRIGHT_ECS_RUNTIME=docker (it refuses to start without an engine, so the tasks cannot
// quietly become host processes). Skips, saying why, only when no engine answers.
let docker: Dockerode | undefined;
let reason = "no container engine answered";
beforeAll(async () => {
  const found = await locateEngine();
  if (!found.engine) {
    reason = found.reason;
    return;
  }
  await ensureBusyboxImage(found.engine.docker);
  docker = found.engine.docker;
}, 120_000);

const nodeOf = (server: ServerProcess) => readFileSync(join(server.dataDir, "node-id"), "utf8").trim();
const containersOf = (server: ServerProcess) =>
  docker!.listContainers({ all: true, filters: { label: [`${NODE_LABEL}=${nodeOf(server)}`] } });

it("rolls v1 to v2 under continuous load through the load balancer with no failed request, in Docker", {
  timeout: 240_000,
}, async ({ skip }) => {
  if (!docker) skip(reason);
  const report = await runLoadBalancedRollout({
    env: { PIPEWRIGHT_ECS_RUNTIME: "docker" },
    container: (version) => ({
      name: "web",
      image: BUSYBOX_IMAGE,
      essential: true,
      entryPoint: ["/bin/sh", "-c"],
      command: [`mkdir -p /www && echo ${version} > /www/index.html && exec httpd -f -p 8080 -h /www`],
      portMappings: [{ containerPort: 8080, hostPort: 0 }],
      healthCheck: {
        command: ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:8080/"],
        interval: 5,
        timeout: 2,
        retries: 1,
      },
      memory: 64,
      stopTimeout: 2,
    }),
    // The tasks ran in Docker: one running container per open task, the old ones removed.
    inspect: async (server, arns) => {
      let listed = await containersOf(server);
      for (let i = 0; i < 100 && listed.length !== arns.length; i++) {
        await new Promise((r) => setTimeout(r, 100));
        listed = await containersOf(server);
      }
      expect(listed.map((c) => c.Labels[TASK_ARN_LABEL]).sort()).toEqual([...arns].sort());
      expect(listed.every((c) => c.State === "running" && c.Image === BUSYBOX_IMAGE)).toBe(true);
    },
    // Containers outlive the server (to be adopted by the next): remove this node's.
    cleanup: async (server) => {
      for (const c of await containersOf(server)) await docker!.getContainer(c.Id).remove({ force: true });
    },
  });
  console.log(`load-balanced rollout v1 -> v2 (Docker): ${JSON.stringify(report)}`);
  expect(report.failed).toBe(0);
});
