#!/usr/bin/env node
// Source benchmark (`npm run bench`): how long after `git push` exits is the execution it
// triggered visible as InProgress (goal: p50 <= 50 ms), next to the push itself, both against the
// floor of the same `git push` to a bare repository on the local disk, measured in the same run.
// Results are printed and saved to bench/results/sources.json. Never run as a test.
import { execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const PUSHES = Number(process.env.BENCH_PUSHES ?? 30);
const run = promisify(execFile);
const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};

function startServer(dir) {
  const child = spawn(
    process.execPath,
    [join(root, "bin", "pipewright.js"), "serve", "--port", "0", "--data-dir", dir],
    {
      env: { ...process.env, PIPEWRIGHT_TEST_PROVIDERS: "1", PIPEWRIGHT_START_ON_CREATE: "false" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        child.stdout.removeAllListeners("data");
        child.stdout.resume();
        resolve({ child, endpoint: m[1] });
      }
    });
    child.stderr.resume();
    child.once("exit", (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}

const agent = new http.Agent({ keepAlive: true });
function call(endpoint, target, body) {
  const url = new URL(endpoint);
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: "POST",
        path: "/",
        agent,
        headers: {
          "x-amz-target": target,
          "content-type": "application/x-amz-json-1.1",
          "content-length": Buffer.byteLength(data),
        },
      },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString();
          if (res.statusCode !== 200) reject(new Error(`${target}: ${text}`));
          else resolve(JSON.parse(text || "{}"));
        });
      },
    );
    req.on("error", reject);
    req.end(data);
  });
}

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
  const { child, endpoint } = await startServer(dataDir);
  await call(endpoint, "CodeCommit_20150413.CreateRepository", { repositoryName: "bench" });
  await call(endpoint, "CodePipeline_20150709.CreatePipeline", {
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
      const listed = await call(endpoint, "CodePipeline_20150709.ListPipelineExecutions", {
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
  mkdirSync(join(root, "bench", "results"), { recursive: true });
  writeFileSync(join(root, "bench", "results", "sources.json"), `${JSON.stringify(result, null, 2)}\n`);
  console.log("saved bench/results/sources.json");
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
