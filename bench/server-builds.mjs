#!/usr/bin/env node
// StartBuild to a finished build through the server (the work queue, the build worker, the agent
// on the host executor), for a one-command buildspec, one at a time and 8 at once, against the
// same command in a bare `sh -c` measured in the same run. Median of BENCH_RUNS (default 10).
// Never run as a test.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { saveFigures } from "./figures.mjs";
import { jsonCall, percentile, startServer, stop } from "./support.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const dataDir = mkdtempSync(join(tmpdir(), "pipewright-bench-builds-"));
const server = await startServer(dataDir, {
  PIPEWRIGHT_BUILD_EXECUTOR: "host",
  PIPEWRIGHT_POLL_INTERVAL_MS: "20",
});
const cb = (op, body) => jsonCall(server.endpoint, `CodeBuild_20161006.${op}`, body);
await cb("CreateProject", {
  name: "bench",
  source: {
    type: "NO_SOURCE",
    buildspec: "version: 0.2\nphases:\n  build:\n    commands:\n      - echo hello\n",
  },
  artifacts: { type: "NO_ARTIFACTS" },
  environment: {
    type: "LINUX_CONTAINER",
    image: "aws/codebuild/standard:7.0",
    computeType: "BUILD_GENERAL1_SMALL",
  },
  serviceRole: "arn:aws:iam::123456789012:role/cb",
});

async function oneBuild() {
  const t0 = performance.now();
  const { build } = await cb("StartBuild", { projectName: "bench" });
  for (;;) {
    const { builds } = await cb("BatchGetBuilds", { ids: [build.id] });
    if (builds[0].buildComplete) {
      if (builds[0].buildStatus !== "SUCCEEDED")
        throw new Error(`build ${build.id} ${builds[0].buildStatus}`);
      return performance.now() - t0;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

await oneBuild(); // warm: loads the agent
const serial = [];
for (let i = 0; i < RUNS; i++) serial.push(await oneBuild());
const parallel = [];
for (let i = 0; i < Math.max(1, Math.floor(RUNS / 2)); i++) {
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 8 }, oneBuild));
  parallel.push(performance.now() - t0);
}
await stop(server.child);
rmSync(dataDir, { recursive: true, force: true });

const bare = [];
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  execFileSync("sh", ["-c", "echo hello"], { stdio: "ignore" });
  bare.push(performance.now() - t0);
}
const med = (xs) => percentile(xs, 50);
console.log("\n| measure | pipewright | floor (sh -c) | overhead |");
console.log("| --- | ---: | ---: | ---: |");
console.log(
  `| StartBuild to SUCCEEDED, 1 command (ms) | ${med(serial).toFixed(0)} | ${med(bare).toFixed(1)} | ${(med(serial) - med(bare)).toFixed(0)} |`,
);
console.log(
  `| 8 builds at once, all SUCCEEDED (ms) | ${med(parallel).toFixed(0)} | ${med(bare).toFixed(1)} | ${(med(parallel) - med(bare)).toFixed(0)} |`,
);
saveFigures(
  "server-builds",
  [
    { measure: "StartBuild to SUCCEEDED, 1 command", value: med(serial) },
    { measure: "8 builds at once, all SUCCEEDED", value: med(parallel) },
  ].map((f) => ({ ...f, unit: "ms", floor: med(bare), floorName: "sh -c" })),
  { RUNS },
);
