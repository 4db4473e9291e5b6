#!/usr/bin/env node
// Source benchmark (`npm run bench`): how long after `git push` exits is the execution it
// triggered visible as InProgress (goal: p50 <= 50 ms), next to the push itself, both against the
// floor of the same `git push` to a bare repository on the local disk, measured in the same run.
// Results are printed and saved to bench/results/sources.json. Never run as a test.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { saveFigures } from "./figures.mjs";
import { agent, jsonCall, percentile, root, startServer } from "./support.mjs";

const PUSHES = Number(process.env.BENCH_PUSHES ?? 30);
const run = promisify(execFile);

function workspace() {
  const dir = mkdtempSync(join(tmpdir(), "pw-bench-git-"));
  const env = {
    PATH: process.env.PATH,
    HOME: dir,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_AUTHOR_NAME: "bench",
    GIT_AUTHOR_EMAIL: "bench@example.com",
    GIT_COMMITTER_NAME: "bench",
    GIT_COMMITTER_EMAIL: "bench@example.com",
  };
  const git = async (...args) => (await run("git", args, { cwd: dir, env })).stdout.trim();
  return { dir, git };
}

async function timedPushes(ws, remote, onPushed) {
  const pushMs = [];
  for (let i = 0; i < PUSHES; i++) {
    writeFileSync(join(ws.dir, "counter.txt"), `${remote} ${i}\n`);
    await ws.git("add", "-A");
    await ws.git("commit", "-q", "-m", `change ${i}`);
    const commit = await ws.git("rev-parse", "HEAD");
    const t0 = performance.now();
    await ws.git("push", "-q", remote, "main");
    const t1 = performance.now();
    pushMs.push(t1 - t0);
    if (onPushed) await onPushed(commit, t1);
  }
  return pushMs;
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), "pw-bench-src-"));
  const { child, endpoint } = await startServer(dataDir, {
    PIPEWRIGHT_TEST_PROVIDERS: "1",
    PIPEWRIGHT_START_ON_CREATE: "false",
  });
  await jsonCall(endpoint, "CodeCommit_20150413.CreateRepository", { repositoryName: "bench" });
  await jsonCall(endpoint, "CodePipeline_20150709.CreatePipeline", {
    pipeline: {
      name: "push-bench",
      roleArn: "arn:aws:iam::000000000000:role/r",
      artifactStore: { type: "S3", location: "bench-artifacts" },
      pipelineType: "V2",
      executionMode: "PARALLEL",
      stages: [
        {
          name: "Source",
          actions: [
            {
              name: "Source",
              actionTypeId: { category: "Source", owner: "AWS", provider: "CodeCommit", version: "1" },
              configuration: { RepositoryName: "bench", BranchName: "main", PollForSourceChanges: "false" },
              outputArtifacts: [{ name: "Code" }],
            },
          ],
        },
        {
          name: "Build",
          actions: [
            {
              name: "Build",
              actionTypeId: { category: "Build", owner: "AWS", provider: "PipewrightTest", version: "1" },
              inputArtifacts: [{ name: "Code" }],
            },
          ],
        },
      ],
    },
  });
  const ws = workspace();
  await ws.git("init", "-q", "-b", "main");
  await ws.git("remote", "add", "pipewright", `${endpoint}/v1/repos/bench`);
  const local = join(ws.dir, "..", `${ws.dir.split("/").at(-1)}-bare.git`);
  mkdirSync(local);
  await run("git", ["init", "-q", "--bare", "-b", "main", local]);
  await ws.git("remote", "add", "local", local);

  const visibleMs = [];
  let polls = 0;
  const seen = new Set();
  const pushMs = await timedPushes(ws, "pipewright", async (commit, pushedAt) => {
    for (;;) {
      polls++;
      // The newest execution, not there before this push. (Its sourceRevisions appear only once
      // its source action has fetched the commit, so it is found by being new.)
      const listed = await jsonCall(endpoint, "CodePipeline_20150709.ListPipelineExecutions", {
        pipelineName: "push-bench",
        maxResults: 1,
      });
      const found = listed.pipelineExecutionSummaries.find((e) => !seen.has(e.pipelineExecutionId));
      if (found) {
        seen.add(found.pipelineExecutionId);
        visibleMs.push(performance.now() - pushedAt);
        break;
      }
      if (performance.now() - pushedAt > 10_000) throw new Error(`no execution for ${commit}`);
    }
  });
  const floorMs = await timedPushes(ws, "local");
  console.log(`${polls} ListPipelineExecutions calls for ${PUSHES} pushes`);
  child.kill("SIGTERM");
  agent.destroy();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(ws.dir, { recursive: true, force: true });
  rmSync(local, { recursive: true, force: true });

  const rows = [
    ["push exit -> execution visible InProgress, p50 (ms)", percentile(visibleMs, 50), undefined, "<= 50"],
    ["push exit -> execution visible InProgress, p95 (ms)", percentile(visibleMs, 95), undefined, "-"],
    ["git push to Pipewright, p50 (ms)", percentile(pushMs, 50), percentile(floorMs, 50), "-"],
    ["git push to Pipewright, p95 (ms)", percentile(pushMs, 95), percentile(floorMs, 95), "-"],
  ];
  const fmt = (x) => (x === undefined ? "-" : x.toFixed(2));
  console.log(
    `\n| measure (${PUSHES} pushes) | pipewright | floor (git push to a local bare repo) | ratio | goal |`,
  );
  console.log("| --- | ---: | ---: | ---: | ---: |");
  for (const [name, value, floor, goal] of rows) {
    console.log(
      `| ${name} | ${fmt(value)} | ${fmt(floor)} | ${floor === undefined ? "-" : fmt(value / floor)} | ${goal} |`,
    );
  }
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    settings: { PUSHES },
    measures: rows.map(([name, value, floor, goal]) => ({
      name,
      value,
      floor,
      ratio: floor === undefined ? undefined : value / floor,
      goal,
    })),
  };
  saveFigures(
    "sources",
    rows.map(([measure, value, floor, goal]) => ({
      measure,
      value,
      floor,
      ...(floor === undefined ? {} : { floorName: "git push to a bare repo" }),
      ...(goal === "-" ? {} : { goal }),
    })),
    { PUSHES },
  );
  mkdirSync(join(root, "bench", "results"), { recursive: true });
  writeFileSync(join(root, "bench", "results", "sources.json"), `${JSON.stringify(result, null, 2)}\n`);
  console.log("saved bench/results/sources.json");
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
