#!/usr/bin/env node
// Lambda-compatible functions (docs/lambda.md): a warm invoke round trip through the SDK v3 and
// through `aws lambda invoke`, against a bare `node -e` of the same handler in the same run; a
// cold start (a process that had not loaded the handler) against `node` start-up; and the
// Invoke/Lambda action's overhead in a pipeline beyond the function's own invoke. Median of
// BENCH_RUNS (default 10). The server runs in this process from dist/ (`npx tsc -p
// tsconfig.build.json` first) with memory stores: on this branch SQLite waits for migration 10.
// Never run as a test.
import { execFile, execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { promisify } from "node:util";
import {
  CodePipelineClient,
  CreatePipelineCommand,
  GetPipelineExecutionCommand,
  ListActionExecutionsCommand,
  StartPipelineExecutionCommand,
} from "@aws-sdk/client-codepipeline";
import {
  CreateFunctionCommand,
  InvokeCommand,
  LambdaClient,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { createAuthenticator } from "../dist/api/auth/authenticator.js";
import { createInsideCredentials } from "../dist/inside/index.js";
import { silentLogger } from "../dist/lib/logger.js";
import { assemble } from "../dist/main/assemble.js";
import { toNodeListener } from "../dist/main/node-http-adapter.js";
import { systemClock } from "../dist/main/system-clock.js";
import { createTestFakeProvider } from "../dist/providers/test-fake/test-fake-provider.js";
import { defaultRuntimeOptions } from "../dist/runtime/create-runtime.js";
import { newSecretsKey } from "../dist/runtime/secrets/cipher.js";
import { createMemoryStores } from "../dist/store/memory/create-memory-stores.js";
import { writeZip } from "../dist/zip/index.js";
import { saveFigures } from "./figures.mjs";
import { percentile } from "./support.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const KEYS = { accessKeyId: "x", secretAccessKey: "y" };
const HANDLER = `exports.handler = async (event) => ({ ok: true, n: event.n });`;
const dir = mkdtempSync(join(tmpdir(), "pipewright-bench-lambda-"));
const sessions = createInsideCredentials({ now: () => systemClock.now() });
let endpoint = "";
const assembled = assemble({
  stores: createMemoryStores(),
  providers: [createTestFakeProvider().provider],
  clock: systemClock,
  newId: randomUUID,
  logger: silentLogger,
  runtime: { ...defaultRuntimeOptions, workerId: "bench", pollIntervalMs: 20 },
  serverSecret: "bench",
  secretsKey: newSecretsKey(),
  startOnCreate: false,
  authenticator: createAuthenticator([KEYS], (id) => sessions.secretFor(id)?.secretAccessKey),
  insideCredentials: sessions,
  defaultScope: { accountId: "123456789012", region: "us-east-1" },
  maxBodyBytes: 10 * 1024 * 1024,
  version: "bench",
  credentials: [KEYS],
  mirrorDir: join(dir, "mirrors"),
  publicEndpoint: () => endpoint,
  sourcePollIntervalMs: 1000,
  buildsDir: join(dir, "builds"),
  dataDir: dir,
});
await assembled.runtime.start();
const server = createServer(toNodeListener(assembled.app));
await new Promise((done) => server.listen(0, "127.0.0.1", done));
endpoint = `http://127.0.0.1:${server.address().port}`;
const client = { endpoint, region: "us-east-1", credentials: KEYS };
const lambda = new LambdaClient(client);
const cp = new CodePipelineClient(client);

async function zip(files) {
  const out = new PassThrough();
  const chunks = [];
  out.on("data", (c) => chunks.push(c));
  await writeZip(
    Object.entries(files).map(([name, text]) => ({
      name,
      source: { kind: "data", data: Buffer.from(text) },
    })),
    out,
  );
  return Buffer.concat(chunks);
}
const median = (xs) => percentile(xs, 50).toFixed(1);
async function time(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}
async function runs(n, fn) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await time(() => fn(i)));
  return out;
}
const role = "arn:aws:iam::123456789012:role/bench";
const create = (name, code) =>
  lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: "nodejs20.x",
      Handler: "index.handler",
      Role: role,
      Timeout: 30,
      Code: { ZipFile: code },
    }),
  );

await create("bench", await zip({ "index.js": HANDLER }));
const invoke = (name, n) =>
  lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify({ n })) }));
await invoke("bench", 0);

const bare = await runs(RUNS, () =>
  execFileSync(process.execPath, [
    "-e",
    `${HANDLER}; exports.handler({ n: 1 }).then((r) => process.stdout.write(JSON.stringify(r)))`,
  ]),
);
const nodeStart = await runs(RUNS, () => execFileSync(process.execPath, ["-e", "0"]));
const warmSdk = await runs(RUNS, (i) => invoke("bench", i));
// A changed Environment makes a new process key: nothing was started ahead for it.
const cold = [];
for (let i = 0; i < RUNS; i++) {
  await lambda.send(
    new UpdateFunctionConfigurationCommand({
      FunctionName: "bench",
      Environment: { Variables: { RUN: String(i) } },
    }),
  );
  cold.push(await time(() => invoke("bench", i)));
}
const zipPath = join(dir, "out.json");
const cliEnv = {
  ...process.env,
  AWS_ACCESS_KEY_ID: "x",
  AWS_SECRET_ACCESS_KEY: "y",
  AWS_DEFAULT_REGION: "us-east-1",
};
const cliRuns = Math.min(RUNS, 5);
// Asynchronous: the server answering the CLI runs in this process.
const run = promisify(execFile);
const cli = await runs(cliRuns, () =>
  run("/usr/bin/aws", ["lambda", "invoke", "--function-name", "bench", "--endpoint-url", endpoint, zipPath], {
    env: cliEnv,
  }),
);
const cliFloor = await runs(cliRuns, () =>
  run(
    "/usr/bin/aws",
    ["lambda", "get-function-configuration", "--function-name", "bench", "--endpoint-url", endpoint],
    { env: cliEnv },
  ),
);

