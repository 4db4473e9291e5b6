import { execFile } from "node:child_process";
import { type AddressInfo, createServer } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { CodeBuildClient, CreateProjectCommand } from "@aws-sdk/client-codebuild";
import { CodeCommitClient, CreateRepositoryCommand } from "@aws-sdk/client-codecommit";
import {
  type ActionCategory,
  type ActionTypeId,
  CodePipelineClient,
  CreatePipelineCommand,
  type PipelineDeclaration,
} from "@aws-sdk/client-codepipeline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGitWorkspace } from "../support/git-client.js";
import { removeDir, repoRoot, type ServerProcess, startServerProcess } from "../support/server-process.js";

// The client commands (`pipewright pipelines`, `status`, `logs`, `start`, `approve`, `retry`,
// `stop`) as a user runs them: the built CLI against a real server driving a real pipeline
// (a CodeCommit source pushed to with git, a real CodeBuild build on the host, a Manual approval, a deploy that fails once).
const run = promisify(execFile);
const bin = join(repoRoot, "bin", "pipewright.js");

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

const fake = (category: ActionCategory): ActionTypeId => ({
  category,
  owner: "AWS",
  provider: "PipewrightTest",
  version: "1",
});

function declaration(name: string): PipelineDeclaration {
  return {
    name,
    roleArn: "arn:aws:iam::000000000000:role/pipeline",
    artifactStore: { type: "S3", location: `${name}-artifacts` },
    stages: [
      {
        name: "Source",
        actions: [
          {
            name: "Fetch",
            actionTypeId: { category: "Source", owner: "AWS", provider: "CodeCommit", version: "1" },
            configuration: { RepositoryName: "app", BranchName: "main", PollForSourceChanges: "false" },
            outputArtifacts: [{ name: "Code" }],
          },
        ],
      },
      {
        name: "Build",
        actions: [
          {
            name: "Compile",
            actionTypeId: { category: "Build", owner: "AWS", provider: "CodeBuild", version: "1" },
            configuration: { ProjectName: "client-build" },
            inputArtifacts: [{ name: "Code" }],
          },
        ],
      },
      {
        name: "Approve",
        actions: [
          {
            name: "Gate",
            actionTypeId: { category: "Approval", owner: "AWS", provider: "Manual", version: "1" },
          },
        ],
      },
      {
        name: "Deploy",
        actions: [
          {
            name: "Ship",
            actionTypeId: fake("Deploy"),
            configuration: { FailTimes: "1" },
            inputArtifacts: [{ name: "Code" }],
          },
        ],
      },
    ],
  };
}

