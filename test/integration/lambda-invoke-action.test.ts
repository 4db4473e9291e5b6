import { spawnSync } from "node:child_process";
import {
  CodePipelineClient,
  CreatePipelineCommand,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  ListActionExecutionsCommand,
  StartPipelineExecutionCommand,
} from "@aws-sdk/client-codepipeline";
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
} from "@aws-sdk/client-ecs";
import { CreateFunctionCommand, LambdaClient, type Runtime } from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FunctionServer, startFunctionServer, TEST_KEYS } from "../support/function-server.js";
import { zipOf } from "../support/zip-files.js";

// The Invoke/Lambda action end to end: a real server on loopback, pipelines created and run
// with the SDK, functions that run as real processes and answer the job with the SDK v3, the
// legacy aws-sdk v2 (as the tutorials write it) or boto3.
const ROLE = "arn:aws:iam::123456789012:role/lambda-role";
let server: FunctionServer;
let cp: CodePipelineClient;
let lambda: LambdaClient;

const SDK_V3_SUCCESS = `
const { CodePipelineClient, PutJobSuccessResultCommand, PutJobFailureResultCommand } = require("@aws-sdk/client-codepipeline");
const { S3Client, GetObjectCommand } = require("@aws-sdk/client-s3");
exports.handler = async (event) => {
  const job = event["CodePipeline.job"];
  const cp = new CodePipelineClient({});
  const input = job.data.inputArtifacts[0].location.s3Location;
  const creds = job.data.artifactCredentials;
  const s3 = new S3Client({ forcePathStyle: true, credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey, sessionToken: creds.sessionToken } });
  const artifact = await (await s3.send(new GetObjectCommand({ Bucket: input.bucketName, Key: input.objectKey }))).Body.transformToByteArray();
  if (!job.data.continuationToken) {
    await cp.send(new PutJobSuccessResultCommand({ jobId: job.id, continuationToken: "second-step" }));
    return "continuing";
  }
  await cp.send(new PutJobSuccessResultCommand({
    jobId: job.id,
    outputVariables: { params: job.data.actionConfiguration.configuration.UserParameters, token: job.data.continuationToken, artifactBytes: String(artifact.length), fn: job.data.actionConfiguration.configuration.FunctionName },
    executionDetails: { summary: "checked by v3" },
  }));
  return "done";
};`;

// The tutorial's integration test: legacy aws-sdk v2, callbacks, http.get of the URL in UserParameters.
const SDK_V2_TUTORIAL = `
var AWS = require("aws-sdk");
var http = require("http");
exports.handler = function (event, context) {
  var codepipeline = new AWS.CodePipeline();
  var jobId = event["CodePipeline.job"].id;
  var url = event["CodePipeline.job"].data.actionConfiguration.configuration.UserParameters;
  var putJobSuccess = function (message) {
    codepipeline.putJobSuccessResult({ jobId: jobId }, function (err) {
      if (err) context.fail(err); else context.succeed(message);
    });
  };
  var putJobFailure = function (message) {
    codepipeline.putJobFailureResult({ jobId: jobId, failureDetails: { message: JSON.stringify(message), type: "JobFailed", externalExecutionId: context.awsRequestId } }, function () {
      context.fail(message);
    });
  };
  http.get(url, function (res) {
    var page = "";
    res.on("data", function (chunk) { page += chunk; });
    res.on("end", function () {
      if (page.indexOf("Congratulations") !== -1) putJobSuccess("Tests passed.");
      else putJobFailure("The UserParameters URL did not contain the expected text 'Congratulations'");
    });
  }).on("error", function (e) { putJobFailure(e.message); });
};`;

const PYTHON_HANDLER = `import boto3

def handler(event, context):
    job = event["CodePipeline.job"]
    boto3.client("codepipeline").put_job_success_result(jobId=job["id"], outputVariables={"lang": "python"})
`;

async function createFunction(
  name: string,
  files: Record<string, string>,
  extra: { Runtime?: string; Handler?: string; Timeout?: number } = {},
) {
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: (extra.Runtime ?? "nodejs20.x") as Runtime,
      Handler: extra.Handler ?? "index.handler",
      Role: ROLE,
      Timeout: extra.Timeout ?? 30,
      Code: { ZipFile: await zipOf(files) },
    }),
  );
}

async function createPipeline(name: string, functionName: string, userParameters?: string) {
  await cp.send(
    new CreatePipelineCommand({
      pipeline: {
        name,
        roleArn: "arn:aws:iam::123456789012:role/pipeline",
        artifactStore: { type: "S3", location: "lambda-artifacts" },
        stages: [
          {
            name: "Source",
            actions: [
              {
                name: "Fetch",
                actionTypeId: { category: "Source", owner: "AWS", provider: "PipewrightTest", version: "1" },
                configuration: { Echo: "the source", Revision: "r1" },
                outputArtifacts: [{ name: "Code" }],
              },
            ],
          },
          {
            name: "Test",
            actions: [
              {
                name: "Invoke",
                actionTypeId: { category: "Invoke", owner: "AWS", provider: "Lambda", version: "1" },
                configuration: {
                  FunctionName: functionName,
                  ...(userParameters === undefined ? {} : { UserParameters: userParameters }),
                },
                inputArtifacts: [{ name: "Code" }],
                namespace: "InvokeVariables",
              },
            ],
          },
        ],
      },
    }),
  );
}

