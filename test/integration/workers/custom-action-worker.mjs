#!/usr/bin/env node
// A job worker for a custom action type, written as a Jenkins-style worker would be with the
// official AWS SDK: PollForJobs, AcknowledgeJob, download the input artifact with the job's
// artifact credentials, upload the output artifact, report the result. Runs as its own process
// (the job-worker integration test spawns it) and prints one JSON line per event.
//
// Usage: node custom-action-worker.mjs '<json options>'
//   {endpoint, region, actionTypeId, queryParam?, mode, timeoutMs?}
//   mode: succeed | fail | vanish-after-ack | vanish-before-ack | continue
import { createHash } from "node:crypto";
import {
  AcknowledgeJobCommand,
  CodePipelineClient,
  PollForJobsCommand,
  PutJobFailureResultCommand,
  PutJobSuccessResultCommand,
} from "@aws-sdk/client-codepipeline";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";

const options = JSON.parse(process.argv[2]);
const say = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);
const codepipeline = new CodePipelineClient({
  endpoint: options.endpoint,
  region: options.region,
  credentials: { accessKeyId: "AKIDWORKER", secretAccessKey: "worker-secret" },
  maxAttempts: 1,
});

async function poll() {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  while (Date.now() < deadline) {
    const { jobs } = await codepipeline.send(
      new PollForJobsCommand({
        actionTypeId: options.actionTypeId,
        maxBatchSize: 1,
        queryParam: options.queryParam,
      }),
    );
    if (jobs?.length) return jobs[0];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("no job arrived in time");
}

function s3For(job) {
  const c = job.data.artifactCredentials;
  return new S3Client({
    endpoint: options.endpoint,
    region: options.region,
    forcePathStyle: true,
    credentials: {
      accessKeyId: c.accessKeyId,
      secretAccessKey: c.secretAccessKey,
      sessionToken: c.sessionToken,
    },
    maxAttempts: 1,
  });
}

async function download(s3, artifact) {
  const loc = artifact.location.s3Location;
  const object = await s3.send(new GetObjectCommand({ Bucket: loc.bucketName, Key: loc.objectKey }));
  return Buffer.from(await object.Body.transformToByteArray());
}

async function work(job) {
  const s3 = s3For(job);
  // A source action (the seeds' Jenkins-style pattern) has no input: it only writes its output.
  const input =
    job.data.inputArtifacts.length > 0 ? await download(s3, job.data.inputArtifacts[0]) : Buffer.alloc(0);
  const sha = createHash("sha256").update(input).digest("hex");
  for (const out of job.data.outputArtifacts) {
    const loc = out.location.s3Location;
    await s3.send(
      new PutObjectCommand({
        Bucket: loc.bucketName,
        Key: loc.objectKey,
        Body: `built from ${sha} by ${process.pid}`,
      }),
    );
  }
  return sha;
}

const job = await poll();
say({
  event: "polled",
  jobId: job.id,
  nonce: job.nonce,
  continuationToken: job.data.continuationToken ?? null,
  data: job.data,
});
if (options.mode === "vanish-before-ack") process.exit(0);
const ack = await codepipeline.send(new AcknowledgeJobCommand({ jobId: job.id, nonce: job.nonce }));
say({ event: "acknowledged", jobId: job.id, status: ack.status });
if (options.mode === "vanish-after-ack") process.exit(0);

if (options.mode === "fail") {
  await codepipeline.send(
    new PutJobFailureResultCommand({
      jobId: job.id,
      failureDetails: { type: "JobFailed", message: "tests failed: 3 of 120", externalExecutionId: "run-17" },
    }),
  );
  say({ event: "failed", jobId: job.id });
} else if (options.mode === "continue") {
  await codepipeline.send(
    new PutJobSuccessResultCommand({
      jobId: job.id,
      continuationToken: "step-1",
      executionDetails: { summary: "halfway", percentComplete: 50, externalExecutionId: "run-18" },
    }),
  );
  say({ event: "continued", jobId: job.id });
  await new Promise((r) => setTimeout(r, options.pauseMs ?? 0));
  const next = await poll();
  say({
    event: "polled",
    jobId: next.id,
    nonce: next.nonce,
    continuationToken: next.data.continuationToken ?? null,
  });
  await codepipeline.send(new AcknowledgeJobCommand({ jobId: next.id, nonce: next.nonce }));
  const sha = await work(next);
  await codepipeline.send(
    new PutJobSuccessResultCommand({
      jobId: next.id,
      executionDetails: { summary: "done after a continuation", percentComplete: 100 },
      outputVariables: { InputSha: sha, Steps: "2" },
    }),
  );
  say({ event: "succeeded", jobId: next.id, sha });
} else {
  const sha = await work(job);
  await codepipeline.send(
    new PutJobSuccessResultCommand({
      jobId: job.id,
      executionDetails: {
        summary: `built ${sha.slice(0, 12)}`,
        externalExecutionId: "run-16",
        percentComplete: 100,
      },
      outputVariables: { InputSha: sha, Worker: String(process.pid) },
    }),
  );
  say({ event: "succeeded", jobId: job.id, sha });
}
