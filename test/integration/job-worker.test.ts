import { execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  AcknowledgeJobCommand,
  ActionTypeNotFoundException,
  CodePipelineClient,
  CreateCustomActionTypeCommand,
  CreatePipelineCommand,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  InvalidJobStateException,
  InvalidNonceException,
  JobNotFoundException,
  ListActionExecutionsCommand,
  PollForJobsCommand,
  PutJobFailureResultCommand,
  PutJobSuccessResultCommand,
  StartPipelineExecutionCommand,
} from "@aws-sdk/client-codepipeline";
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeDir, repoRoot, type ServerProcess, startServerProcess } from "../support/server-process.js";

const AWS = "/usr/bin/aws";
const run = promisify(execFile);
const workerScript = join(repoRoot, "test", "integration", "workers", "custom-action-worker.mjs");
const actionTypeId = {
  category: "Build" as const,
  owner: "Custom" as const,
  provider: "PipewrightJenkins",
  version: "1",
};

const sourceTypeId = { ...actionTypeId, category: "Source" as const, provider: "PipewrightJenkinsSource" };

interface WorkerEvent {
  event: string;
  jobId: string;
  nonce?: string;
  sha?: string;
  continuationToken?: string | null;
  // biome-ignore lint/suspicious/noExplicitAny: the job data as the worker received it.
  data?: any;
}

/** Runs the worker script as its own process and collects its JSON lines. */
function runWorker(
  endpoint: string,
  options: Record<string, unknown>,
): Promise<{ code: number | null; events: WorkerEvent[]; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(
      process.execPath,
      [
        workerScript,
        JSON.stringify({
          endpoint,
          region: "us-east-1",
          actionTypeId,
          queryParam: { ProjectName: "app" },
          ...options,
        }),
      ],
      { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.on("exit", (code) => {
      done({
        code,
        stderr: err,
        events: out
          .split("\n")
          .filter(Boolean)
          .map((l) => JSON.parse(l) as WorkerEvent),
      });
    });
  });
}

