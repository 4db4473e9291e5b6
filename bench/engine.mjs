#!/usr/bin/env node
// Engine benchmarks (`npm run bench`, after bench/run.mjs). Each figure sits next to a floor
// measured in the same run on the same machine:
//  - engine overhead per action: N no-op actions run one after another through the whole path
//    (decide, commit, in-process worker claim, provider, result commit), in process on SQLite,
//    against the floor of N bare SQLite write transactions plus N direct provider calls;
//  - executions started per second over HTTP against a real server, against a bare node:http
//    server answering the same requests from the same client;
//  - execution latency with 1, 10 and 100 executions running at once (PARALLEL pipelines, each
//    execution three 50 ms actions in a row), against the floor of the sleeps themselves.
// Results are printed as a table and saved to bench/results/engine.json. Never run as a test.
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { saveFigures } from "./figures.mjs";
import { agent, jsonCall, percentile, root, startProcess, stop } from "./support.mjs";

const dist = (p) => import(join(root, "dist", p));
const ACTIONS = Number(process.env.BENCH_ACTIONS ?? 200);
const STARTS = Number(process.env.BENCH_START_REQUESTS ?? 2000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);

const fake = (category) => ({ category, owner: "AWS", provider: "PipewrightTest", version: "1" });

/** N no-op actions in a row: 5 stages of ACTIONS/5 actions with increasing runOrder. */
function chain(name, n, extra = {}) {
  const perStage = Math.ceil(n / 5);
  const stages = [
    { name: "Source", actions: [{ name: "Fetch", actionTypeId: fake("Source"), configuration: extra }] },
  ];
  for (let s = 0; s < 5; s++) {
    stages.push({
      name: `Stage${s}`,
      actions: Array.from({ length: perStage }, (_, i) => ({
        name: `A${i}`,
        runOrder: i + 1,
        actionTypeId: fake("Build"),
        configuration: extra,
      })),
    });
  }
  return {
    name,
    roleArn: "arn:aws:iam::000000000000:role/r",
    artifactStore: { type: "S3", location: "bench" },
    stages,
  };
}

async function engineOverhead() {
  const { assemble } = await dist("main/assemble.js");
  const { createSqliteStores } = await dist("store/sqlite/create-sqlite-stores.js");
  const { createTestFakeProvider } = await dist("providers/test-fake/test-fake-provider.js");
  const { defaultRuntimeOptions } = await dist("runtime/create-runtime.js");
  const dir = mkdtempSync(join(tmpdir(), "pw-bench-engine-"));
  const stores = createSqliteStores({ file: join(dir, "pipewright.db") });
  const fakeProvider = createTestFakeProvider();
  const logger = { info() {}, warn() {}, error() {} };
  const { app, runtime } = assemble({
    stores,
    providers: [fakeProvider.provider],
    clock: { now: () => Date.now() },
    newId: randomUUID,
    logger,
    runtime: { ...defaultRuntimeOptions, workerId: "bench" },
    serverSecret: "bench",
    startOnCreate: false,
    authenticator: { authenticate: () => ({ ok: true, principal: "bench" }) },
    defaultScope: { accountId: "000000000000", region: "us-east-1" },
    maxBodyBytes: 1 << 20,
    version: "bench",
    credentials: [],
    mirrorDir: join(dir, "mirrors"),
    publicEndpoint: () => "http://bench",
    sourcePollIntervalMs: 60_000,
    secretsKey: randomBytes(32),
    buildsDir: join(dir, "builds"),
  });
  await runtime.start();
  const call = async (op, body) => {
    const res = await app(
      new Request("http://bench/", {
        method: "POST",
        headers: {
          "x-amz-target": `CodePipeline_20150709.${op}`,
          "content-type": "application/x-amz-json-1.1",
        },
        body: JSON.stringify(body),
      }),
    );
    const json = await res.json();
    if (res.status !== 200) throw new Error(`${op}: ${JSON.stringify(json)}`);
    return json;
  };
  const decl = chain("overhead", ACTIONS);
  const actions = decl.stages.reduce((n, s) => n + s.actions.length, 0);
  await call("CreatePipeline", { pipeline: decl });
  const timings = [];
  for (let round = 0; round < 3; round++) {
    const t0 = performance.now();
    const { pipelineExecutionId } = await call("StartPipelineExecution", { name: "overhead" });
    for (;;) {
      const { pipelineExecution } = await call("GetPipelineExecution", {
        pipelineName: "overhead",
        pipelineExecutionId,
      });
      if (pipelineExecution.status !== "InProgress") {
        if (pipelineExecution.status !== "Succeeded") throw new Error(pipelineExecution.statusSummary);
        break;
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    timings.push((performance.now() - t0) / actions);
  }
  await runtime.stop();
  await stores.close();

  // Floor: what every action needs at least: one durable write transaction to record its start,
  // one to record its end, and a call of the provider.
  const db = new Database(join(dir, "floor.db"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)");
  const insert = db.prepare("INSERT INTO t (body) VALUES (?)");
  const write = db.transaction((body) => insert.run(body));
  const ctx = {
    job: { step: 0, executionId: "e", stageName: "s", actionName: "a" },
    configuration: {},
    outputArtifacts: [],
    inputArtifacts: [],
  };
  const t0 = performance.now();
  for (let i = 0; i < actions; i++) {
    write(JSON.stringify({ i, state: "InProgress" }));
    await fakeProvider.provider.start(ctx);
    write(JSON.stringify({ i, state: "Succeeded" }));
  }
  const floor = (performance.now() - t0) / actions;
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return { perAction: Math.min(...timings), floor, actions };
}

/** Sends `total` requests from `CLIENTS` concurrent clients; returns requests per second. */
async function throughput(total, send) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < total) {
        next++;
        await send();
      }
    }),
  );
  return total / ((performance.now() - t0) / 1000);
}

