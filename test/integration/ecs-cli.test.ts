import { execFile } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeDir, type ServerProcess, startServerProcess } from "../support/server-process.js";

// The built server with its ECS scheduler running, judged by Debian's /usr/bin/aws (v2): a
// service whose tasks really run (busybox httpd as host processes, PIPEWRIGHT_ECS_RUNTIME=process,
// so no engine is needed), `wait services-stable`, scaling to 0, RunTask with `wait
// tasks-running` / `tasks-stopped`. test/ecs/rolling-docker.test.ts runs the same in Docker.
const AWS = "/usr/bin/aws";
const run = promisify(execFile);

describe.skipIf(!existsSync(AWS))("the AWS CLI against ECS with running tasks", { timeout: 120_000 }, () => {
  let server: ServerProcess;
  let home: string;
  const env = () => ({
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    AWS_ACCESS_KEY_ID: "x",
    AWS_SECRET_ACCESS_KEY: "y",
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_PAGER: "",
    AWS_MAX_ATTEMPTS: "1",
  });
  // biome-ignore lint/suspicious/noExplicitAny: CLI output is read member by member.
  async function aws(...args: string[]): Promise<{ code: number; stderr: string; json: any }> {
    try {
      const { stdout } = await run(
        AWS,
        ["ecs", ...args, "--endpoint-url", server.endpoint, "--output", "json"],
        { env: env() },
      );
      return { code: 0, stderr: "", json: stdout.trim() ? JSON.parse(stdout) : {} };
    } catch (error) {
      const e = error as { code: number; stderr: string };
      return { code: e.code, stderr: e.stderr, json: {} };
    }
  }

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), "pw-ecs-cli-home-"));
    server = await startServerProcess({ env: { PIPEWRIGHT_ECS_RUNTIME: "process" } });
  });
  afterAll(async () => {
    await server?.kill();
    if (server) removeDir(server.dataDir);
    removeDir(home);
  });

  const definition = {
    family: "site",
    containerDefinitions: [
      {
        name: "web",
        image: "site:1",
        entryPoint: ["/bin/sh", "-c"],
        command: [
          'd=$(mktemp -d) && echo "$GREETING" > $d/index.html && exec busybox httpd -f -p 127.0.0.1:$PORT -h $d',
        ],
        environment: [{ name: "GREETING", value: "hello from ecs" }],
        portMappings: [{ containerPort: 8080 }],
        healthCheck: {
          command: ["CMD-SHELL", "busybox wget -q -O /dev/null http://127.0.0.1:$PORT/"],
          interval: 5,
          retries: 2,
        },
        stopTimeout: 2,
      },
    ],
  };

  it("runs a 2-task service to a steady state that `wait services-stable` sees, and serves from its tasks", async () => {
    expect((await aws("create-cluster")).code).toBe(0);
    expect((await aws("register-task-definition", "--cli-input-json", JSON.stringify(definition))).code).toBe(
      0,
    );
    const created = await aws(
      "create-service",
      "--service-name",
      "site",
      "--task-definition",
      "site",
      "--desired-count",
      "2",
      "--deployment-configuration",
      "deploymentCircuitBreaker={enable=true,rollback=true},maximumPercent=200,minimumHealthyPercent=100",
    );
    expect(created.code).toBe(0);
    const t = Date.now();
    const waited = await aws("wait", "services-stable", "--services", "site");
    expect(waited).toMatchObject({ code: 0 });
    console.log(`services-stable returned after ${Date.now() - t} ms`);
    // The waiter (as on AWS, spec A.9) only asks for one deployment with runningCount ==
    // desiredCount: RUNNING tasks may still wait for their first health check. COMPLETED follows.
    let service = (await aws("describe-services", "--services", "site")).json.services[0];
    for (let i = 0; i < 50 && service.deployments[0].rolloutState !== "COMPLETED"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      service = (await aws("describe-services", "--services", "site")).json.services[0];
    }
    expect(service).toMatchObject({ runningCount: 2, desiredCount: 2 });
    expect(service.deployments).toHaveLength(1);
    expect(service.deployments[0]).toMatchObject({
      status: "PRIMARY",
      rolloutState: "COMPLETED",
      runningCount: 2,
    });
    expect(service.events.map((e: { message: string }) => e.message)).toContain(
      "service (site) has reached a steady state.",
    );
    const listed = await aws("list-tasks", "--service-name", "site");
    expect(listed.json.taskArns).toHaveLength(2);
    const tasks = (await aws("describe-tasks", "--tasks", ...listed.json.taskArns)).json.tasks;
    for (const task of tasks) {
      expect(task).toMatchObject({ lastStatus: "RUNNING", healthStatus: "HEALTHY", group: "service:site" });
      expect(task.startedBy).toBe(service.deployments[0].id);
      const port = task.containers[0].networkBindings[0].hostPort;
      expect((await (await fetch(`http://127.0.0.1:${port}/`)).text()).trim()).toBe("hello from ecs");
    }
  });

  it("stops every task when scaled to 0, and the waiter sees that as stable", async () => {
    const before = (await aws("list-tasks", "--service-name", "site")).json.taskArns;
    expect((await aws("update-service", "--service", "site", "--desired-count", "0")).code).toBe(0);
    expect((await aws("wait", "tasks-stopped", "--tasks", ...before)).code).toBe(0);
    expect((await aws("wait", "services-stable", "--services", "site")).code).toBe(0);
    expect((await aws("list-tasks", "--service-name", "site")).json.taskArns).toEqual([]);
    const stopped = (await aws("describe-tasks", "--tasks", ...before)).json.tasks;
    expect(stopped.map((t: { stoppedReason: string }) => t.stoppedReason)).toEqual([
      expect.stringMatching(/^Scaling activity initiated by \(deployment ecs-svc\/\d{19}\)$/u),
      expect.stringMatching(/^Scaling activity initiated by/u),
    ]);
    expect((await aws("delete-service", "--service", "site")).json.service.status).toBe("DRAINING");
  });

  it("runs a standalone task that `wait tasks-running` sees, and stops it", async () => {
    const ran = await aws("run-task", "--task-definition", "site:1");
    const arn = ran.json.tasks[0].taskArn;
    expect((await aws("wait", "tasks-running", "--tasks", arn)).code).toBe(0);
    expect((await aws("stop-task", "--task", arn, "--reason", "done here")).json.task.desiredStatus).toBe(
      "STOPPED",
    );
    expect((await aws("wait", "tasks-stopped", "--tasks", arn)).code).toBe(0);
    const task = (await aws("describe-tasks", "--tasks", arn)).json.tasks[0];
    expect(task).toMatchObject({
      lastStatus: "STOPPED",
      stoppedReason: "done here",
      stopCode: "UserInitiated",
    });
  });
});