describe("the pipewright client commands drive a pipeline on a running server", () => {
  let server: ServerProcess;
  let commit = "";

  async function pipewright(...args: string[]): Promise<Result> {
    try {
      const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
        env: {
          PATH: process.env.PATH ?? "/usr/bin:/bin",
          PIPEWRIGHT_ENDPOINT: server.endpoint,
          AWS_ACCESS_KEY_ID: "AKIDCLIENT",
          AWS_SECRET_ACCESS_KEY: "secret",
          AWS_REGION: "us-east-1",
        },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  // biome-ignore lint/suspicious/noExplicitAny: JSON output is read member by member.
  async function state(): Promise<any> {
    const r = await pipewright("status", "app", "--json");
    expect(r.code === 0 || r.code === 1, r.stderr).toBe(true);
    return JSON.parse(r.stdout);
  }

  async function until(what: string, probe: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (await probe()) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  beforeAll(async () => {
    server = await startServerProcess({
      env: {
        PIPEWRIGHT_TEST_PROVIDERS: "1",
        PIPEWRIGHT_START_ON_CREATE: "false",
        PIPEWRIGHT_POLL_INTERVAL_MS: "50",
      },
    });
    const config = (region: string) => ({
      endpoint: server.endpoint,
      region,
      credentials: { accessKeyId: "AKIDCLIENT", secretAccessKey: "secret" },
    });
    await new CodeBuildClient(config("us-east-1")).send(
      new CreateProjectCommand({
        name: "client-build",
        source: {
          type: "CODEPIPELINE",
          buildspec:
            "version: 0.2\nphases:\n  build:\n    commands:\n      - echo compiling-the-app\n      - echo built-ok\n",
        },
        artifacts: { type: "CODEPIPELINE" },
        environment: {
          type: "LINUX_CONTAINER",
          image: "aws/codebuild/standard:7.0",
          computeType: "BUILD_GENERAL1_SMALL",
        },
        serviceRole: "arn:aws:iam::000000000000:role/codebuild",
      }),
    );
    // The commit is pushed before the pipeline exists, so only `pipewright start` runs it.
    await new CodeCommitClient(config("us-east-1")).send(
      new CreateRepositoryCommand({ repositoryName: "app" }),
    );
    const ws = createGitWorkspace();
    await ws.git("init", "-q", "-b", "main");
    await ws.git("remote", "add", "origin", `${server.endpoint}/v1/repos/app`);
    commit = await ws.commit("the first version", { "README.md": "app\n" });
    await ws.git("push", "-q", "origin", "main");
    await new CodePipelineClient(config("us-east-1")).send(
      new CreatePipelineCommand({ pipeline: declaration("app") }),
    );
    await new CodePipelineClient(config("eu-west-1")).send(
      new CreatePipelineCommand({
        pipeline: {
          ...declaration("eu-app"),
          stages: [
            {
              name: "Source",
              actions: [{ name: "Fetch", actionTypeId: fake("Source"), outputArtifacts: [{ name: "Code" }] }],
            },
            {
              name: "Deploy",
              actions: [{ name: "Ship", actionTypeId: fake("Deploy"), inputArtifacts: [{ name: "Code" }] }],
            },
          ],
        },
      }),
    );
  });

  afterAll(async () => {
    await server?.kill();
    if (server) removeDir(server.dataDir);
  });

  it("lists the pipelines of every region at once, as a table and as JSON", async () => {
    const table = await pipewright("pipelines");
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^REGION\s+NAME\s+TYPE\s+VERSION\s+UPDATED\n/);
    expect(table.stdout).toMatch(/\nus-east-1\s+app\s+V1\s+1\s+\d{4}-/);
    expect(table.stdout).toMatch(/\neu-west-1\s+eu-app\s+V1\s+1\s+/);
    expect(table.stdout).not.toContain("\u001b["); // not a terminal: no colour
    const json = JSON.parse(
      (await pipewright("pipelines", "--json", "--regions", "eu-west-1,ap-south-1")).stdout,
    );
    expect(json.pipelines.map((p: { region: string; name: string }) => `${p.region}/${p.name}`)).toEqual([
      "eu-west-1/eu-app",
    ]);
  });

  it("starts, shows, logs, approves, watches to the failure, retries and watches to success", async () => {
    const before = await pipewright("status", "app");
    expect(before.code, before.stderr).toBe(0);
    expect(before.stdout).toContain("no executions yet (pipewright start app)");

    const started = await pipewright("start", "app");
    expect(started.code, started.stderr).toBe(0);
    const id = /execution ([0-9a-f-]{36})/.exec(started.stdout)?.[1];
    expect(id).toBeDefined();

    await until("the approval to wait", async () => {
      const s = await state();
      return s.state.stageStates[2].actionStates[0].latestExecution?.status === "InProgress";
    });
    const shown = await pipewright("status", "app");
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(`execution ${id} InProgress`);
    expect(shown.stdout).toContain(`revision  Fetch: ${commit.slice(0, 10)} the first version`);
    expect(shown.stdout).toMatch(/\nBuild\s+Succeeded\n\s+Compile\s+Succeeded/);
    expect(shown.stdout).toContain(
      "Gate     InProgress  waiting for approval: pipewright approve app Approve Gate",
    );

    const logs = await pipewright("logs", "app", "Build", "Compile");
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toContain("\ncompiling-the-app\n");
    expect(logs.stdout).toMatch(/Phase complete: BUILD State: SUCCEEDED/);
    const followed = await pipewright("logs", "app", "-f", "--json");
    expect(followed.code, followed.stderr).toBe(0);
    const lines = followed.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.some((l: { text: string }) => l.text === "built-ok")).toBe(true);
    const buildId = lines[0].buildId as string;
    expect(buildId).toMatch(/^client-build:/);
    expect((await pipewright("logs", buildId)).stdout).toContain("\nbuilt-ok\n");
    const noLog = await pipewright("logs", "app", "Approve", "Gate");
    expect(noLog.code).toBe(3);
    expect(noLog.stderr).toContain("Approve Gate (Manual) has no build log: it is InProgress");

    const approved = await pipewright("approve", "app", "Approve", "Gate", "--summary", "looks good");
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout).toBe("Approved app Approve Gate\n");
    const again = await pipewright("approve", "app", "Approve", "Gate");
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("Approve Gate is not waiting for approval");

    // Deploy fails once on purpose: --watch ends with the execution, exit code 1.
    const failed = await pipewright("status", "app", "--watch", "--interval", "0.1");
    expect(failed.code, failed.stderr).toBe(1);
    expect(failed.stdout).toContain(`execution ${id} Failed`);
    expect(failed.stdout).toMatch(/Ship\s+Failed/);

    const retried = await pipewright("retry", "app", "Deploy");
    expect(retried.code, retried.stderr).toBe(0);
    expect(retried.stdout).toBe(`Retrying Deploy (FAILED_ACTIONS) of app execution ${id}\n`);
    const succeeded = await pipewright("status", "app", "--watch", "--interval", "0.1");
    expect(succeeded.code, succeeded.stderr).toBe(0);
    expect(succeeded.stdout).toContain(`execution ${id} Succeeded`);
  });

  it("stops an execution, and exits with codes a script can use", async () => {
    const started = await pipewright("start", "app", "--json");
    const id = JSON.parse(started.stdout).pipelineExecutionId as string;
    const stopped = await pipewright("stop", "app", id, "--abandon", "--reason", "not today");
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stdout).toBe(`Abandoning app execution ${id}\n`);
    await until("the execution to stop", async () => (await state()).execution.status === "Stopped");
    expect((await pipewright("status", "app")).code).toBe(1);

    const missing = await pipewright("status", "nope");
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/^pipewright status: PipelineNotFoundException: /);
    const json = await pipewright("status", "nope", "--json");
    expect(JSON.parse(json.stderr).error).toMatchObject({ type: "PipelineNotFoundException", exitCode: 3 });
    const usage = await pipewright("approve", "app");
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("expected PIPELINE STAGE ACTION");
    const closed = await new Promise<number>((done) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => done(port));
      });
    });
    const noScheme = await pipewright("pipelines", "--endpoint-url", "localhost:4577");
    expect(noScheme.code).toBe(2);
    expect(noScheme.stderr).toContain("--endpoint-url must be an http:// or https:// URL");
    const down = await pipewright("pipelines", "--endpoint-url", `http://127.0.0.1:${closed}`);
    expect(down.code).toBe(4);
    expect(down.stderr).toContain(`cannot reach http://127.0.0.1:${closed}: ECONNREFUSED`);
  });
});