const FLOOR_SERVER = `
const http = require("node:http");
http.createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    const body = '{"pipelineExecutionId":"00000000-0000-4000-8000-000000000000"}';
    res.writeHead(200, { "content-type": "application/x-amz-json-1.1", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
}).listen(0, "127.0.0.1", function () { console.log("listening on http://127.0.0.1:" + this.address().port); });
`;

async function startsAndConcurrency() {
  const dir = mkdtempSync(join(tmpdir(), "pw-bench-server-"));
  const { child, endpoint } = await startProcess(
    [join(root, "bin", "pipewright.js"), "serve", "--port", "0", "--data-dir", dir],
    {
      PIPEWRIGHT_TEST_PROVIDERS: "1",
      PIPEWRIGHT_START_ON_CREATE: "false",
    },
  );
  const base = {
    roleArn: "arn:aws:iam::000000000000:role/r",
    artifactStore: { type: "S3", location: "bench" },
  };
  // A burst of starts against a busy SUPERSEDED pipeline: each start runs its source action and
  // then supersedes the execution waiting in front of the held Build stage.
  await jsonCall(endpoint, "CodePipeline_20150709.CreatePipeline", {
    pipeline: {
      ...base,
      name: "starts",
      stages: [
        { name: "Source", actions: [{ name: "Fetch", actionTypeId: fake("Source") }] },
        {
          name: "Build",
          actions: [{ name: "Hold", actionTypeId: fake("Build"), configuration: { Outcome: "Hold" } }],
        },
      ],
    },
  });
  const startsPerSecond = await throughput(STARTS, () =>
    jsonCall(endpoint, "CodePipeline_20150709.StartPipelineExecution", { name: "starts" }),
  );

  const slow = { SleepMs: "50" };
  const parallel = (name) => ({
    ...base,
    name,
    pipelineType: "V2",
    executionMode: "PARALLEL",
    stages: [
      { name: "Source", actions: [{ name: "Fetch", actionTypeId: fake("Source") }] },
      {
        name: "Build",
        actions: [1, 2, 3].map((i) => ({
          name: `Step${i}`,
          runOrder: i,
          actionTypeId: fake("Build"),
          configuration: slow,
        })),
      },
    ],
  });
  await jsonCall(endpoint, "CodePipeline_20150709.CreatePipeline", { pipeline: parallel("par-a") });
  await jsonCall(endpoint, "CodePipeline_20150709.CreatePipeline", { pipeline: parallel("par-b") });
  const latency = {};
  for (const n of [1, 10, 100]) {
    const durations = [];
    const rounds = n === 1 ? 10 : 1;
    for (let r = 0; r < rounds; r++) {
      const ids = await Promise.all(
        Array.from({ length: n }, (_, i) => {
          const name = i % 2 === 0 ? "par-a" : "par-b";
          return jsonCall(endpoint, "CodePipeline_20150709.StartPipelineExecution", { name }).then((x) => [
            name,
            x.pipelineExecutionId,
          ]);
        }),
      );
      for (const [name, id] of ids) {
        for (;;) {
          const { pipelineExecution } = await jsonCall(
            endpoint,
            "CodePipeline_20150709.GetPipelineExecution",
            {
              pipelineName: name,
              pipelineExecutionId: id,
            },
          );
          if (pipelineExecution.status === "Succeeded") break;
          if (pipelineExecution.status !== "InProgress") throw new Error(pipelineExecution.statusSummary);
          await new Promise((res) => setTimeout(res, 20));
        }
      }
      for (const name of ["par-a", "par-b"]) {
        const listed = await jsonCall(endpoint, "CodePipeline_20150709.ListPipelineExecutions", {
          pipelineName: name,
          maxResults: 100,
        });
        for (const s of listed.pipelineExecutionSummaries) {
          if (ids.some(([, id]) => id === s.pipelineExecutionId))
            durations.push((s.lastUpdateTime - s.startTime) * 1000);
        }
      }
    }
    latency[n] = { p50: percentile(durations, 50), p95: percentile(durations, 95) };
  }
  await stop(child);
  rmSync(dir, { recursive: true, force: true });

  const floor = await startProcess(["-e", FLOOR_SERVER]);
  const floorPerSecond = await throughput(STARTS, () =>
    jsonCall(floor.endpoint, "CodePipeline_20150709.StartPipelineExecution", { name: "starts" }),
  );
  await stop(floor.child);
  return { startsPerSecond, floorPerSecond, latency };
}

