#!/usr/bin/env node
// The first things a user times (`npm run bench`), each against a floor measured in the same
// run on the same machine, runs interleaved so load on the machine hits both alike:
//  - `pipewright build` of a one-command buildspec (default executor, and --executor host)
//    against `node -e 0`: goal at most 30 ms over the floor;
//  - `pipewright serve` from spawn to its first answer (ListPipelines) against a bare
//    node:http server from spawn to its first answer: goal at most 2x the floor.
// Prints a table and saves bench/results/cli.json. Never run as a test.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { saveFigures } from "./figures.mjs";
import { bin, jsonCall, percentile, root, startProcess, startServer, stop } from "./support.mjs";

const run = promisify(execFile);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 21);
const STARTS = Number(process.env.BENCH_STARTS ?? 11);

const FLOOR_SERVER = `
const http = require("node:http");
const server = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => res.end("{}"));
});
server.listen(0, "127.0.0.1", () => console.log("listening on http://127.0.0.1:" + server.address().port));
`;

async function timed(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** Medians of each variant, sampled round-robin (variant A, B, C, A, B, C, ...). */
async function interleaved(variants, repeats) {
  const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (const fn of Object.values(variants)) await fn(); // warm the page cache
  for (let i = 0; i < repeats; i++) {
    for (const [name, fn] of Object.entries(variants)) samples[name].push(await timed(fn));
  }
  return Object.fromEntries(Object.entries(samples).map(([k, xs]) => [k, percentile(xs, 50)]));
}

const dir = mkdtempSync(join(tmpdir(), "pw-bench-cli-"));
writeFileSync(
  join(dir, "buildspec.yml"),
  "version: 0.2\nphases:\n  build:\n    commands:\n      - echo hello\n",
);
const env = { PATH: process.env.PATH, HOME: dir };
const build =
  (...args) =>
  () =>
    run(process.execPath, [bin, "build", "--no-cache", ...args], { cwd: dir, env });

const cli = await interleaved(
  {
    floor: () => run(process.execPath, ["-e", "0"], { env }),
    build: build(),
    buildHost: build("--executor", "host"),
    version: () => run(process.execPath, [bin, "--version"], { env }),
  },
  REPEATS,
);

async function firstAnswer(args) {
  const started = await startProcess(args);
  await jsonCall(started.endpoint, "CodePipeline_20150709.ListPipelines", {});
  const ms = Number(process.hrtime.bigint() - started.t0) / 1e6;
  await stop(started.child);
  return ms;
}
const serverTimes = { floor: [], serve: [] };
for (let i = 0; i < STARTS; i++) {
  serverTimes.floor.push(await firstAnswer(["-e", FLOOR_SERVER]));
  const data = mkdtempSync(join(tmpdir(), "pw-bench-serve-"));
  const started = await startServer(data);
  await jsonCall(started.endpoint, "CodePipeline_20150709.ListPipelines", {});
  serverTimes.serve.push(Number(process.hrtime.bigint() - started.t0) / 1e6);
  await stop(started.child);
  rmSync(data, { recursive: true, force: true });
}
rmSync(dir, { recursive: true, force: true });
const serve = { floor: percentile(serverTimes.floor, 50), serve: percentile(serverTimes.serve, 50) };

const rows = [
  [
    "pipewright build, 1 command (default executor)",
    cli.build,
    cli.floor,
    "node -e 0",
    `<= floor + 30 ms`,
    cli.build - cli.floor <= 30,
  ],
  [
    "pipewright build, 1 command (--executor host)",
    cli.buildHost,
    cli.floor,
    "node -e 0",
    `<= floor + 30 ms`,
    cli.buildHost - cli.floor <= 30,
  ],
  ["pipewright --version", cli.version, cli.floor, "node -e 0", "", undefined],
  [
    "serve: spawn to first ListPipelines answer",
    serve.serve,
    serve.floor,
    "bare node:http",
    "<= 2x floor",
    serve.serve <= 2 * serve.floor,
  ],
];
console.log("| measure (median ms) | pipewright | floor | over floor | ratio | goal | met |");
console.log("| --- | --- | --- | --- | --- | --- | --- |");
for (const [name, value, floor, floorName, goal, met] of rows) {
  console.log(
    `| ${name} | ${value.toFixed(1)} | ${floor.toFixed(1)} (${floorName}) | +${(value - floor).toFixed(1)} | ${(value / floor).toFixed(2)} | ${goal} | ${met === undefined ? "" : met ? "yes" : "no"} |`,
  );
}
saveFigures(
  "cli",
  rows.map(([measure, value, floor, floorName, goal]) => ({
    measure,
    value,
    unit: "ms",
    floor,
    floorName,
    goal,
  })),
  { REPEATS, STARTS },
);
mkdirSync(join(root, "bench", "results"), { recursive: true });
writeFileSync(
  join(root, "bench", "results", "cli.json"),
  `${JSON.stringify(
    {
      node: process.version,
      repeats: REPEATS,
      starts: STARTS,
      measures: rows.map(([name, value, floor, floorName, goal, met]) => ({
        name,
        value,
        floor,
        floorName,
        goal,
        met,
      })),
    },
    null,
    2,
  )}\n`,
);
