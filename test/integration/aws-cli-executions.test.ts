import { execFile } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeDir, type ServerProcess, startServerProcess } from "../support/server-process.js";

// Debian's awscli (2.9, with an older botocore: no variables or RollbackStage yet) against the
// execution operations it knows. .ci/run installs it.
const AWS = "/usr/bin/aws";
const run = promisify(execFile);

interface Cli {
  code: number;
  stderr: string;
  // biome-ignore lint/suspicious/noExplicitAny: CLI output is read member by member.
  json: any;
}

describe.skipIf(!existsSync(AWS))("the AWS CLI drives executions", () => {
  let server: ServerProcess;

  async function aws(...args: string[]): Promise<Cli> {
    const env = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: server.dataDir,
      AWS_ACCESS_KEY_ID: "AKIDCLI",
      AWS_SECRET_ACCESS_KEY: "secret",
      AWS_DEFAULT_REGION: "us-east-1",
      AWS_CONFIG_FILE: "/dev/null",
      AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
      AWS_PAGER: "",
      AWS_MAX_ATTEMPTS: "1",
    };
    try {
      const { stdout, stderr } = await run(
        AWS,
        ["codepipeline", ...args, "--endpoint-url", server.endpoint, "--output", "json"],
        { env },
      );
      return { code: 0, stderr, json: stdout.trim() ? JSON.parse(stdout) : {} };
    } catch (error) {
      const e = error as { code: number; stderr: string };
      return { code: e.code, stderr: e.stderr, json: {} };
    }
  }

  async function until(what: string, probe: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (await probe()) return;
      await new Promise((r) => setTimeout(r, 100));
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
    const fake = (category: string) => ({ category, owner: "AWS", provider: "PipewrightTest", version: "1" });
    const file = join(server.dataDir, "cli-pipeline.json");
    writeFileSync(
      file,
      JSON.stringify({
        pipeline: {
          name: "cli-run",
          roleArn: "arn:aws:iam::000000000000:role/pipeline",
          artifactStore: { type: "S3", location: "cli-artifacts" },
          stages: [
            {
              name: "Source",
              actions: [{ name: "Fetch", actionTypeId: fake("Source"), outputArtifacts: [{ name: "Code" }] }],
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
        },
      }),
    );
    const created = await aws("create-pipeline", "--cli-input-json", `file://${file}`);
    expect(created.code, created.stderr).toBe(0);
  });
  afterAll(async () => {
    await server?.kill();
    if (server) removeDir(server.dataDir);
  });

  it("starts, approves, retries and inspects an execution", async () => {
    const started = await aws("start-pipeline-execution", "--name", "cli-run");
    expect(started.code, started.stderr).toBe(0);
    const id = started.json.pipelineExecutionId as string;
    let token = "";
    await until("the approval token", async () => {
      const state = await aws("get-pipeline-state", "--name", "cli-run");
      token = state.json.stageStates?.[1]?.actionStates?.[0]?.latestExecution?.token ?? "";
      return token !== "";
    });
    const approved = await aws(
      "put-approval-result",
      "--pipeline-name",
      "cli-run",
      "--stage-name",
      "Approve",
      "--action-name",
      "Gate",
      "--token",
      token,
      "--result",
      "summary=from the CLI,status=Approved",
    );
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.json.approvedAt).toBeDefined();

    // Deploy fails once on purpose; the CLI retries it.
    await until("the execution to fail", async () => {
      const got = await aws(
        "get-pipeline-execution",
        "--pipeline-name",
        "cli-run",
        "--pipeline-execution-id",
        id,
      );
      return got.json.pipelineExecution?.status === "Failed";
    });
    const retried = await aws(
      "retry-stage-execution",
      "--pipeline-name",
      "cli-run",
      "--stage-name",
      "Deploy",
      "--pipeline-execution-id",
      id,
      "--retry-mode",
      "FAILED_ACTIONS",
    );
    expect(retried.code, retried.stderr).toBe(0);
    await until("the execution to succeed", async () => {
      const got = await aws(
        "get-pipeline-execution",
        "--pipeline-name",
        "cli-run",
        "--pipeline-execution-id",
        id,
      );
      return got.json.pipelineExecution?.status === "Succeeded";
    });

    const listed = await aws("list-pipeline-executions", "--pipeline-name", "cli-run");
    expect(listed.json.pipelineExecutionSummaries[0]).toMatchObject({
      pipelineExecutionId: id,
      status: "Succeeded",
    });
    const actions = await aws(
      "list-action-executions",
      "--pipeline-name",
      "cli-run",
      "--filter",
      `pipelineExecutionId=${id}`,
    );
    expect(
      actions.json.actionExecutionDetails.map(
        (a: { actionName: string; status: string }) => `${a.actionName}:${a.status}`,
      ),
    ).toEqual(["Ship:Succeeded", "Ship:Failed", "Gate:Succeeded", "Fetch:Succeeded"]);
    // (retryStageMetadata is newer than this CLI's botocore, which drops it; the SDK test checks it.)
    const state = await aws("get-pipeline-state", "--name", "cli-run");
    expect(state.json.stageStates[2].latestExecution).toMatchObject({
      pipelineExecutionId: id,
      status: "Succeeded",
    });
  });

  it("disables a transition, stops the waiting execution, and reports AWS's errors", async () => {
    const disabled = await aws(
      "disable-stage-transition",
      "--pipeline-name",
      "cli-run",
      "--stage-name",
      "Approve",
      "--transition-type",
      "Inbound",
      "--reason",
      "Release freeze",
    );
    expect(disabled.code, disabled.stderr).toBe(0);
    const id = (await aws("start-pipeline-execution", "--name", "cli-run")).json
      .pipelineExecutionId as string;
    await until("the inbound execution", async () => {
      const state = await aws("get-pipeline-state", "--name", "cli-run");
      return state.json.stageStates[1].inboundExecution?.pipelineExecutionId === id;
    });
    const stopped = await aws(
      "stop-pipeline-execution",
      "--pipeline-name",
      "cli-run",
      "--pipeline-execution-id",
      id,
      "--abandon",
      "--reason",
      "not now",
    );
    expect(stopped.code, stopped.stderr).toBe(0);
    await until("the execution to stop", async () => {
      const got = await aws(
        "get-pipeline-execution",
        "--pipeline-name",
        "cli-run",
        "--pipeline-execution-id",
        id,
      );
      return got.json.pipelineExecution?.status === "Stopped";
    });
    const again = await aws(
      "stop-pipeline-execution",
      "--pipeline-name",
      "cli-run",
      "--pipeline-execution-id",
      id,
    );
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain("PipelineExecutionNotStoppableException");
    const badStage = await aws(
      "enable-stage-transition",
      "--pipeline-name",
      "cli-run",
      "--stage-name",
      "Nope",
      "--transition-type",
      "Inbound",
    );
    expect(badStage.stderr).toContain("StageNotFoundException");
    const badPipeline = await aws("get-pipeline-state", "--name", "nope");
    expect(badPipeline.stderr).toContain("PipelineNotFoundException");
    const enabled = await aws(
      "enable-stage-transition",
      "--pipeline-name",
      "cli-run",
      "--stage-name",
      "Approve",
      "--transition-type",
      "Inbound",
    );
    expect(enabled.code, enabled.stderr).toBe(0);
  });
});