async function main() {
  const overhead = await engineOverhead();
  const { startsPerSecond, floorPerSecond, latency } = await startsAndConcurrency();
  agent.destroy();
  const rows = [
    [
      `engine overhead per action, ${overhead.actions} in a row (ms)`,
      overhead.perAction,
      overhead.floor,
      "<= 5",
    ],
    [`executions started per second (${CLIENTS} clients)`, startsPerSecond, floorPerSecond, ">= 200"],
    ...[1, 10, 100].flatMap((n) => [
      [`execution latency p50, ${n} at once (ms)`, latency[n].p50, 150, "flat"],
      [`execution latency p95, ${n} at once (ms)`, latency[n].p95, 150, "flat"],
    ]),
  ];
  const fmt = (x) => (x === undefined ? "-" : x.toFixed(2));
  console.log("\n| measure | pipewright | floor | ratio | goal |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  for (const [name, value, floor, goal] of rows) {
    console.log(`| ${name} | ${fmt(value)} | ${fmt(floor)} | ${fmt(value / floor)} | ${goal} |`);
  }
  console.log(
    "\nfloors: per action = 2 bare SQLite write transactions + 1 provider call; starts = a bare node:http server answering the same requests; latency = the actions' own sleeps (3 x 50 ms)",
  );
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    settings: { ACTIONS, STARTS, CLIENTS },
    measures: rows.map(([name, value, floor, goal]) => ({ name, value, floor, ratio: value / floor, goal })),
  };
  saveFigures(
    "engine",
    rows.map(([measure, value, floor, goal]) => ({ measure, value, floor, goal })),
    { ACTIONS, STARTS, CLIENTS },
  );
  mkdirSync(join(root, "bench", "results"), { recursive: true });
  writeFileSync(join(root, "bench", "results", "engine.json"), `${JSON.stringify(result, null, 2)}\n`);
  console.log("saved bench/results/engine.json");
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
