import { CodeCommitClient, CreateRepositoryCommand } from "@aws-sdk/client-codecommit";
import {
  type ActionDeclaration,
  CodePipelineClient,
  CreatePipelineCommand,
  ListPipelineExecutionsCommand,
  type PipelineDeclaration,
  type PipelineExecutionSummary,
} from "@aws-sdk/client-codepipeline";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, describe, expect, it } from "vitest";
import { createGitWorkspace } from "../support/git-client.js";
import { removeDir, type ServerProcess, startServerProcess } from "../support/server-process.js";

/**
 * PollForSourceChanges across a restart: a push that no poll saw before the server died starts
 * the pipeline once the server is back (the first look compares with what the newest execution
 * ran), and a source that did not move starts nothing: neither a branch nor an object in an
 * unversioned bucket (whose revision is its ETag, its version id being "null").
 */
describe("polled sources across a restart", () => {
  const env = {
    PIPEWRIGHT_TEST_PROVIDERS: "1",
    PIPEWRIGHT_POLL_INTERVAL_MS: "50",
    // Polls run at start-up and then hourly: the push below is seen by no poll before the kill.
    PIPEWRIGHT_SOURCE_POLL_SECONDS: "3600",
  };
  type PipelineSourceAction = ActionDeclaration;
  let server: ServerProcess | undefined;
  let dataDir = "";

  afterAll(async () => {
    await server?.kill("SIGKILL");
    if (dataDir) removeDir(dataDir);
  });

  const codeCommit = (branch: string) => ({
    name: "Source",
    actionTypeId: {
      category: "Source" as const,
      owner: "AWS" as const,
      provider: "CodeCommit",
      version: "1",
    },
    configuration: { RepositoryName: "polled", BranchName: branch },
    outputArtifacts: [{ name: "Code" }],
  });
  const pipeline = (name: string, source: PipelineSourceAction): PipelineDeclaration => ({
    name,
    roleArn: "arn:aws:iam::000000000000:role/pipeline",
    artifactStore: { type: "S3", location: "poll-restart-artifacts" },
    stages: [
      {
        name: "Source",
        actions: [source],
      },
      {
        name: "Build",
        actions: [
          {
            name: "Build",
            actionTypeId: { category: "Build", owner: "AWS", provider: "PipewrightTest", version: "1" },
            inputArtifacts: [{ name: "Code" }],
          },
        ],
      },
    ],
  });

  function clientsFor(s: ServerProcess) {
    const config = {
      endpoint: s.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "AKIDPOLL", secretAccessKey: "secret" },
      maxAttempts: 1,
    };
    return {
      cp: new CodePipelineClient(config),
      cc: new CodeCommitClient(config),
      s3: new S3Client({ ...config, forcePathStyle: true }),
    };
  }

  async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const value = await probe();
      if (value !== undefined) return value;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`timed out waiting for ${what}\n${server?.output().slice(-2000)}`);
  }

  it("starts the pipeline for a push no poll saw before a SIGKILL, and nothing for an unmoved source", async () => {
    server = await startServerProcess({ env });
    dataDir = server.dataDir;
    let { cp, cc, s3 } = clientsFor(server);
    const executions = async (name: string): Promise<PipelineExecutionSummary[]> =>
      (await cp.send(new ListPipelineExecutionsCommand({ pipelineName: name }))).pipelineExecutionSummaries ??
      [];
    const succeededAt = (name: string, commit: string) =>
      until(`${name} to run ${commit.slice(0, 8)}`, async () =>
        (await executions(name)).find(
          (e) => e.status === "Succeeded" && e.sourceRevisions?.[0]?.revisionId === commit,
        ),
      );

    await cc.send(new CreateRepositoryCommand({ repositoryName: "polled" }));
    const ws = createGitWorkspace();
    await ws.git("init", "-q", "-b", "main");
    await ws.git("remote", "add", "origin", `${server.endpoint}/v1/repos/polled`);
    const first = await ws.commit("first", { "a.txt": "1\n" });
    await ws.git("push", "-q", "origin", "main");
    await ws.git("push", "-q", "origin", "main:steady");

    // A new pipeline runs once, on the branch's head (AWS's behaviour).
    await cp.send(new CreatePipelineCommand({ pipeline: pipeline("moves", codeCommit("main")) }));
    await cp.send(new CreatePipelineCommand({ pipeline: pipeline("steady", codeCommit("steady")) }));
    await succeededAt("moves", first);
    await succeededAt("steady", first);

    await s3.send(new CreateBucketCommand({ Bucket: "plain" }));
    await s3.send(new PutObjectCommand({ Bucket: "plain", Key: "app.zip", Body: "not versioned" }));
    const plain = pipeline("plain-s3", {
      name: "Source",
      actionTypeId: { category: "Source", owner: "AWS", provider: "S3", version: "1" },
      configuration: { S3Bucket: "plain", S3ObjectKey: "app.zip" },
      outputArtifacts: [{ name: "Code" }],
    });
    await cp.send(new CreatePipelineCommand({ pipeline: plain }));
    await until("plain-s3 to run once", async () =>
      (await executions("plain-s3")).find((e) => e.status === "Succeeded"),
    );

    // Polling, not events: the push starts nothing before the next poll, and the server dies first.
    const second = await ws.commit("second", { "a.txt": "2\n" });
    await ws.git("push", "-q", "origin", "main");
    await new Promise((r) => setTimeout(r, 500));
    expect(await executions("moves")).toHaveLength(1);
    await server.kill("SIGKILL");

    server = await startServerProcess({ env, dataDir });
    ({ cp, cc, s3 } = clientsFor(server));
    const polled = await succeededAt("moves", second);
    expect(polled.trigger?.triggerType).toBe("PollForSourceChanges");
    expect(await executions("moves")).toHaveLength(2);
    // The start-up poll has looked at both pipelines by now; the unmoved one started nothing.
    await new Promise((r) => setTimeout(r, 500));
    expect(await executions("steady")).toHaveLength(1);
    expect(await executions("plain-s3")).toHaveLength(1);
    expect(await executions("moves")).toHaveLength(2);
  }, 60_000);
});
