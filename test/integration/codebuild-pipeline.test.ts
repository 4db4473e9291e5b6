import {
  BatchGetBuildsCommand,
  BatchGetReportsCommand,
  CodeBuildClient,
  CreateProjectCommand,
  DescribeTestCasesCommand,
} from "@aws-sdk/client-codebuild";
import { CodeCommitClient, CreateRepositoryCommand } from "@aws-sdk/client-codecommit";
import {
  CodePipelineClient,
  CreatePipelineCommand,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
  type PipelineDeclaration,
  StopPipelineExecutionCommand,
} from "@aws-sdk/client-codepipeline";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listZip } from "../../src/zip/index.js";
import { createGitWorkspace } from "../support/git-client.js";
import { removeDir, type ServerProcess, startServerProcess } from "../support/server-process.js";

// A pipeline of real git, real builds and real SDK clients: a push to a hosted repository with
// a full-clone (CODEBUILD_CLONE_REF) source; a CodeBuild action whose build runs `git describe`
// and exports the version; a Test action that receives it through #{namespace.variable},
// reads the build's output artifact and publishes a JUnit report.

const buildBuildspec = [
  "version: 0.2",
  "env:",
  "  exported-variables:",
  "    - VERSION",
  "phases:",
  "  build:",
  "    commands:",
  "      - VERSION=$(git describe --tags)",
  '      - mkdir -p dist && echo "app $VERSION at $CODEBUILD_RESOLVED_SOURCE_VERSION" > dist/app.txt',
  "      - git rev-parse --abbrev-ref HEAD > dist/branch.txt",
  "artifacts:",
  "  base-directory: dist",
  "  files:",
  "    - '**/*'",
].join("\n");

const testBuildspec = [
  "version: 0.2",
  "phases:",
  "  build:",
  "    commands:",
  '      - grep "app $EXPECTED" app.txt',
  "      - mkdir -p reports",
  "      - |",
  "        cat > reports/junit.xml <<EOF",
  '        <testsuite name="smoke" tests="2"><testcase classname="smoke" name="version matches" time="0.01"/>',
  '        <testcase classname="smoke" name="flaky thing" time="0.2"><failure message="boom">trace</failure></testcase></testsuite>',
  "        EOF",
  "reports:",
  "  smoke:",
  "    files:",
  "      - reports/junit.xml",
].join("\n");

