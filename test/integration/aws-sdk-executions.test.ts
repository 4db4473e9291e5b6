import {
  ApprovalAlreadyCompletedException,
  CodePipelineClient,
  ConcurrentPipelineExecutionsLimitExceededException,
  CreatePipelineCommand,
  DisableStageTransitionCommand,
  DuplicatedStopRequestException,
  EnableStageTransitionCommand,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  InvalidApprovalTokenException,
  InvalidNextTokenException,
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
  NotLatestPipelineExecutionException,
  type PipelineDeclaration,
  PipelineExecutionNotFoundException,
  PipelineExecutionNotStoppableException,
  PipelineNotFoundException,
  PutApprovalResultCommand,
  paginateListPipelineExecutions,
  RetryStageExecutionCommand,
  RollbackStageCommand,
  StageNotFoundException,
  StageNotRetryableException,
  StartPipelineExecutionCommand,
  StopPipelineExecutionCommand,
  UnableToRollbackStageException,
} from "@aws-sdk/client-codepipeline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeDir, type ServerProcess, startServerProcess } from "../support/server-process.js";

const fake = (category: "Source" | "Build" | "Deploy") => ({
  category,
  owner: "AWS" as const,
  provider: "PipewrightTest",
  version: "1",
});
const base = {
  roleArn: "arn:aws:iam::000000000000:role/pipeline",
  artifactStore: { type: "S3" as const, location: "sdk-artifacts" },
};

