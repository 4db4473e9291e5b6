import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { connectEngine } from "../../src/build-agent/executors/docker-engine.js";
import { type ClientConfig, callJson } from "../../src/client/aws-json-client.js";
import { removeDir, repoRoot } from "../support/server-process.js";

// `pipewright demo --yes` end to end (issue 16), as a user runs it: a child process of the built
// CLI that starts its own server, then the claims checked here through the API, not its output:
// production's load balancer serves v2, the three executions ended Succeeded, Succeeded, Failed,
// v3 was stopped by the circuit breaker at DeployIntegration and the integration service rolled
// back to v2's task definition. Then `--down` removes the tasks and stops the server.

const bin = join(repoRoot, "bin", "pipewright.js");
const engine = await connectEngine();
const dirs: string[] = [];

/** Processes whose working directory is under `dir` (the host-process tasks run in releases/). */
function processesIn(dir: string): number[] {
  if (!existsSync("/proc")) return [];
  return readdirSync("/proc")
    .filter((name) => /^\d+$/u.test(name))
    .filter((pid) => {
      try {
        return readlinkSync(`/proc/${pid}/cwd`).startsWith(dir);
      } catch {
        return false;
      }
    })
    .map(Number);
}

function run(
  args: string[],
  timeoutMs: number,
  onLine: (line: string) => void = () => {},
): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...process.env, NO_COLOR: "1", AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    let pending = "";
    child.stdout.on("data", (d: Buffer) => {
      output += d.toString();
      pending += d.toString();
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) onLine(line);
    });
    child.stderr.on("data", (d: Buffer) => {
      output += d.toString();
    });
    const timer = setTimeout(() => child.kill("SIGTERM"), timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

afterAll(async () => {
  for (const dir of dirs) {
    const file = join(dir, "server.json");
    if (existsSync(file)) {
      const { pid, endpoint } = JSON.parse(readFileSync(file, "utf8")) as { pid: number; endpoint: string };
      if (alive(pid)) process.kill(pid, "SIGKILL");
      // The images the builds pushed are also in the local engine (docker build tagged them).
      if (engine) {
        const repository = `${new URL(endpoint).host}/demo-app`;
        const images = await engine.docker.listImages({ filters: { reference: [repository] } });
        for (const image of images) await engine.docker.getImage(image.Id).remove({ force: true });
      }
    }
    removeDir(dir);
  }
});

/**
 * Answers each approval with a command the demo printed for it: the first with the AWS CLI's
 * put-approval-result line (when /usr/bin/aws exists), the second with `pipewright approve`.
 */
function approveAsPrinted(approved: string[]) {
  let waits = 0;
  const hasAws = existsSync("/usr/bin/aws");
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: "x",
    AWS_SECRET_ACCESS_KEY: "y",
    AWS_DEFAULT_REGION: "us-east-1",
  };
  return (line: string) => {
    if (line.includes("Approve waits for a manual approval")) waits++;
    const aws = /^\s+aws (codepipeline put-approval-result .*)$/u.exec(line)?.[1];
    const client = /^\s+pipewright (approve .*)$/u.exec(line)?.[1];
    const useAws = waits === 1 && hasAws;
    const args = useAws ? aws : client;
    if (!args || approved.length >= waits) return;
    approved.push(`${useAws ? "aws" : "pipewright"} ${args}`);
    const [file, ...rest] = useAws
      ? ["/usr/bin/aws", ...args.split(" ")]
      : [process.execPath, bin, ...args.split(" ")];
    execFile(file!, rest, { env }, (error, _out, stderr) => {
      if (error) approved.push(`FAILED: ${args}: ${stderr}`);
    });
  };
}

