import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { CodeCommitClient, CreateRepositoryCommand } from "@aws-sdk/client-codecommit";
import {
  CodePipelineClient,
  CreatePipelineCommand,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
  type PipelineDeclaration,
  type PipelineExecutionSummary,
  StartPipelineExecutionCommand,
} from "@aws-sdk/client-codepipeline";
import { CodeStarConnectionsClient, CreateConnectionCommand } from "@aws-sdk/client-codestar-connections";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGitWorkspace, gitIn } from "../support/git-client.js";
import { removeDir, type ServerProcess, startServerProcess } from "../support/server-process.js";

const AWS = "/usr/bin/aws";
const run = promisify(execFile);
const fake = (category: "Build" | "Deploy") => ({
  category,
  owner: "AWS" as const,
  provider: "PipewrightTest",
  version: "1",
});
const base = {
  roleArn: "arn:aws:iam::000000000000:role/pipeline",
  artifactStore: { type: "S3" as const, location: "source-artifacts" },
};

/** Sources end to end: real git pushes, a polled external repository, and `aws s3 cp`. */
describe("sources start pipelines (real git, real S3 clients)", () => {
  let server: ServerProcess;
  let cp: CodePipelineClient;
  let s3: S3Client;
  let connectionArn = "";
  const external = mkdtempSync(join(tmpdir(), "pw-external-"));

  async function executions(name: string): Promise<PipelineExecutionSummary[]> {
    return (
      (await cp.send(new ListPipelineExecutionsCommand({ pipelineName: name }))).pipelineExecutionSummaries ??
      []
    );
  }
  async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const value = await probe();
      if (value !== undefined) return value;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`timed out waiting for ${what}\n${server.output().slice(-2000)}`);
  }
  const executionFor = (name: string, commit: string) =>
    until(`an execution of ${commit.slice(0, 8)}`, async () =>
      (await executions(name)).find((e) => e.sourceRevisions?.[0]?.revisionId === commit),
    );
  async function quiet(name: string, count: number): Promise<void> {
    // Nothing may start: wait long enough for a push event or a poll to have acted.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await executions(name)).toHaveLength(count);
  }
  async function aws(...args: string[]): Promise<string> {
    const { stdout } = await run(AWS, [...args, "--endpoint-url", server.endpoint, "--output", "json"], {
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: server.dataDir,
        AWS_ACCESS_KEY_ID: "AKIDSRC",
        AWS_SECRET_ACCESS_KEY: "secret",
        AWS_DEFAULT_REGION: "us-east-1",
        AWS_CONFIG_FILE: "/dev/null",
        AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
        AWS_PAGER: "",
        AWS_EC2_METADATA_DISABLED: "true",
      },
    });
    return stdout;
  }

  beforeAll(async () => {
    server = await startServerProcess({
      env: {
        PIPEWRIGHT_TEST_PROVIDERS: "1",
        PIPEWRIGHT_START_ON_CREATE: "false",
        PIPEWRIGHT_POLL_INTERVAL_MS: "50",
        PIPEWRIGHT_SOURCE_POLL_SECONDS: "1",
      },
    });
    const client = {
      endpoint: server.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "AKIDSRC", secretAccessKey: "secret" },
      maxAttempts: 1,
    };
    cp = new CodePipelineClient(client);
    s3 = new S3Client({ ...client, forcePathStyle: true });
    const cc = new CodeCommitClient(client);
    await cc.send(new CreateRepositoryCommand({ repositoryName: "app" }));
    await cc.send(new CreateRepositoryCommand({ repositoryName: "mono" }));
    const conn = new CodeStarConnectionsClient(client);
    connectionArn = (
      await conn.send(
        new CreateConnectionCommand({
          ConnectionName: "hosted",
          ProviderType: "GitHub",
          Tags: [{ Key: "pipewright:repository-root", Value: "pipewright:" }],
        }),
      )
    ).ConnectionArn!;
  }, 60_000);
  afterAll(async () => {
    await server?.kill();
    if (server) removeDir(server.dataDir);
    removeDir(external);
  });

  it("a push to a hosted repository starts the pipeline at once; 10 quick pushes leave the newest, the rest superseded", async () => {
    const pipeline: PipelineDeclaration = {
      ...base,
      name: "push-app",
      stages: [
        {
          name: "Source",
          actions: [
            {
              name: "Source",
              namespace: "SourceVariables",
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
              name: "Build",
              actionTypeId: fake("Build"),
              configuration: {
                SleepMs: "600",
                Echo: "#{SourceVariables.CommitId} on #{SourceVariables.BranchName}",
              },
              inputArtifacts: [{ name: "Code" }],
            },
          ],
        },
      ],
    };
    await cp.send(new CreatePipelineCommand({ pipeline }));
    const ws = createGitWorkspace();
    await ws.git("init", "-q", "-b", "main");
    await ws.git("remote", "add", "pipewright", `${server.endpoint}/v1/repos/app`);
    const first = await ws.commit("first", { "README.md": "hello\n" });
    await ws.git("push", "-q", "pipewright", "main");
    const started = await executionFor("push-app", first);
    expect(started).toMatchObject({ status: "InProgress", trigger: { triggerType: "CloudWatchEvent" } });

    const pushed: string[] = [];
    for (let i = 0; i < 10; i++) {
      pushed.push(await ws.commit(`change ${i}`, { "counter.txt": `${i}\n` }));
      await ws.git("push", "-q", "pipewright", "main");
    }
    const last = await executionFor("push-app", pushed.at(-1)!);
    await until("the last push to succeed", async () => {
      const got = await cp.send(
        new GetPipelineExecutionCommand({
          pipelineName: "push-app",
          pipelineExecutionId: last.pipelineExecutionId!,
        }),
      );
      return got.pipelineExecution?.status === "Succeeded" ? true : undefined;
    });
    const all = await executions("push-app");
    expect(all).toHaveLength(11);
    // While a build runs, each push supersedes the one waiting in front of Build (the exact rule
    // is scenario 09's). How many get through depends on how fast git pushes on this machine
    // (a push takes 20 to 150 ms, a build 600 ms): at least a third are superseded, the newest
    // always runs, and Build never holds two executions at once.
    expect(all.filter((e) => e.status === "Superseded").length).toBeGreaterThanOrEqual(3);
    expect(all.every((e) => e.status === "Succeeded" || e.status === "Superseded")).toBe(true);
    const builds = (
      await cp.send(new ListActionExecutionsCommand({ pipelineName: "push-app", maxResults: 100 }))
    )
      .actionExecutionDetails!.filter((a) => a.actionName === "Build")
      .map((a) => ({ start: a.startTime!.getTime(), end: a.lastUpdateTime!.getTime() }))
      .sort((a, b) => a.start - b.start);
    expect(builds.length).toBe(all.filter((e) => e.status === "Succeeded").length);
    for (let i = 1; i < builds.length; i++) {
      expect(builds[i]!.start).toBeGreaterThanOrEqual(builds[i - 1]!.end);
    }
    const actions = await cp.send(
      new ListActionExecutionsCommand({
        pipelineName: "push-app",
        filter: { pipelineExecutionId: last.pipelineExecutionId! },
      }),
    );
    const source = actions.actionExecutionDetails!.find((a) => a.actionName === "Source")!;
    expect(source.output?.outputVariables).toMatchObject({
      CommitId: pushed.at(-1),
      BranchName: "main",
      RepositoryName: "app",
      CommitMessage: "change 9",
    });
    expect(
      actions.actionExecutionDetails!.find((a) => a.actionName === "Build")!.input?.resolvedConfiguration
        ?.Echo,
    ).toBe(`${pushed.at(-1)} on main`);

    // A push to another branch starts nothing.
    await ws.git("checkout", "-q", "-b", "feature");
    await ws.commit("elsewhere", { "x.txt": "x\n" });
    await ws.git("push", "-q", "pipewright", "feature");
    await quiet("push-app", 11);

    // An older commit runs again on request (sourceRevisions COMMIT_ID), and its zip holds that tree.
    const rerun = await cp.send(
      new StartPipelineExecutionCommand({
        name: "push-app",
        sourceRevisions: [{ actionName: "Source", revisionType: "COMMIT_ID", revisionValue: first }],
      }),
    );
    const again = await executionFor("push-app", first);
    expect([started.pipelineExecutionId, rerun.pipelineExecutionId]).toContain(again.pipelineExecutionId);
  });

  it("PollForSourceChanges true (AWS's default) polls: a push is picked up by the next poll, not at once", async () => {
    await cp.send(
      new CreatePipelineCommand({
        pipeline: {
          ...base,
          name: "polled-app",
          stages: [
            {
              name: "Source",
              actions: [
                {
                  name: "Source",
                  actionTypeId: { category: "Source", owner: "AWS", provider: "CodeCommit", version: "1" },
                  configuration: { RepositoryName: "mono", BranchName: "poll" },
                  outputArtifacts: [{ name: "Code" }],
                },
              ],
            },
            {
              name: "Build",
              actions: [{ name: "Build", actionTypeId: fake("Build"), inputArtifacts: [{ name: "Code" }] }],
            },
          ],
        },
      }),
    );
    const ws = createGitWorkspace();
    await ws.git("init", "-q", "-b", "poll");
    await ws.git("remote", "add", "origin", `${server.endpoint}/v1/repos/mono`);
    await ws.commit("first", { "a.txt": "a\n" });
    await ws.git("push", "-q", "origin", "poll");
    // The poller's first look at the branch only notes its commit; the next change starts it.
    await new Promise((r) => setTimeout(r, 1_300));
    expect(await executions("polled-app")).toHaveLength(0);
    const second = await ws.commit("second", { "a.txt": "b\n" });
    await ws.git("push", "-q", "origin", "poll");
    const polled = await executionFor("polled-app", second);
    expect(polled.trigger?.triggerType).toBe("PollForSourceChanges");
  });

  it("V2 trigger filters on a connection to hosted repositories: tags, branches and filePaths with excludes", async () => {
    const pipeline: PipelineDeclaration = {
      ...base,
      name: "filtered",
      pipelineType: "V2",
      triggers: [
        {
          providerType: "CodeStarSourceConnection",
          gitConfiguration: {
            sourceActionName: "Source",
            push: [
              { tags: { includes: ["v*"], excludes: ["v0*"] } },
              {
                branches: { includes: ["release/**"] },
                filePaths: { includes: ["src/**"], excludes: ["**/*.md"] },
              },
            ],
          },
        },
      ],
      stages: [
        {
          name: "Source",
          actions: [
            {
              name: "Source",
              actionTypeId: {
                category: "Source",
                owner: "AWS",
                provider: "CodeStarSourceConnection",
                version: "1",
              },
              configuration: {
                ConnectionArn: connectionArn,
                FullRepositoryId: "team/mono",
                BranchName: "main",
                OutputArtifactFormat: "CODEBUILD_CLONE_REF",
              },
              outputArtifacts: [{ name: "Code" }],
            },
          ],
        },
        {
          name: "Build",
          actions: [{ name: "Build", actionTypeId: fake("Build"), inputArtifacts: [{ name: "Code" }] }],
        },
      ],
    };
    await cp.send(new CreatePipelineCommand({ pipeline }));
    const ws = createGitWorkspace();
    await ws.git("init", "-q", "-b", "main");
    await ws.git("remote", "add", "origin", `${server.endpoint}/v1/repos/mono`);
    await ws.commit("base", { "src/app.ts": "export {};\n", "docs/guide.md": "# guide\n" });
    await ws.git("push", "-q", "origin", "main");
    await quiet("filtered", 0); // a trigger with filters replaces the default start on the branch

    await ws.git("tag", "v0.9");
    await ws.git("push", "-q", "origin", "v0.9");
    await quiet("filtered", 0); // excluded tag

    const tagged = await ws.commit("ready", { "src/app.ts": "export const ready = true;\n" });
    await ws.git("push", "-q", "origin", "main");
    await ws.git("tag", "v1.0");
    await ws.git("push", "-q", "origin", "v1.0");
    const byTag = await executionFor("filtered", tagged);
    expect(byTag.trigger?.triggerType).toBe("WebhookV2");

    await ws.git("checkout", "-q", "-b", "release/1");
    await ws.commit("docs only", { "src/notes.md": "notes\n" });
    await ws.git("push", "-q", "origin", "release/1");
    await quiet("filtered", 1); // only an excluded path changed

    const code = await ws.commit("code change", { "src/app.ts": "export const x = 1;\n" });
    await ws.git("push", "-q", "origin", "release/1");
    const byBranch = await executionFor("filtered", code);
    await until("the filtered execution to succeed", async () => {
      const got = await cp.send(
        new GetPipelineExecutionCommand({
          pipelineName: "filtered",
          pipelineExecutionId: byBranch.pipelineExecutionId!,
        }),
      );
      return got.pipelineExecution?.status === "Succeeded" ? true : undefined;
    });

    // CODEBUILD_CLONE_REF: a reference a build can clone with full history, so `git describe` works.
    const actions = await cp.send(
      new ListActionExecutionsCommand({
        pipelineName: "filtered",
        filter: { pipelineExecutionId: byTag.pipelineExecutionId! },
      }),
    );
    const out = actions.actionExecutionDetails!.find((a) => a.actionName === "Source")!.output!
      .outputArtifacts![0]!.s3location!;
    const ref = JSON.parse(
      await (
        await s3.send(new GetObjectCommand({ Bucket: out.bucket, Key: out.key }))
      ).Body!.transformToString(),
    );
    expect(ref).toMatchObject({ type: "CODEBUILD_CLONE_REF", commitId: tagged });
    const clone = mkdtempSync(join(tmpdir(), "pw-clone-"));
    await gitIn(tmpdir(), "clone", "-q", ref.cloneUrl, clone);
    await gitIn(clone, "checkout", "-q", ref.commitId);
    expect(await gitIn(clone, "describe", "--tags")).toBe("v1.0");
    removeDir(clone);
  });

  it("an external repository is watched by polling and by a notify call", async () => {
    const bare = join(external, "team", "lib");
    mkdirSync(bare, { recursive: true });
    await gitIn(bare, "init", "-q", "--bare", "-b", "main");
    const conn = new CodeStarConnectionsClient({
      endpoint: server.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "AKIDSRC", secretAccessKey: "secret" },
    });
    const arn = (
      await conn.send(
        new CreateConnectionCommand({
          ConnectionName: "external",
          ProviderType: "GitLab",
          Tags: [{ Key: "pipewright:repository-root", Value: external }],
        }),
      )
    ).ConnectionArn!;
    const ws = createGitWorkspace();
    await ws.git("init", "-q", "-b", "main");
    await ws.git("remote", "add", "origin", bare);
    await ws.commit("one", { "lib.txt": "1\n" });
    await ws.git("push", "-q", "origin", "main");
    await cp.send(
      new CreatePipelineCommand({
        pipeline: {
          ...base,
          name: "external-lib",
          stages: [
            {
              name: "Source",
              actions: [
                {
                  name: "Source",
                  actionTypeId: {
                    category: "Source",
                    owner: "AWS",
                    provider: "CodeStarSourceConnection",
                    version: "1",
                  },
                  configuration: { ConnectionArn: arn, FullRepositoryId: "team/lib", BranchName: "main" },
                  outputArtifacts: [{ name: "Code" }],
                },
              ],
            },
            {
              name: "Build",
              actions: [{ name: "Build", actionTypeId: fake("Build"), inputArtifacts: [{ name: "Code" }] }],
            },
          ],
        },
      }),
    );
    // Let the poller see the repository once, then change it: the next poll (1 s) starts the pipeline.
    await new Promise((r) => setTimeout(r, 1_300));
    const two = await ws.commit("two", { "lib.txt": "2\n" });
    await ws.git("push", "-q", "origin", "main");
    const polled = await executionFor("external-lib", two);
    expect(polled.trigger?.triggerType).toBe("WebhookV2");

    // A notify call (as a post-receive hook would make) starts it without waiting for the poll.
    const three = await ws.commit("three", { "lib.txt": "3\n" });
    await ws.git("push", "-q", "origin", "main");
    const notified = await fetch(`${server.endpoint}/_pipewright/sources/notify`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ connectionArn: arn, fullRepositoryId: "team/lib" }),
    });
    expect(notified.status).toBe(200);
    const body = (await notified.json()) as { started: { pipelineName: string }[] };
    expect(body.started.map((s) => s.pipelineName)).toEqual(["external-lib"]);
    await executionFor("external-lib", three);
  });

  it.skipIf(!existsSync(AWS))(
    "`aws s3 cp` into a versioned bucket starts the S3-sourced pipeline; an older version runs again",
    async () => {
      await aws("s3", "mb", "s3://code-bucket");
      await aws(
        "s3api",
        "put-bucket-versioning",
        "--bucket",
        "code-bucket",
        "--versioning-configuration",
        "Status=Enabled",
      );
      await cp.send(
        new CreatePipelineCommand({
          pipeline: {
            ...base,
            name: "from-s3",
            stages: [
              {
                name: "Source",
                actions: [
                  {
                    name: "Source",
                    actionTypeId: { category: "Source", owner: "AWS", provider: "S3", version: "1" },
                    configuration: {
                      S3Bucket: "code-bucket",
                      S3ObjectKey: "app.zip",
                      PollForSourceChanges: "false",
                    },
                    outputArtifacts: [{ name: "Code" }],
                  },
                ],
              },
              {
                name: "Deploy",
                actions: [{ name: "Ship", actionTypeId: fake("Deploy"), inputArtifacts: [{ name: "Code" }] }],
              },
            ],
          },
        }),
      );
      const dir = mkdtempSync(join(tmpdir(), "pw-s3src-"));
      const v1 = randomBytes(300_000);
      const v2 = randomBytes(200_000);
      writeFileSync(join(dir, "v1.zip"), v1);
      writeFileSync(join(dir, "v2.zip"), v2);
      await aws("s3", "cp", join(dir, "v1.zip"), "s3://code-bucket/app.zip");
      const first = await until("an S3-started execution", async () => (await executions("from-s3"))[0]);
      expect(first.trigger?.triggerType).toBe("CloudWatchEvent");
      const version1 = first.sourceRevisions![0]!.revisionId!;
      await aws("s3", "cp", join(dir, "v2.zip"), "s3://code-bucket/app.zip");
      await until("a second execution", async () =>
        (await executions("from-s3")).length === 2 ? true : undefined,
      );

      const artifactOf = async (executionId: string) => {
        await until("the execution to succeed", async () => {
          const got = await cp.send(
            new GetPipelineExecutionCommand({ pipelineName: "from-s3", pipelineExecutionId: executionId }),
          );
          return got.pipelineExecution?.status === "Succeeded" ? true : undefined;
        });
        const actions = await cp.send(
          new ListActionExecutionsCommand({
            pipelineName: "from-s3",
            filter: { pipelineExecutionId: executionId },
          }),
        );
        const out = actions.actionExecutionDetails!.find((a) => a.actionName === "Source")!.output!
          .outputArtifacts![0]!.s3location!;
        return Buffer.from(
          await (
            await s3.send(new GetObjectCommand({ Bucket: out.bucket, Key: out.key }))
          ).Body!.transformToByteArray(),
        );
      };
      expect((await artifactOf(first.pipelineExecutionId!)).equals(v1)).toBe(true);
      const older = await cp.send(
        new StartPipelineExecutionCommand({
          name: "from-s3",
          sourceRevisions: [
            { actionName: "Source", revisionType: "S3_OBJECT_VERSION_ID", revisionValue: version1 },
          ],
        }),
      );
      expect((await artifactOf(older.pipelineExecutionId!)).equals(v1)).toBe(true);
      const state = await cp.send(new GetPipelineStateCommand({ name: "from-s3" }));
      expect(state.stageStates![0]!.actionStates![0]!.currentRevision?.revisionId).toBe(version1);
      removeDir(dir);
    },
  );
});