/** Starts the pipeline and waits for the execution to end; resolves with its status and the Invoke action's run. */
async function runPipeline(name: string) {
  const started = Date.now();
  const { pipelineExecutionId } = await cp.send(new StartPipelineExecutionCommand({ name }));
  for (;;) {
    const { pipelineExecution } = await cp.send(
      new GetPipelineExecutionCommand({ pipelineName: name, pipelineExecutionId }),
    );
    if (pipelineExecution?.status !== "InProgress") {
      const actions = await cp.send(
        new ListActionExecutionsCommand({ pipelineName: name, filter: { pipelineExecutionId } }),
      );
      const invoke = actions.actionExecutionDetails?.find((a) => a.actionName === "Invoke");
      const state = await cp.send(new GetPipelineStateCommand({ name }));
      const latest = state.stageStates?.find((s) => s.stageName === "Test")?.actionStates?.[0]
        ?.latestExecution;
      return { status: pipelineExecution?.status, invoke, latest, wallMs: Date.now() - started };
    }
    if (Date.now() - started > 60_000) throw new Error(`${name} did not finish in 60 s`);
    await new Promise((wake) => setTimeout(wake, 50));
  }
}

beforeAll(async () => {
  server = await startFunctionServer();
  const client = { endpoint: server.endpoint, region: "us-east-1", credentials: TEST_KEYS };
  cp = new CodePipelineClient(client);
  lambda = new LambdaClient(client);
});
afterAll(async () => {
  cp?.destroy();
  lambda?.destroy();
  await server?.close();
});