/** The execution APIs judged by the official SDK: shapes it parses, exceptions it maps to classes. */
describe("@aws-sdk/client-codepipeline: executions over the wire", () => {
  let server: ServerProcess;
  let cp: CodePipelineClient;

  async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const value = await probe();
      if (value !== undefined) return value;
      await new Promise((r) => setTimeout(r, 30));
    }
    throw new Error(`timed out waiting for ${what}\n${server.output().slice(-3000)}`);
  }
  const status = (pipelineName: string, pipelineExecutionId: string, wanted: string) =>
    until(`${pipelineExecutionId} to be ${wanted}`, async () => {
      const got = await cp.send(new GetPipelineExecutionCommand({ pipelineName, pipelineExecutionId }));
      return got.pipelineExecution?.status === wanted ? got.pipelineExecution : undefined;
    });
  const approvalToken = (name: string) =>
    until("an approval token", async () => {
      const state = await cp.send(new GetPipelineStateCommand({ name }));
      return state.stageStates?.find((s) => s.stageName === "Approve")?.actionStates?.[0]?.latestExecution
        ?.token;
    });

  beforeAll(async () => {
    server = await startServerProcess({
      env: { PIPEWRIGHT_TEST_PROVIDERS: "1", PIPEWRIGHT_POLL_INTERVAL_MS: "50" },
    });
    cp = new CodePipelineClient({
      endpoint: server.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "AKIDSDK", secretAccessKey: "secret" },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    await server.kill();
    removeDir(server.dataDir);
  });

  it("runs a new pipeline once, waits at its approval, and finishes when approved", async () => {
    const pipeline: PipelineDeclaration = {
      ...base,
      name: "sdk-approval",
      stages: [
        {
          name: "Source",
          actions: [
            {
              name: "Fetch",
              actionTypeId: fake("Source"),
              configuration: { Revision: "abc123" },
              outputArtifacts: [{ name: "Code" }],
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
          actions: [{ name: "Ship", actionTypeId: fake("Deploy"), inputArtifacts: [{ name: "Code" }] }],
        },
      ],
    };
    await cp.send(new CreatePipelineCommand({ pipeline }));
    const listed = await cp.send(new ListPipelineExecutionsCommand({ pipelineName: "sdk-approval" }));
    const first = listed.pipelineExecutionSummaries![0]!;
    expect(first.trigger?.triggerType).toBe("CreatePipeline");
    expect(first.startTime).toBeInstanceOf(Date);
    const token = await approvalToken("sdk-approval");

    await expect(
      cp.send(
        new PutApprovalResultCommand({
          pipelineName: "sdk-approval",
          stageName: "Approve",
          actionName: "Gate",
          token: "11111111-2222-4333-8444-555555555555",
          result: { status: "Approved", summary: "" },
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidApprovalTokenException);
    const approved = await cp.send(
      new PutApprovalResultCommand({
        pipelineName: "sdk-approval",
        stageName: "Approve",
        actionName: "Gate",
        token,
        result: { status: "Approved", summary: "ship it" },
      }),
    );
    expect(approved.approvedAt).toBeInstanceOf(Date);
    await expect(
      cp.send(
        new PutApprovalResultCommand({
          pipelineName: "sdk-approval",
          stageName: "Approve",
          actionName: "Gate",
          token,
          result: { status: "Rejected", summary: "too late" },
        }),
      ),
    ).rejects.toBeInstanceOf(ApprovalAlreadyCompletedException);

    const done = await status("sdk-approval", first.pipelineExecutionId!, "Succeeded");
    expect(done.artifactRevisions).toEqual([
      expect.objectContaining({ name: "Code", revisionId: "abc123", revisionSummary: "revision abc123" }),
    ]);
    const state = await cp.send(new GetPipelineStateCommand({ name: "sdk-approval" }));
    expect(state.pipelineVersion).toBe(1);
    expect(state.stageStates?.map((s) => [s.stageName, s.latestExecution?.status])).toEqual([
      ["Source", "Succeeded"],
      ["Approve", "Succeeded"],
      ["Deploy", "Succeeded"],
    ]);
    expect(state.stageStates?.[0]?.actionStates?.[0]?.currentRevision?.revisionId).toBe("abc123");
    const gate = state.stageStates?.[1]?.actionStates?.[0]?.latestExecution;
    expect(gate).toMatchObject({ status: "Succeeded", summary: "ship it", lastUpdatedBy: "AKIDSDK" });
    expect(gate?.lastStatusChange).toBeInstanceOf(Date);
    const actions = await cp.send(new ListActionExecutionsCommand({ pipelineName: "sdk-approval" }));
    expect(actions.actionExecutionDetails?.map((a) => a.actionName)).toEqual(["Ship", "Gate", "Fetch"]);
    const ship = actions.actionExecutionDetails![0]!;
    expect(ship.input?.inputArtifacts?.[0]?.s3location?.bucket).toBe("sdk-artifacts");
    expect(ship.startTime).toBeInstanceOf(Date);
  });

  it("stops, retries, disables transitions and rolls back, answering AWS's exceptions", async () => {
    const pipeline: PipelineDeclaration = {
      ...base,
      name: "sdk-control",
      pipelineType: "V2",
      variables: [{ name: "FAIL_TIMES", defaultValue: "1" }],
      stages: [
        {
          name: "Source",
          actions: [{ name: "Fetch", actionTypeId: fake("Source"), outputArtifacts: [{ name: "Code" }] }],
        },
        {
          name: "Build",
          actions: [
            {
              name: "Compile",
              actionTypeId: fake("Build"),
              configuration: { FailTimes: "#{variables.FAIL_TIMES}" },
              inputArtifacts: [{ name: "Code" }],
            },
          ],
        },
        {
          name: "Deploy",
          actions: [{ name: "Ship", actionTypeId: fake("Deploy"), configuration: { SleepMs: "300" } }],
        },
      ],
    };
    await cp.send(new CreatePipelineCommand({ pipeline }));
    const created = (await cp.send(new ListPipelineExecutionsCommand({ pipelineName: "sdk-control" })))
      .pipelineExecutionSummaries![0]!;
    const failed = await status("sdk-control", created.pipelineExecutionId!, "Failed");
    expect(failed.statusSummary).toContain("failing run 1 of 1");
    await expect(
      cp.send(
        new RetryStageExecutionCommand({
          pipelineName: "sdk-control",
          stageName: "Nope",
          pipelineExecutionId: created.pipelineExecutionId!,
          retryMode: "FAILED_ACTIONS",
        }),
      ),
    ).rejects.toBeInstanceOf(StageNotFoundException);
    await expect(
      cp.send(
        new RetryStageExecutionCommand({
          pipelineName: "sdk-control",
          stageName: "Source",
          pipelineExecutionId: created.pipelineExecutionId!,
          retryMode: "FAILED_ACTIONS",
        }),
      ),
    ).rejects.toBeInstanceOf(StageNotRetryableException);
    await cp.send(
      new RetryStageExecutionCommand({
        pipelineName: "sdk-control",
        stageName: "Build",
        pipelineExecutionId: created.pipelineExecutionId!,
        retryMode: "FAILED_ACTIONS",
      }),
    );
    await status("sdk-control", created.pipelineExecutionId!, "Succeeded");
    const retriedState = await cp.send(new GetPipelineStateCommand({ name: "sdk-control" }));
    expect(retriedState.stageStates?.find((s) => s.stageName === "Build")?.retryStageMetadata).toEqual({
      autoStageRetryAttempt: 0,
      manualStageRetryAttempt: 1,
      latestRetryTrigger: "ManualStageRetry",
    });

    await cp.send(
      new DisableStageTransitionCommand({
        pipelineName: "sdk-control",
        stageName: "Deploy",
        transitionType: "Inbound",
        reason: "change freeze",
      }),
    );
    const second = (
      await cp.send(
        new StartPipelineExecutionCommand({
          name: "sdk-control",
          variables: [{ name: "FAIL_TIMES", value: "0" }],
        }),
      )
    ).pipelineExecutionId!;
    const waiting = await until(`the inbound execution`, async () => {
      const state = await cp.send(new GetPipelineStateCommand({ name: "sdk-control" }));
      const deploy = state.stageStates?.find((s) => s.stageName === "Deploy");
      return deploy?.inboundExecution ? deploy : undefined;
    });
    expect(waiting.inboundExecution).toMatchObject({ pipelineExecutionId: second, status: "InProgress" });
    expect(waiting.inboundTransitionState).toMatchObject({
      enabled: false,
      disabledReason: "change freeze",
      lastChangedBy: "AKIDSDK",
    });
    expect(waiting.inboundTransitionState?.lastChangedAt).toBeInstanceOf(Date);
    // An older execution is no longer the latest of Build once the second one ran it.
    await expect(
      cp.send(
        new RetryStageExecutionCommand({
          pipelineName: "sdk-control",
          stageName: "Build",
          pipelineExecutionId: created.pipelineExecutionId!,
          retryMode: "ALL_ACTIONS",
        }),
      ),
    ).rejects.toBeInstanceOf(NotLatestPipelineExecutionException);
    await cp.send(
      new EnableStageTransitionCommand({
        pipelineName: "sdk-control",
        stageName: "Deploy",
        transitionType: "Inbound",
      }),
    );
    await until("Deploy to run", async () => {
      const got = await cp.send(
        new ListActionExecutionsCommand({
          pipelineName: "sdk-control",
          filter: { pipelineExecutionId: second },
        }),
      );
      return got.actionExecutionDetails?.some((a) => a.actionName === "Ship") ? true : undefined;
    });
    await cp.send(
      new StopPipelineExecutionCommand({
        pipelineName: "sdk-control",
        pipelineExecutionId: second,
        reason: "enough",
      }),
    );
    await expect(
      cp.send(new StopPipelineExecutionCommand({ pipelineName: "sdk-control", pipelineExecutionId: second })),
    ).rejects.toBeInstanceOf(DuplicatedStopRequestException);
    const stopped = await status("sdk-control", second, "Stopped");
    expect(stopped.statusSummary).toContain("enough");
    await expect(
      cp.send(
        new StopPipelineExecutionCommand({
          pipelineName: "sdk-control",
          pipelineExecutionId: second,
          abandon: true,
        }),
      ),
    ).rejects.toBeInstanceOf(PipelineExecutionNotStoppableException);
    const summaries = (await cp.send(new ListPipelineExecutionsCommand({ pipelineName: "sdk-control" })))
      .pipelineExecutionSummaries!;
    expect(summaries.find((s) => s.pipelineExecutionId === second)?.stopTrigger?.reason).toBe("enough");

    const rollback = await cp.send(
      new RollbackStageCommand({
        pipelineName: "sdk-control",
        stageName: "Deploy",
        targetPipelineExecutionId: created.pipelineExecutionId!,
      }),
    );
    const rolled = await status("sdk-control", rollback.pipelineExecutionId!, "Succeeded");
    expect(rolled).toMatchObject({
      executionType: "ROLLBACK",
      trigger: { triggerType: "ManualRollback" },
      rollbackMetadata: { rollbackTargetPipelineExecutionId: created.pipelineExecutionId },
    });
    await expect(
      cp.send(
        new RollbackStageCommand({
          pipelineName: "sdk-control",
          stageName: "Source",
          targetPipelineExecutionId: created.pipelineExecutionId!,
        }),
      ),
    ).rejects.toBeInstanceOf(UnableToRollbackStageException);
    await expect(
      cp.send(
        new GetPipelineExecutionCommand({
          pipelineName: "sdk-control",
          pipelineExecutionId: "11111111-2222-4333-8444-555555555555",
        }),
      ),
    ).rejects.toBeInstanceOf(PipelineExecutionNotFoundException);
    await expect(cp.send(new StartPipelineExecutionCommand({ name: "sdk-nope" }))).rejects.toBeInstanceOf(
      PipelineNotFoundException,
    );
  });

  it("pages executions newest first and refuses forged tokens", async () => {
    const pipeline: PipelineDeclaration = {
      ...base,
      name: "sdk-pages",
      stages: [
        { name: "Source", actions: [{ name: "Fetch", actionTypeId: fake("Source") }] },
        { name: "Build", actions: [{ name: "Compile", actionTypeId: fake("Build") }] },
      ],
    };
    await cp.send(new CreatePipelineCommand({ pipeline }));
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      ids.push(
        (await cp.send(new StartPipelineExecutionCommand({ name: "sdk-pages" }))).pipelineExecutionId!,
      );
      await new Promise((r) => setTimeout(r, 5));
    }
    const seen: string[] = [];
    for await (const page of paginateListPipelineExecutions(
      { client: cp, pageSize: 2 },
      { pipelineName: "sdk-pages" },
    )) {
      expect(page.pipelineExecutionSummaries!.length).toBeLessThanOrEqual(2);
      seen.push(...page.pipelineExecutionSummaries!.map((s) => s.pipelineExecutionId!));
    }
    // Four starts plus the one CreatePipeline made, newest first.
    expect(seen).toHaveLength(5);
    expect(seen.slice(0, 4)).toEqual([...ids].reverse());
    await expect(
      cp.send(new ListPipelineExecutionsCommand({ pipelineName: "sdk-pages", nextToken: "forged" })),
    ).rejects.toBeInstanceOf(InvalidNextTokenException);
    // Idempotent starts: one token, one execution.
    const a = await cp.send(
      new StartPipelineExecutionCommand({ name: "sdk-pages", clientRequestToken: "release-7" }),
    );
    const b = await cp.send(
      new StartPipelineExecutionCommand({ name: "sdk-pages", clientRequestToken: "release-7" }),
    );
    expect(b.pipelineExecutionId).toBe(a.pipelineExecutionId);
  });

  it("caps QUEUED pipelines at 50 unfinished executions", async () => {
    const pipeline: PipelineDeclaration = {
      ...base,
      name: "sdk-cap",
      pipelineType: "V2",
      executionMode: "QUEUED",
      stages: [
        { name: "Source", actions: [{ name: "Fetch", actionTypeId: fake("Source") }] },
        {
          name: "Build",
          actions: [{ name: "Hold", actionTypeId: fake("Build"), configuration: { Outcome: "Hold" } }],
        },
      ],
    };
    await cp.send(new CreatePipelineCommand({ pipeline }));
    for (let i = 0; i < 49; i++) await cp.send(new StartPipelineExecutionCommand({ name: "sdk-cap" }));
    await expect(cp.send(new StartPipelineExecutionCommand({ name: "sdk-cap" }))).rejects.toBeInstanceOf(
      ConcurrentPipelineExecutionsLimitExceededException,
    );
  });
});