// The Invoke action: a function that answers at once, against invoking it directly.
await create(
  "answer",
  await zip({
    "index.js": `const { CodePipelineClient, PutJobSuccessResultCommand } = require("@aws-sdk/client-codepipeline");
const cp = new CodePipelineClient({});
exports.handler = async (event) => { try { await cp.send(new PutJobSuccessResultCommand({ jobId: event["CodePipeline.job"].id })); } catch {} return 1; };`,
  }),
);
await cp.send(
  new CreatePipelineCommand({
    pipeline: {
      name: "bench",
      roleArn: "arn:aws:iam::123456789012:role/pipeline",
      artifactStore: { type: "S3", location: "bench-artifacts" },
      stages: [
        {
          name: "Source",
          actions: [
            {
              name: "Fetch",
              actionTypeId: { category: "Source", owner: "AWS", provider: "PipewrightTest", version: "1" },
              configuration: { Revision: "r1" },
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
              configuration: { FunctionName: "answer" },
              inputArtifacts: [{ name: "Code" }],
            },
          ],
        },
      ],
    },
  }),
);
// Paired runs, alternating: invoking the function directly (the same work, PutJobSuccessResult
// included, of a job that does not exist) is the floor of the Invoke action's run right after
// it, so both see the same machine load. The action's time is the server's own record (start to
// Succeeded) and has no HTTP round trip of an Invoke request, so its overhead can be below 0.
const direct = [];
const action = [];
for (let i = 0; i < RUNS; i++) {
  direct.push(
    await time(() =>
      lambda.send(
        new InvokeCommand({
          FunctionName: "answer",
          Payload: Buffer.from(JSON.stringify({ "CodePipeline.job": { id: randomUUID() } })),
        }),
      ),
    ),
  );
  const { pipelineExecutionId } = await cp.send(new StartPipelineExecutionCommand({ name: "bench" }));
  for (;;) {
    const { pipelineExecution } = await cp.send(
      new GetPipelineExecutionCommand({ pipelineName: "bench", pipelineExecutionId }),
    );
    if (pipelineExecution.status !== "InProgress") break;
    await new Promise((wake) => setTimeout(wake, 10));
  }
  const { actionExecutionDetails } = await cp.send(
    new ListActionExecutionsCommand({ pipelineName: "bench", filter: { pipelineExecutionId } }),
  );
  const run = actionExecutionDetails.find((a) => a.actionName === "Invoke");
  if (run.status !== "Succeeded") throw new Error(`the Invoke action ended ${run.status}`);
  action.push(run.lastUpdateTime.getTime() - run.startTime.getTime());
}
const pairedOverhead = percentile(
  action.map((ms, i) => ms - direct[i]),
  50,
);

console.log(`runs: ${RUNS} (CLI: ${cliRuns}), median ms`);
console.log(`bare node -e of the handler:            ${median(bare)}`);
console.log(`node start-up (node -e 0):              ${median(nodeStart)}`);
console.log(`warm Invoke, SDK v3 round trip:         ${median(warmSdk)}`);
console.log(`cold Invoke, SDK v3 round trip:         ${median(cold)}`);
console.log(`aws lambda invoke:                      ${median(cli)}`);
console.log(`aws lambda get-function-configuration:  ${median(cliFloor)}  (the CLI's own floor)`);
console.log(`direct Invoke of the answering function: ${median(direct)}`);
console.log(
  `Invoke action, start to Succeeded:      ${median(action)}  (paired overhead, median: ${pairedOverhead.toFixed(1)})`,
);
const m = (xs) => percentile(xs, 50);
saveFigures(
  "lambda",
  [
    {
      measure: "warm Invoke, SDK v3 round trip",
      value: m(warmSdk),
      floor: m(bare),
      floorName: "bare node -e of the handler",
    },
    {
      measure: "cold Invoke, SDK v3 round trip",
      value: m(cold),
      floor: m(nodeStart),
      floorName: "node -e 0",
    },
    {
      measure: "aws lambda invoke",
      value: m(cli),
      floor: m(cliFloor),
      floorName: "aws lambda get-function-configuration",
    },
    {
      measure: "Invoke action, start to Succeeded",
      value: m(action),
      floor: m(direct),
      floorName: "direct Invoke of the same function, paired",
    },
  ].map((f) => ({ ...f, unit: "ms" })),
  { RUNS, cliRuns, pairedOverheadMs: pairedOverhead },
);

lambda.destroy();
cp.destroy();
server.close();
server.closeAllConnections();
await assembled.functions.shutdown();
await assembled.runtime.stop();
rmSync(dir, { recursive: true, force: true });