describe("custom action job workers over the wire (separate processes)", () => {
  let server: ServerProcess;
  let cp: CodePipelineClient;
  let admin: S3Client;

  async function waitFor<T>(
    what: string,
    probe: () => Promise<T | undefined>,
    timeoutMs = 20_000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const value = await probe();
      if (value !== undefined) return value;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}\n${server.output().slice(-2000)}`);
  }

  const executionStatus = (pipeline: string, id: string) => async () => {
    const got = await cp.send(
      new GetPipelineExecutionCommand({ pipelineName: pipeline, pipelineExecutionId: id }),
    );
    const status = got.pipelineExecution?.status;
    return status === "InProgress" ? undefined : status;
  };

  async function start(pipeline: string): Promise<string> {
    const started = await cp.send(new StartPipelineExecutionCommand({ name: pipeline }));
    return started.pipelineExecutionId!;
  }

  beforeAll(async () => {
    server = await startServerProcess({
      env: {
        PIPEWRIGHT_TEST_PROVIDERS: "1",
        PIPEWRIGHT_START_ON_CREATE: "false",
        PIPEWRIGHT_DISPATCH_LEASE_SECONDS: "1",
        PIPEWRIGHT_JOB_LEASE_SECONDS: "2",
        PIPEWRIGHT_POLL_INTERVAL_MS: "100",
        // With keys configured every request is SigV4-verified, so the worker's S3 calls prove
        // that the per-job artifact credentials work (and only where they should).
        PIPEWRIGHT_CREDENTIALS: "AKIDTEST:secret,AKIDWORKER:worker-secret",
      },
    });
    cp = new CodePipelineClient({
      endpoint: server.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "secret" },
      maxAttempts: 1,
    });
    admin = new S3Client({
      endpoint: server.endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "secret" },
      maxAttempts: 1,
    });
    const properties = [
      {
        name: "ProjectName",
        required: true,
        key: true,
        secret: false,
        queryable: true,
        description: "the job to run",
      },
      { name: "Token", required: false, key: false, secret: true },
    ];
    if (existsSync(AWS)) {
      // The issue asks for the real AWS CLI here: create-custom-action-type with its own flags.
      await run(
        AWS,
        [
          "codepipeline",
          "create-custom-action-type",
          "--category",
          actionTypeId.category,
          "--provider",
          actionTypeId.provider,
          "--action-version",
          actionTypeId.version,
          "--configuration-properties",
          JSON.stringify(properties),
          "--input-artifact-details",
          "minimumCount=1,maximumCount=1",
          "--output-artifact-details",
          "minimumCount=1,maximumCount=1",
          "--settings",
          JSON.stringify({
            entityUrlTemplate: "http://jenkins.local/job/{Config:ProjectName}",
            executionUrlTemplate: "http://jenkins.local/job/{Config:ProjectName}/{ExternalExecutionId}",
          }),
          "--endpoint-url",
          server.endpoint,
        ],
        {
          env: {
            PATH: process.env.PATH ?? "/usr/bin:/bin",
            HOME: server.dataDir,
            AWS_ACCESS_KEY_ID: "AKIDTEST",
            AWS_SECRET_ACCESS_KEY: "secret",
            AWS_DEFAULT_REGION: "us-east-1",
            AWS_CONFIG_FILE: "/dev/null",
            AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
            AWS_PAGER: "",
          },
        },
      );
    } else {
      await cp.send(
        new CreateCustomActionTypeCommand({
          ...actionTypeId,
          settings: {
            entityUrlTemplate: "http://jenkins.local/job/{Config:ProjectName}",
            executionUrlTemplate: "http://jenkins.local/job/{Config:ProjectName}/{ExternalExecutionId}",
          },
          configurationProperties: properties,
          inputArtifactDetails: { minimumCount: 1, maximumCount: 1 },
          outputArtifactDetails: { minimumCount: 1, maximumCount: 1 },
        }),
      );
    }
    // A custom Source action: the pipeline's first writer to its artifact bucket is the worker.
    await cp.send(
      new CreateCustomActionTypeCommand({
        ...sourceTypeId,
        configurationProperties: [properties[0]!],
        inputArtifactDetails: { minimumCount: 0, maximumCount: 0 },
        outputArtifactDetails: { minimumCount: 1, maximumCount: 1 },
      }),
    );
    await cp.send(
      new CreatePipelineCommand({
        pipeline: {
          name: "worker-source",
          roleArn: "arn:aws:iam::000000000000:role/pipeline",
          artifactStore: { type: "S3", location: "fresh-source-artifacts" },
          stages: [
            {
              name: "Source",
              actions: [
                {
                  name: "Checkout",
                  actionTypeId: sourceTypeId,
                  configuration: { ProjectName: "app" },
                  outputArtifacts: [{ name: "Code" }],
                },
              ],
            },
            {
              name: "Build",
              actions: [
                {
                  name: "Compile",
                  actionTypeId: { category: "Build", owner: "AWS", provider: "PipewrightTest", version: "1" },
                  inputArtifacts: [{ name: "Code" }],
                },
              ],
            },
          ],
        },
      }),
    );
    for (const name of ["worker-ok", "worker-fail", "worker-lost", "worker-unacked", "worker-continue"]) {
      await cp.send(
        new CreatePipelineCommand({
          pipeline: {
            name,
            roleArn: "arn:aws:iam::000000000000:role/pipeline",
            artifactStore: { type: "S3", location: "worker-artifacts" },
            stages: [
              {
                name: "Source",
                actions: [
                  {
                    name: "Fetch",
                    actionTypeId: {
                      category: "Source",
                      owner: "AWS",
                      provider: "PipewrightTest",
                      version: "1",
                    },
                    configuration: { Echo: `source of ${name}`, Revision: "r1" },
                    outputArtifacts: [{ name: "Code" }],
                  },
                ],
              },
              {
                name: "Build",
                actions: [
                  {
                    name: "Jenkins",
                    actionTypeId,
                    configuration: { ProjectName: "app", Token: "s3cr3t" },
                    inputArtifacts: [{ name: "Code" }],
                    outputArtifacts: [{ name: "Built" }],
                    namespace: "BuildVariables",
                  },
                ],
              },
            ],
          },
        }),
      );
    }
  }, 60_000);

  afterAll(async () => {
    await server?.kill();
    if (server) removeDir(server.dataDir);
  });

  it("a worker polls, acknowledges, downloads its input, uploads its output and reports success", async () => {
    const id = await start("worker-ok");
    const worker = await runWorker(server.endpoint, { mode: "succeed" });
    expect(worker.code, worker.stderr).toBe(0);
    const polled = worker.events.find((e) => e.event === "polled")!;
    expect(polled.data.pipelineContext).toMatchObject({
      pipelineName: "worker-ok",
      stage: { name: "Build" },
      action: { name: "Jenkins" },
      pipelineExecutionId: id,
      pipelineArn: "arn:aws:codepipeline:us-east-1:000000000000:worker-ok",
    });
    // Job data is the one place a secret configuration value is shown.
    expect(polled.data.actionConfiguration.configuration).toEqual({ ProjectName: "app", Token: "s3cr3t" });
    expect(polled.data.artifactCredentials.accessKeyId).toMatch(/^PWJOB/);
    expect(await waitFor("the execution to finish", executionStatus("worker-ok", id))).toBe("Succeeded");

    const input = await admin.send(
      new GetObjectCommand({
        Bucket: polled.data.inputArtifacts[0].location.s3Location.bucketName,
        Key: polled.data.inputArtifacts[0].location.s3Location.objectKey,
      }),
    );
    const sha = createHash("sha256")
      .update(await input.Body!.transformToByteArray())
      .digest("hex");
    const actions = await cp.send(
      new ListActionExecutionsCommand({ pipelineName: "worker-ok", filter: { pipelineExecutionId: id } }),
    );
    const build = actions.actionExecutionDetails!.find((a) => a.actionName === "Jenkins")!;
    expect(build.status).toBe("Succeeded");
    expect(build.output?.outputVariables).toEqual({ InputSha: sha, Worker: expect.any(String) });
    expect(build.output?.executionResult?.externalExecutionId).toBe("run-16");
    expect(build.input?.configuration?.Token).toBe("****");
    const out = build.output!.outputArtifacts![0]!.s3location!;
    const built = await admin.send(new GetObjectCommand({ Bucket: out.bucket, Key: out.key }));
    expect(await built.Body!.transformToString()).toBe(
      `built from ${sha} by ${build.output!.outputVariables!.Worker}`,
    );

    // Results for a finished job are refused.
    await expect(cp.send(new PutJobSuccessResultCommand({ jobId: polled.jobId }))).rejects.toBeInstanceOf(
      InvalidJobStateException,
    );
  });

  it("keeps secret configuration sealed at rest: the database never holds it in clear", async () => {
    // The first test ran an execution whose job carried Token "s3cr3t" (shown to the worker):
    // pipelines, executions, events and jobs are all written by now.
    const { readFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const files = ["pipewright.db", "pipewright.db-wal"]
      .map((n) => join(server.dataDir, n))
      .filter(existsSync);
    const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
    expect(bytes.includes(Buffer.from("s3cr3t")), "the database holds the secret in clear").toBe(false);
    expect(bytes.includes(Buffer.from("pipewright:sealed:v1:")), "the database holds it sealed").toBe(true);
  });

  it("a custom source action's worker writes the first artifact of a bucket nobody made yet", async () => {
    const id = await start("worker-source");
    const worker = await runWorker(server.endpoint, { mode: "succeed", actionTypeId: sourceTypeId });
    expect(worker.code, worker.stderr).toBe(0);
    expect(await waitFor("the execution to finish", executionStatus("worker-source", id))).toBe("Succeeded");
  });

  it("a worker's failure report fails the action, with its message in GetPipelineState", async () => {
    const id = await start("worker-fail");
    const worker = await runWorker(server.endpoint, { mode: "fail" });
    expect(worker.code, worker.stderr).toBe(0);
    expect(await waitFor("the execution to finish", executionStatus("worker-fail", id))).toBe("Failed");
    const state = await cp.send(new GetPipelineStateCommand({ name: "worker-fail" }));
    const build = state.stageStates!.find((s) => s.stageName === "Build")!;
    expect(build.latestExecution).toMatchObject({ pipelineExecutionId: id, status: "Failed" });
    expect(build.actionStates![0]!.latestExecution).toMatchObject({
      status: "Failed",
      errorDetails: { code: "JobFailed", message: "tests failed: 3 of 120" },
      externalExecutionId: "run-17",
    });
    // The type's URL templates, filled from the action's configuration and the worker's run id.
    expect(build.actionStates![0]!.entityUrl).toBe("http://jenkins.local/job/app");
    expect(build.actionStates![0]!.latestExecution?.externalExecutionUrl).toBe(
      "http://jenkins.local/job/app/run-17",
    );
  });

  it("a job whose worker vanished after acknowledging is offered again when its lease runs out", async () => {
    const id = await start("worker-lost");
    const lost = await runWorker(server.endpoint, { mode: "vanish-after-ack" });
    const lostJob = lost.events.find((e) => e.event === "acknowledged")!.jobId;
    const rescuer = await runWorker(server.endpoint, { mode: "succeed", timeoutMs: 15_000 });
    expect(rescuer.code, rescuer.stderr).toBe(0);
    const rescued = rescuer.events.find((e) => e.event === "succeeded")!.jobId;
    expect(rescued).not.toBe(lostJob);
    expect(await waitFor("the execution to finish", executionStatus("worker-lost", id))).toBe("Succeeded");
    // The vanished worker coming back late cannot overwrite the result.
    await expect(cp.send(new PutJobSuccessResultCommand({ jobId: lostJob }))).rejects.toBeInstanceOf(
      InvalidJobStateException,
    );
    const actions = await cp.send(
      new ListActionExecutionsCommand({ pipelineName: "worker-lost", filter: { pipelineExecutionId: id } }),
    );
    expect(
      actions.actionExecutionDetails!.filter((a) => a.actionName === "Jenkins").map((a) => a.status),
    ).toEqual(["Succeeded"]);
  });

  it("a job polled but never acknowledged is offered again after the dispatch lease", async () => {
    const id = await start("worker-unacked");
    const first = await runWorker(server.endpoint, { mode: "vanish-before-ack" });
    const firstJob = first.events[0]!;
    const second = await runWorker(server.endpoint, { mode: "succeed" });
    expect(second.code, second.stderr).toBe(0);
    expect(second.events[0]!.jobId).not.toBe(firstJob.jobId);
    // The old nonce no longer acknowledges anything.
    await expect(
      cp.send(new AcknowledgeJobCommand({ jobId: firstJob.jobId, nonce: firstJob.nonce! })),
    ).resolves.toMatchObject({
      status: "TimedOut",
    });
    expect(await waitFor("the execution to finish", executionStatus("worker-unacked", id))).toBe("Succeeded");
  });

  it("a continuationToken keeps the action running and re-offers the job with the token", async () => {
    const id = await start("worker-continue");
    const worker = runWorker(server.endpoint, { mode: "continue", pauseMs: 600 });
    const midway = await waitFor("the action to report 50%", async () => {
      const state = await cp.send(new GetPipelineStateCommand({ name: "worker-continue" }));
      const latest = state.stageStates?.find((s) => s.stageName === "Build")?.actionStates?.[0]
        ?.latestExecution;
      return latest?.percentComplete === 50 ? latest : undefined;
    });
    expect(midway).toMatchObject({ status: "InProgress", summary: "halfway", externalExecutionId: "run-18" });
    const done = await worker;
    expect(done.code, done.stderr).toBe(0);
    const polls = done.events.filter((e) => e.event === "polled");
    expect(polls.map((p) => p.continuationToken)).toEqual([null, "step-1"]);
    expect(await waitFor("the execution to finish", executionStatus("worker-continue", id))).toBe(
      "Succeeded",
    );
    const actions = await cp.send(
      new ListActionExecutionsCommand({
        pipelineName: "worker-continue",
        filter: { pipelineExecutionId: id },
      }),
    );
    const runs = actions.actionExecutionDetails!.filter((a) => a.actionName === "Jenkins");
    expect(runs).toHaveLength(1);
    expect(runs[0]!.output?.outputVariables).toMatchObject({ Steps: "2" });
  });

  it("answers the job API's errors with AWS's exception types", async () => {
    await expect(
      cp.send(new PollForJobsCommand({ actionTypeId: { ...actionTypeId, provider: "Nope" } })),
    ).rejects.toBeInstanceOf(ActionTypeNotFoundException);
    await expect(
      cp.send(
        new PollForJobsCommand({
          actionTypeId: { category: "Build", owner: "AWS", provider: "CodeBuild", version: "1" },
        }),
      ),
    ).rejects.toBeInstanceOf(ActionTypeNotFoundException);
    await expect(
      cp.send(new AcknowledgeJobCommand({ jobId: "11111111-2222-4333-8444-555555555555", nonce: "1" })),
    ).rejects.toBeInstanceOf(JobNotFoundException);
    await expect(
      cp.send(new PutJobSuccessResultCommand({ jobId: "11111111-2222-4333-8444-555555555555" })),
    ).rejects.toBeInstanceOf(JobNotFoundException);

    await start("worker-ok");
    const job = await waitFor("a job to poll", async () => {
      const polled = await cp.send(
        new PollForJobsCommand({ actionTypeId, queryParam: { ProjectName: "app" } }),
      );
      return polled.jobs?.[0];
    });
    await expect(
      cp.send(new AcknowledgeJobCommand({ jobId: job.id!, nonce: "not-it" })),
    ).rejects.toBeInstanceOf(InvalidNonceException);
    // Not acknowledged yet: results are refused.
    await expect(cp.send(new PutJobSuccessResultCommand({ jobId: job.id! }))).rejects.toBeInstanceOf(
      InvalidJobStateException,
    );
    await cp.send(new AcknowledgeJobCommand({ jobId: job.id!, nonce: job.nonce! }));
    await expect(
      cp.send(
        new PutJobSuccessResultCommand({
          jobId: job.id!,
          continuationToken: "t",
          outputVariables: { A: "1" },
        }),
      ),
    ).rejects.toMatchObject({ name: "ValidationException" });
    // A queryParam of another project finds nothing.
    const other = await cp.send(
      new PollForJobsCommand({ actionTypeId, queryParam: { ProjectName: "other" } }),
    );
    expect(other.jobs).toEqual([]);

    // The job's artifact credentials reach its own artifacts, nothing else, and die with the job.
    const c = job.data!.artifactCredentials!;
    const asJob = new S3Client({
      endpoint: server.endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: {
        accessKeyId: c.accessKeyId!,
        secretAccessKey: c.secretAccessKey!,
        sessionToken: c.sessionToken!,
      },
      maxAttempts: 1,
    });
    const input = job.data!.inputArtifacts![0]!.location!.s3Location!;
    const read = await asJob.send(new GetObjectCommand({ Bucket: input.bucketName!, Key: input.objectKey! }));
    expect(await read.Body!.transformToString()).toContain("source of worker-ok");
    await admin.send(new CreateBucketCommand({ Bucket: "not-the-artifacts" }));
    await expect(
      asJob.send(new PutObjectCommand({ Bucket: "not-the-artifacts", Key: "x", Body: "nope" })),
    ).rejects.toMatchObject({ name: "AccessDenied" });
    await cp.send(
      new PutJobFailureResultCommand({
        jobId: job.id!,
        failureDetails: { type: "JobFailed", message: "done here" },
      }),
    );
    await expect(
      asJob.send(new GetObjectCommand({ Bucket: input.bucketName!, Key: input.objectKey! })),
    ).rejects.toMatchObject({
      $metadata: { httpStatusCode: 403 },
    });
  });
});