describe("a pipeline runs CodeBuild actions (real git, real builds, AWS SDKs)", () => {
  let server: ServerProcess;
  const clients = {} as { cp: CodePipelineClient; cb: CodeBuildClient; cc: CodeCommitClient; s3: S3Client };

  beforeAll(async () => {
    server = await startServerProcess({ env: { PIPEWRIGHT_POLL_INTERVAL_MS: "50" } });
    const config = {
      endpoint: server.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "AKIDPIPE", secretAccessKey: "secret" },
    };
    clients.cp = new CodePipelineClient(config);
    clients.cb = new CodeBuildClient(config);
    clients.cc = new CodeCommitClient(config);
    clients.s3 = new S3Client({ ...config, forcePathStyle: true });
  });

  afterAll(async () => {
    await server?.kill();
    if (server) removeDir(server.dataDir);
  });

  it("builds a pushed commit with .git, passes exported variables on and stores artifacts and reports", async () => {
    const { cp, cb, cc, s3 } = clients;
    await cc.send(new CreateRepositoryCommand({ repositoryName: "app" }));
    const project = (name: string, source: { type: "CODEPIPELINE"; buildspec?: string }) =>
      cb.send(
        new CreateProjectCommand({
          name,
          source,
          artifacts: { type: "CODEPIPELINE" },
          environment: {
            type: "LINUX_CONTAINER",
            image: "aws/codebuild/standard:7.0",
            computeType: "BUILD_GENERAL1_SMALL",
          },
          serviceRole: "arn:aws:iam::000000000000:role/codebuild",
        }),
      );
    await project("app-build", { type: "CODEPIPELINE" });
    await project("app-test", { type: "CODEPIPELINE", buildspec: testBuildspec });
    const pipeline: PipelineDeclaration = {
      name: "app",
      roleArn: "arn:aws:iam::000000000000:role/pipeline",
      artifactStore: { type: "S3", location: "app-artifacts" },
      pipelineType: "V2",
      stages: [
        {
          name: "Source",
          actions: [
            {
              name: "Source",
              actionTypeId: { category: "Source", owner: "AWS", provider: "CodeCommit", version: "1" },
              configuration: {
                RepositoryName: "app",
                BranchName: "main",
                PollForSourceChanges: "false",
                OutputArtifactFormat: "CODEBUILD_CLONE_REF",
              },
              outputArtifacts: [{ name: "Code" }],
            },
          ],
        },
        {
          name: "Build",
          actions: [
            {
              name: "Build",
              namespace: "BuildVariables",
              actionTypeId: { category: "Build", owner: "AWS", provider: "CodeBuild", version: "1" },
              configuration: { ProjectName: "app-build" },
              inputArtifacts: [{ name: "Code" }],
              outputArtifacts: [{ name: "BuildOut" }],
            },
          ],
        },
        {
          name: "Test",
          actions: [
            {
              name: "Smoke",
              actionTypeId: { category: "Test", owner: "AWS", provider: "CodeBuild", version: "1" },
              configuration: {
                ProjectName: "app-test",
                EnvironmentVariables: JSON.stringify([
                  { name: "EXPECTED", value: "#{BuildVariables.VERSION}", type: "PLAINTEXT" },
                ]),
              },
              inputArtifacts: [{ name: "BuildOut" }],
            },
          ],
        },
      ],
    };
    await cp.send(new CreatePipelineCommand({ pipeline }));

    const ws = createGitWorkspace();
    await ws.git("init", "-q", "-b", "main");
    await ws.git("remote", "add", "origin", `${server.endpoint}/v1/repos/app`);
    await ws.commit("first", { "buildspec.yml": `${buildBuildspec}\n`, "README.md": "app\n" });
    await ws.git("tag", "v1.0");
    const commit = await ws.commit("second", { "README.md": "app, again\n" });
    await ws.git("push", "-q", "origin", "main", "v1.0");

    const execution = await until(async () => {
      const list = await cp.send(new ListPipelineExecutionsCommand({ pipelineName: "app" }));
      const found = list.pipelineExecutionSummaries?.find(
        (e) => e.sourceRevisions?.[0]?.revisionId === commit,
      );
      return found && found.status !== "InProgress" ? found : undefined;
    });
    const detail = await cp.send(
      new GetPipelineExecutionCommand({
        pipelineName: "app",
        pipelineExecutionId: execution.pipelineExecutionId,
      }),
    );
    const actions = await cp.send(
      new ListActionExecutionsCommand({
        pipelineName: "app",
        filter: { pipelineExecutionId: execution.pipelineExecutionId },
      }),
    );
    const byName = (n: string) => actions.actionExecutionDetails?.find((a) => a.actionName === n);
    for (const action of actions.actionExecutionDetails ?? []) {
      const url = action.output?.executionResult?.externalExecutionUrl;
      if (action.status === "Failed" && url)
        throw new Error(`${action.actionName} failed:\n${await (await fetch(url)).text()}`);
    }
    expect(
      detail.pipelineExecution?.status,
      JSON.stringify([detail, actions.actionExecutionDetails], null, 2),
    ).toBe("Succeeded");
    expect(byName("Build")?.status).toBe("Succeeded");
    expect(byName("Build")?.output?.outputVariables).toEqual({ VERSION: `v1.0-1-g${commit.slice(0, 7)}` });
    // A failing test case fails the report, not the build (as on AWS).
    const smoke = byName("Smoke");
    expect(smoke?.status).toBe("Succeeded");

    const buildId = byName("Build")?.output?.executionResult?.externalExecutionId ?? "";
    const [build] = (await cb.send(new BatchGetBuildsCommand({ ids: [buildId] }))).builds ?? [];
    expect(build?.initiator).toBe("codepipeline/app");
    expect(build?.resolvedSourceVersion).toBe(commit);
    const location = build?.artifacts?.location ?? "";
    expect(location).toMatch(/^arn:aws:s3:::app-artifacts\//);
    const key = location.replace(/^arn:aws:s3:::app-artifacts\//, "");
    const object = await s3.send(new GetObjectCommand({ Bucket: "app-artifacts", Key: key }));
    const zip = await object.Body?.transformToByteArray();
    const entries = (await listZip(zip ?? new Uint8Array())).map((e) => e.name).sort();
    expect(entries).toEqual(["app.txt", "branch.txt"]);

    const testBuildId = smoke?.output?.executionResult?.externalExecutionId ?? "";
    const [testBuild] = (await cb.send(new BatchGetBuildsCommand({ ids: [testBuildId] }))).builds ?? [];
    expect(testBuild?.buildStatus).toBe("SUCCEEDED");
    const reportArn = testBuild?.reportArns?.[0] ?? "";
    expect(reportArn).toMatch(/:report\/app-test-smoke:/);
    const [report] = (await cb.send(new BatchGetReportsCommand({ reportArns: [reportArn] }))).reports ?? [];
    expect(report?.status).toBe("FAILED");
    expect(report?.testSummary?.total).toBe(2);
    expect(report?.testSummary?.statusCounts).toEqual({ SUCCEEDED: 1, FAILED: 1 });
    const failed = await cb.send(new DescribeTestCasesCommand({ reportArn, filter: { status: "FAILED" } }));
    expect(failed.testCases?.map((c) => [c.name, c.message])).toEqual([
      ["flaky thing", expect.stringContaining("boom")],
    ]);
  });

  it("stops the build of an abandoned CodeBuild action (AWS lets it run on)", async () => {
    const { cp, cb } = clients;
    await cb.send(
      new CreateProjectCommand({
        name: "slow",
        source: {
          type: "CODEPIPELINE",
          buildspec:
            "version: 0.2\nphases:\n  build:\n    commands:\n      - echo started\n      - sleep 120\n",
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
    await cp.send(
      new CreatePipelineCommand({
        pipeline: {
          name: "slow",
          roleArn: "arn:aws:iam::000000000000:role/pipeline",
          artifactStore: { type: "S3", location: "slow-artifacts" },
          pipelineType: "V2",
          stages: [
            {
              name: "Source",
              actions: [
                {
                  name: "Source",
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
                  actionTypeId: { category: "Build", owner: "AWS", provider: "CodeBuild", version: "1" },
                  configuration: { ProjectName: "slow" },
                  inputArtifacts: [{ name: "Code" }],
                },
              ],
            },
          ],
        },
      }),
    );
    // CreatePipeline runs it once; wait until its build is past `echo started`.
    const running = await until(async () => {
      const state = await cp.send(new GetPipelineStateCommand({ name: "slow" }));
      const action = state.stageStates?.find((s) => s.stageName === "Build")?.actionStates?.[0];
      const buildId = action?.latestExecution?.externalExecutionId;
      if (!buildId) return undefined;
      const [build] = (await cb.send(new BatchGetBuildsCommand({ ids: [buildId] }))).builds ?? [];
      return build?.currentPhase === "BUILD"
        ? { build, executionId: state.stageStates?.[1]?.latestExecution?.pipelineExecutionId }
        : undefined;
    });
    expect(running.build.buildStatus).toBe("IN_PROGRESS");
    await cp.send(
      new StopPipelineExecutionCommand({
        pipelineName: "slow",
        pipelineExecutionId: running.executionId,
        abandon: true,
        reason: "not needed",
      }),
    );
    const stopped = await until(async () => {
      const [build] = (await cb.send(new BatchGetBuildsCommand({ ids: [running.build.id!] }))).builds ?? [];
      return build?.buildComplete ? build : undefined;
    }, 20_000);
    expect(stopped.buildStatus).toBe("STOPPED");
    const detail = await cp.send(
      new GetPipelineExecutionCommand({ pipelineName: "slow", pipelineExecutionId: running.executionId }),
    );
    expect(detail.pipelineExecution?.status).toBe("Stopped");
  }, 90_000);

  async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const value = await probe();
      if (value !== undefined) return value;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out\n${server.output().slice(-3000)}`);
  }
});