async function demo(runtime: "docker" | "process", interactive = false) {
  const dir = mkdtempSync(join(tmpdir(), `pipewright-demo-test-${runtime}-`));
  dirs.push(dir);
  const started = Date.now();
  const approved: string[] = [];
  const result = await run(
    ["demo", ...(interactive ? [] : ["--yes"]), "--runtime", runtime, "--port", "0", "--dir", dir],
    240_000,
    interactive ? approveAsPrinted(approved) : undefined,
  );
  if (interactive) {
    // v1 and v2 waited for an approval; v3 never got there.
    expect(
      approved.map((a) => a.split(" ")[0]),
      approved.join("\n"),
    ).toEqual([existsSync("/usr/bin/aws") ? "aws" : "pipewright", "pipewright"]);
    expect(approved.filter((a) => a.startsWith("FAILED"))).toEqual([]);
  }
  const ms = Date.now() - started;
  const checks = result.output
    .split("\n")
    .filter((line) => /^ {2}(ok {3}|FAIL )/u.test(line))
    .join("\n");
  const summary = `${checks}\n${result.output.slice(result.output.indexOf("Summary"))}`;
  console.log(`pipewright demo --runtime ${runtime}: exit ${result.code} after ${ms} ms\n${summary}`);
  expect(result.code, result.output).toBe(0);
  expect(result.output).toContain(
    runtime === "docker" ? "mode:      containers" : "mode:      host processes",
  );

  const { endpoint, pid } = JSON.parse(readFileSync(join(dir, "server.json"), "utf8")) as {
    endpoint: string;
    pid: number;
  };
  const config: ClientConfig = {
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "x", secretAccessKey: "y" },
    now: () => Date.now(),
  };
  type Service = {
    taskDefinition: string;
    desiredCount: number;
    runningCount: number;
    deployments: { status: string; taskDefinition: string }[];
    loadBalancers: { pipewrightEndpoint?: string }[];
  };
  const service = async (cluster: string) =>
    (
      await callJson<{ services: Service[] }>(config, "ecs", "DescribeServices", {
        cluster,
        services: ["web"],
      })
    ).services[0]!;

  // Production serves v2 through its load balancer, from 2 tasks.
  const production = await service("production");
  expect(production.desiredCount).toBe(2);
  const url = production.loadBalancers[0]?.pipewrightEndpoint;
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/u);
  for (let i = 0; i < 4; i++)
    expect(await (await fetch(`${url}/`)).text()).toContain("Hello from demo-app v2");

  // Three executions: v1 and v2 through every stage, v3 stopped by the breaker in integration.
  const executions = await callJson<{ pipelineExecutionSummaries: { status: string }[] }>(
    config,
    "codepipeline",
    "ListPipelineExecutions",
    { pipelineName: "demo" },
  );
  expect(executions.pipelineExecutionSummaries.map((e) => e.status)).toEqual([
    "Failed",
    "Succeeded",
    "Succeeded",
  ]);
  const state = await callJson<{
    stageStates: {
      stageName: string;
      latestExecution?: { status: string };
      actionStates: {
        actionName: string;
        latestExecution?: { status?: string; errorDetails?: { message?: string } };
      }[];
    }[];
  }>(config, "codepipeline", "GetPipelineState", { name: "demo" });
  const integrationStage = state.stageStates.find((s) => s.stageName === "DeployIntegration")!;
  const deploy = integrationStage.actionStates.find((a) => a.actionName === "Deploy")!.latestExecution!;
  expect(deploy.status).toBe("Failed");
  expect(deploy.errorDetails?.message).toMatch(/circuit breaker/iu);
  expect(state.stageStates.find((s) => s.stageName === "DeployProduction")?.latestExecution?.status).toBe(
    "Succeeded",
  );

  // v3 rolled back: the integration service's PRIMARY deployment is v2's task definition, the
  // one production runs the same image of (revision 3 of each family: placeholder, v1, v2).
  const integration = await service("integration");
  const primary = integration.deployments.find((d) => d.status === "PRIMARY")!;
  expect(primary.taskDefinition).toMatch(/task-definition\/demo-app-integration:3$/u);
  const [v2Integration, v2Production] = await Promise.all(
    [primary.taskDefinition, production.taskDefinition].map(async (arn) =>
      callJson<{ taskDefinition: { containerDefinitions: { image: string }[] } }>(
        config,
        "ecs",
        "DescribeTaskDefinition",
        { taskDefinition: arn },
      ),
    ),
  );
  expect(v2Integration!.taskDefinition.containerDefinitions[0]!.image).toBe(
    v2Production!.taskDefinition.containerDefinitions[0]!.image,
  );

  // The unit tests ran and reported: the Build action's build has a JUnit report of 3 passing cases.
  const actions = await callJson<{
    actionExecutionDetails: {
      actionName: string;
      output?: { executionResult?: { externalExecutionId?: string } };
    }[];
  }>(config, "codepipeline", "ListActionExecutions", { pipelineName: "demo" });
  const buildId = actions.actionExecutionDetails.find((a) => a.actionName === "Build")?.output
    ?.executionResult?.externalExecutionId;
  const builds = await callJson<{ builds: { reportArns?: string[] }[] }>(
    config,
    "codebuild",
    "BatchGetBuilds",
    {
      ids: [buildId],
    },
  );
  const reports = await callJson<{ reports: { status: string; testSummary?: { total: number } }[] }>(
    config,
    "codebuild",
    "BatchGetReports",
    { reportArns: builds.builds[0]?.reportArns ?? [] },
  );
  expect(reports.reports.map((r) => [r.status, r.testSummary?.total])).toEqual([["SUCCEEDED", 3]]);

  // --down deletes the services, waits until their tasks have stopped, and stops the server.
  const down = await run(["demo", "--down", "--dir", dir], 90_000);
  expect(down.code, down.output).toBe(0);
  await expect.poll(() => alive(pid), { timeout: 20_000 }).toBe(false);
  if (runtime === "docker") {
    const repository = `${new URL(endpoint).host}/demo-app:`;
    const left = (
      await engine!.docker.listContainers({ all: true, filters: { label: ["pipewright.ecs.task-arn"] } })
    ).filter((c) => c.Image.startsWith(repository));
    expect(left.map((c) => c.Names)).toEqual([]);
  } else {
    expect(processesIn(join(dir, "releases"))).toEqual([]);
  }
}

describe("pipewright demo", () => {
  it.skipIf(!engine)("runs the whole story on the container engine", { timeout: 300_000 }, async () => {
    await demo("docker");
  });

  it("runs the whole story with host processes (no container engine), approved with the printed commands", {
    timeout: 300_000,
  }, async () => {
    await demo("process", true);
  });
});