describe("the Invoke/Lambda action", { timeout: 90_000 }, () => {
  it("succeeds when an SDK v3 function calls PutJobSuccessResult, through a continuation, with output variables", async () => {
    await createFunction("v3-success", { "index.js": SDK_V3_SUCCESS });
    await createPipeline("lambda-v3", "v3-success", "some parameters");
    const run = await runPipeline("lambda-v3");
    expect(run.status, JSON.stringify(run.latest)).toBe("Succeeded");
    expect(run.invoke?.output?.outputVariables).toMatchObject({
      params: "some parameters",
      token: "second-step",
      fn: "v3-success",
    });
    expect(Number(run.invoke?.output?.outputVariables?.artifactBytes)).toBeGreaterThan(0);
    expect(run.latest?.summary).toBe("checked by v3");
  });

  it("runs the tutorial's aws-sdk v2 callback function unchanged: success and failure with its own message", async () => {
    const page = (await import("node:http")).createServer((req, res) => {
      res.end(req.url === "/good" ? "<h1>Congratulations</h1>" : "<h1>Nothing here</h1>");
    });
    await new Promise<void>((done) => page.listen(0, "127.0.0.1", done));
    const base = `http://127.0.0.1:${(page.address() as { port: number }).port}`;
    try {
      await createFunction("v2-tutorial", { "index.js": SDK_V2_TUTORIAL });
      await createPipeline("lambda-v2-good", "v2-tutorial", `${base}/good`);
      await createPipeline("lambda-v2-bad", "v2-tutorial", `${base}/bad`);
      const good = await runPipeline("lambda-v2-good");
      expect(good.status, JSON.stringify(good.latest)).toBe("Succeeded");
      const bad = await runPipeline("lambda-v2-bad");
      expect(bad.status).toBe("Failed");
      expect(bad.latest?.errorDetails?.message).toBe(
        JSON.stringify("The UserParameters URL did not contain the expected text 'Congratulations'"),
      );
    } finally {
      page.close();
    }
  });

  const python = spawnSync("python3", ["-c", "import boto3"]).status === 0;
  it.skipIf(!python)(
    "succeeds with a Python handler that calls put_job_success_result with boto3",
    async () => {
      await createFunction(
        "py-success",
        { "app.py": PYTHON_HANDLER },
        { Runtime: "python3.12", Handler: "app.handler" },
      );
      await createPipeline("lambda-python", "py-success");
      const run = await runPipeline("lambda-python");
      expect(run.status, JSON.stringify(run.latest)).toBe("Succeeded");
      expect(run.invoke?.output?.outputVariables).toEqual({ lang: "python" });
    },
  );

  for (const [name, code, timeout, expected] of [
    [
      "forgets",
      `exports.handler = async () => { console.log("checked the page"); return "all good, I think"; };`,
      30,
      /returned without calling PutJobSuccessResult or PutJobFailureResult for job \S+\. Call codepipeline\.putJobSuccessResult/u,
    ],
    [
      "throws",
      `exports.handler = async () => { throw new Error("database unreachable"); };`,
      30,
      /returned without calling PutJobSuccessResult or PutJobFailureResult for job \S+ \(it failed with Error: database unreachable\)/u,
    ],
    [
      "hangs",
      `exports.handler = () => new Promise(() => setInterval(() => {}, 1000));`,
      1,
      /returned without calling PutJobSuccessResult or PutJobFailureResult for job \S+ \(it timed out: Task timed out after 1\.00 seconds\)/u,
    ],
  ] as const) {
    it(`fails at once when the function ${name} without a result`, async () => {
      await createFunction(`fn-${name}`, { "index.js": code }, { Timeout: timeout });
      await createPipeline(`lambda-${name}`, `fn-${name}`);
      const run = await runPipeline(`lambda-${name}`);
      expect(run.status).toBe("Failed");
      expect(run.latest?.errorDetails?.message).toMatch(expected);
      expect(run.latest?.errorDetails?.message).toContain(`The AWS Lambda function fn-${name} returned`);
      if (name === "forgets") {
        expect(run.invoke?.output?.executionResult?.externalExecutionSummary).toMatch(
          /^Function log \(last lines\): \S+\t\S+\tINFO\tchecked the page$/u,
        );
        expect(run.invoke?.output?.executionResult?.externalExecutionId).toMatch(/^[0-9a-f-]{36}$/u);
      }
      const actionMs = run.invoke!.lastUpdateTime!.getTime() - run.invoke!.startTime!.getTime();
      console.log(`fail-fast (${name}): action ran ${actionMs} ms, start to Failed ${run.wallMs} ms`);
      // The function's own run (about 0.1 s; the hanging one 1 s) plus the grace for a late
      // result: well under the 20 minutes AWS waits.
      expect(actionMs).toBeLessThan(timeout === 1 ? 3000 : 2000);
    });
  }

  // The seeds' clean-up function, as written for AWS (aws-sdk v2, callbacks): it scales the
  // integration service to zero with ECS UpdateService, with the function's own credentials.
  it("runs the clean-up function that scales a service to zero with ECS UpdateService", async () => {
    const ecs = new ECSClient({ endpoint: server.endpoint, region: "us-east-1", credentials: TEST_KEYS });
    await ecs.send(new CreateClusterCommand({ clusterName: "integration" }));
    const family = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "app",
        containerDefinitions: [{ name: "app", image: "app:1", essential: true, command: ["sleep", "600"] }],
      }),
    );
    await ecs.send(
      new CreateServiceCommand({
        cluster: "integration",
        serviceName: "app",
        taskDefinition: family.taskDefinition?.taskDefinitionArn,
        desiredCount: 2,
      }),
    );
    // The scheduler runs the service's two tasks (host processes here) before the clean-up.
    server.assembled.ecs.start();
    const runningCount = async () =>
      (await ecs.send(new DescribeServicesCommand({ cluster: "integration", services: ["app"] })))
        .services?.[0]?.runningCount;
    for (let i = 0; i < 100 && (await runningCount()) !== 2; i++)
      await new Promise((done) => setTimeout(done, 100));
    expect(await runningCount()).toBe(2);
    await createFunction("cleanup", {
      "index.js": `
var AWS = require("aws-sdk");
exports.handler = function (event, context, callback) {
  var codepipeline = new AWS.CodePipeline();
  var jobId = event["CodePipeline.job"].id;
  new AWS.ECS().updateService({ cluster: "integration", service: "app", desiredCount: 0 }, function (err) {
    if (err) {
      codepipeline.putJobFailureResult({ jobId: jobId, failureDetails: { type: "JobFailed", message: err.code + ": " + err.message } }, function () { callback(null); });
    } else {
      codepipeline.putJobSuccessResult({ jobId: jobId }, function () { callback(null, "scaled to zero"); });
    }
  });
};`,
    });
    await createPipeline("lambda-cleanup", "cleanup");
    const run = await runPipeline("lambda-cleanup");
    expect(run.status, run.latest?.errorDetails?.message).toBe("Succeeded");
    const service = (
      await ecs.send(new DescribeServicesCommand({ cluster: "integration", services: ["app"] }))
    ).services?.[0];
    expect(service?.desiredCount).toBe(0);
    // Its tasks stop.
    for (let i = 0; i < 100 && (await runningCount()) !== 0; i++)
      await new Promise((done) => setTimeout(done, 100));
    expect(await runningCount()).toBe(0);
    const open = await ecs.send(
      new ListTasksCommand({ cluster: "integration", serviceName: "app", desiredStatus: "RUNNING" }),
    );
    expect(open.taskArns).toEqual([]);
    await server.assembled.ecs.stop();
    ecs.destroy();
  });

  it("fails with the configuration error when the function does not exist", async () => {
    await createPipeline("lambda-missing", "no-such-function");
    const run = await runPipeline("lambda-missing");
    expect(run.status).toBe("Failed");
    expect(run.latest?.errorDetails?.message).toMatch(
      /Error calling Invoke on no-such-function: Function not found: arn:aws:lambda:us-east-1:123456789012:function:no-such-function/u,
    );
  });
});
