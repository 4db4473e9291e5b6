#!/usr/bin/env node
// Pipewright benchmarks (`npm run bench`). Each figure is reported next to a floor measured in
// the same run on the same machine, and as a ratio to it:
//  - start-up to first served request, against a bare node:http server started the same way;
//  - idle RSS after start-up, against the same bare server;
//  - GetPipeline latency at a fixed 200 requests/s with 1,000 stored pipelines, against the bare
//    server answering the same bytes at the same rate.
// Results are printed as a table and saved to bench/results/latest.json. Never run as a test.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { saveFigures } from "./figures.mjs";
import { bin, percentile, root, startProcess, stop } from "./support.mjs";

const fixture = JSON.parse(
  readFileSync(join(root, "test/fixtures/pipelines/basic-v1.json"), "utf8"),
).pipeline;
const STARTS = Number(process.env.BENCH_STARTS ?? 10);
const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PIPELINES = Number(process.env.BENCH_PIPELINES ?? 1000);

const FLOOR_SERVER = `
const http = require("node:http");
const body = process.env.BODY || "{}";
const server = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/x-amz-json-1.1", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
});
server.listen(0, "127.0.0.1", () => console.log("listening on http://127.0.0.1:" + server.address().port));
`;

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function request(endpoint, target, body) {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: target ? "POST" : "GET",
        path: target ? "/" : "/_pipewright/health",
        agent,
        headers: target
          ? {
              "x-amz-target": target,
              "content-type": "application/x-amz-json-1.1",
              "content-length": Buffer.byteLength(body),
            }
          : {},
      },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on("error", reject);
    req.end(target ? body : undefined);
  });
}

function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function startup(argsFor) {
  const times = [];
  const rss = [];
  for (let i = 0; i < STARTS; i++) {
    const dir = mkdtempSync(join(tmpdir(), "pw-bench-"));
    const { child, endpoint, t0 } = await startProcess(...argsFor(dir));
    await request(endpoint);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (i === 0) {
      await new Promise((r) => setTimeout(r, 1000));
      rss.push(rssMb(child.pid));
    }
    await stop(child);
    rmSync(dir, { recursive: true, force: true });
  }
  return { startupMs: median(times), rssMb: rss[0] };
}

// Open loop: requests are sent on a fixed schedule whatever the answers do, so slow answers
// show up as latency instead of silently lowering the rate.
async function fixedRate(endpoint, target, bodyFor) {
  const total = RATE * SECONDS;
  const latencies = [];
  const start = performance.now();
  const pending = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const t = performance.now();
    pending.push(
      request(endpoint, target, bodyFor(i)).then((r) => {
        if (r.status !== 200) throw new Error(`status ${r.status}: ${r.body}`);
        latencies.push(performance.now() - t);
      }),
    );
  }
  await Promise.all(pending);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), n: latencies.length };
}

async function main() {
  const pw = await startup((dir) => [[bin, "serve", "--port", "0", "--data-dir", dir]]);
  const floor = await startup(() => [["-e", FLOOR_SERVER]]);

  const dir = mkdtempSync(join(tmpdir(), "pw-bench-"));
  const { child, endpoint } = await startProcess([bin, "serve", "--port", "0", "--data-dir", dir]);
  for (let i = 0; i < PIPELINES; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, PIPELINES - i) }, (_, k) =>
        request(
          endpoint,
          "CodePipeline_20150709.CreatePipeline",
          JSON.stringify({ pipeline: { ...fixture, name: `bench-${i + k}` } }),
        ).then((r) => {
          if (r.status !== 200) throw new Error(r.body);
        }),
      ),
    );
  }
  const sample = await request(
    endpoint,
    "CodePipeline_20150709.GetPipeline",
    JSON.stringify({ name: "bench-1" }),
  );
  const get = await fixedRate(endpoint, "CodePipeline_20150709.GetPipeline", (i) =>
    JSON.stringify({ name: `bench-${(i * 7919) % PIPELINES}` }),
  );
  await stop(child);
  rmSync(dir, { recursive: true, force: true });

  const floorServer = await startProcess(["-e", FLOOR_SERVER], { BODY: sample.body });
  const floorGet = await fixedRate(floorServer.endpoint, "Floor.Get", () =>
    JSON.stringify({ name: "bench-1" }),
  );
  await stop(floorServer.child);
  agent.destroy();

  const rows = [
    ["start-up to first request (ms, median)", pw.startupMs, floor.startupMs, 300],
    ["idle RSS (MB)", pw.rssMb, floor.rssMb, 80],
    [`GetPipeline p50 at ${RATE}/s, ${PIPELINES} pipelines (ms)`, get.p50, floorGet.p50, undefined],
    [`GetPipeline p99 at ${RATE}/s, ${PIPELINES} pipelines (ms)`, get.p99, floorGet.p99, 5],
  ];
  const fmt = (x) => (x === undefined ? "-" : x.toFixed(2));
  console.log("| measure | pipewright | floor (bare node:http) | ratio | goal |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  for (const [name, value, fl, goal] of rows) {
    console.log(
      `| ${name} | ${fmt(value)} | ${fmt(fl)} | ${fmt(value / fl)} | ${goal === undefined ? "-" : `<= ${goal}`} |`,
    );
  }
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    settings: { STARTS, RATE, SECONDS, PIPELINES },
    measures: rows.map(([name, value, fl, goal]) => ({ name, value, floor: fl, ratio: value / fl, goal })),
  };
  saveFigures(
    "run",
    rows.map(([measure, value, floor, goal]) => ({
      measure,
      value,
      floor,
      floorName: "bare node:http",
      ...(goal === undefined ? {} : { goal: `<= ${goal}` }),
    })),
    { STARTS, RATE, SECONDS, PIPELINES },
  );
  mkdirSync(join(root, "bench", "results"), { recursive: true });
  writeFileSync(join(root, "bench", "results", "latest.json"), `${JSON.stringify(result, null, 2)}\n`);
  console.log("\nsaved bench/results/latest.json");
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
