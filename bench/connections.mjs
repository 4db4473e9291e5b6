#!/usr/bin/env node
import { mkdtempSync, rmSync } from "node:fs";
// 200 clients at once (issue 9 item 6): each opens its own connection at the same moment and
// sends one request, for several rounds, against a server with 100 pipelines and against a bare
// node:http server answering the same bytes (the floor, measured in the same run). Two mixes:
//  - reads: GetPipeline of a stored pipeline;
//  - writes: StartPipelineExecution of one SUPERSEDED pipeline (every start queues on that
//    pipeline's transactions) followed by GetPipelineExecution.
// Reports p50, p99, p99.9 and max per mix, and their ratio to the floor. Never run as a test.
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { saveFigures } from "./figures.mjs";
import { jsonCall, percentile, startProcess, startServer, stop } from "./support.mjs";

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);

function once(url, target, body) {
  const data = JSON.stringify(body);
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: "POST",
        path: "/",
        agent: false,
        headers: {
          "x-amz-target": target,
          "content-type": "application/x-amz-json-1.1",
          "content-length": Buffer.byteLength(data),
        },
      },
      (res) => {
        let text = "";
        res.on("data", (c) => {
          text += c;
        });
        res.on("end", () => resolve({ ms: performance.now() - started, status: res.statusCode, text }));
      },
    );
    req.on("error", () => resolve({ ms: performance.now() - started, status: 0, text: "" }));
    req.end(data);
  });
}

async function storm(endpoint, request) {
  const url = new URL(endpoint);
  const times = [];
  let failed = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const results = await Promise.all(Array.from({ length: CLIENTS }, () => request(url)));
    for (const r of results) {
      times.push(r.ms);
      if (r.status !== 200) failed++;
    }
  }
  times.sort((a, b) => a - b);
  return {
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    p999: percentile(times, 99.9),
    max: times.at(-1),
    failed,
  };
}

const fake = (category, name) => ({
  name,
  actionTypeId: { category, owner: "AWS", provider: "PipewrightTest", version: "1" },
  configuration: { SleepMs: "20" },
  ...(category === "Source" ? { outputArtifacts: [{ name: "C" }] } : { inputArtifacts: [{ name: "C" }] }),
});
const pipeline = (name) => ({
  name,
  roleArn: "arn:aws:iam::123456789012:role/p",
  artifactStore: { type: "S3", location: "bench-connections" },
  stages: [
    { name: "Source", actions: [fake("Source", "S")] },
    { name: "Build", actions: [fake("Build", "B")] },
  ],
});

const dataDir = mkdtempSync(join(tmpdir(), "pipewright-bench-conn-"));
const server = await startServer(dataDir, {
  PIPEWRIGHT_TEST_PROVIDERS: "1",
  PIPEWRIGHT_START_ON_CREATE: "false",
});
for (let i = 0; i < 100; i++) {
  await jsonCall(server.endpoint, "CodePipeline_20150709.CreatePipeline", { pipeline: pipeline(`p${i}`) });
}
const reads = await storm(server.endpoint, (url) =>
  once(url, "CodePipeline_20150709.GetPipeline", { name: `p${Math.floor(Math.random() * 100)}` }),
);
const writes = await storm(server.endpoint, async (url) => {
  const started = await once(url, "CodePipeline_20150709.StartPipelineExecution", { name: "p0" });
  if (started.status !== 200) return started;
  const id = JSON.parse(started.text).pipelineExecutionId;
  const got = await once(url, "CodePipeline_20150709.GetPipelineExecution", {
    pipelineName: "p0",
    pipelineExecutionId: id,
  });
  return { ...got, ms: started.ms + got.ms };
});
await stop(server.child);
rmSync(dataDir, { recursive: true, force: true });

// The floor: a bare server answering a stored pipeline's bytes to each request.
const body = JSON.stringify({ pipeline: pipeline("p0"), metadata: {} });
const floorScript = `require("node:http").createServer((q, s) => { q.resume(); q.on("end", () => { s.setHeader("content-type", "application/x-amz-json-1.1"); s.end(${JSON.stringify(body)}); }); }).listen(0, "127.0.0.1", function () { console.log("listening on http://127.0.0.1:" + this.address().port); });`;
const floor = await startProcess(["-e", floorScript]);
const floorReads = await storm(floor.endpoint, (url) => once(url, "X.Y", {}));
await stop(floor.child);

const row = (name, m, f) =>
  `| ${name} | ${m.p50.toFixed(0)} / ${m.p99.toFixed(0)} / ${m.p999.toFixed(0)} / ${m.max.toFixed(0)} | ${f.p50.toFixed(0)} / ${f.p99.toFixed(0)} / ${f.p999.toFixed(0)} | ${(m.p999 / f.p999).toFixed(2)} | ${m.failed} |`;
console.log(`\n${CLIENTS} connections opened at once, ${ROUNDS} rounds (ms: p50 / p99 / p99.9 / max)\n`);
console.log("| mix | pipewright | bare server | p99.9 ratio | failed |");
console.log("| --- | ---: | ---: | ---: | ---: |");
console.log(row("GetPipeline (100 pipelines)", reads, floorReads));
console.log(row("StartPipelineExecution + GetPipelineExecution, one pipeline", writes, floorReads));
saveFigures(
  "connections",
  [
    ["GetPipeline p99.9, 100 pipelines", reads],
    ["StartPipelineExecution + GetPipelineExecution p99.9", writes],
  ].map(([measure, m]) => ({
    measure: `${measure}, ${CLIENTS} connections at once (${m.failed} failed)`,
    value: m.p999,
    unit: "ms",
    floor: floorReads.p999,
    floorName: "bare node:http",
  })),
  { CLIENTS, ROUNDS },
);
