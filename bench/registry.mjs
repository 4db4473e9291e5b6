#!/usr/bin/env node
// Registry benchmark (`npm run bench`; never a test). The real docker CLI pushes and pulls one
// 100 MB single-layer image (FROM scratch, random bytes, so gzip cannot shrink it away):
//  - push and pull against Pipewright, next to the same push and pull against a floor measured
//    in the same run: Debian's docker-registry (distribution) on this machine when installed,
//    else `docker save` / `docker load` of the same image;
//  - a re-push of the unchanged image (every blob already there): goal under 300 ms.
// Goal: within 1.3x of the floor. Results go to bench/results/registry.json.
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { saveFigures } from "./figures.mjs";
import { root, startServer, stop } from "./support.mjs";

const MB = Number(process.env.BENCH_IMAGE_MB ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const work = mkdtempSync(join(tmpdir(), "pw-bench-registry-"));
const dockerEnv = { ...process.env, DOCKER_CONFIG: join(work, "docker"), DOCKER_BUILDKIT: "0" };
const docker = (...args) =>
  execFileSync("docker", args, { env: dockerEnv, stdio: ["ignore", "pipe", "pipe"] }).toString();
const timed = (fn) => {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function startFloorRegistry() {
  if (!existsSync("/usr/bin/docker-registry")) return undefined;
  const port = await freePort();
  const config = join(work, "registry.yml");
  writeFileSync(
    config,
    `version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: ${join(work, "floor")}\nhttp:\n  addr: 127.0.0.1:${port}\n`,
  );
  const child = spawn("/usr/bin/docker-registry", ["serve", config], { stdio: "ignore" });
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/v2/`);
      return { child, host: `127.0.0.1:${port}` };
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  child.kill();
  throw new Error("docker-registry did not start");
}

const context = join(work, "context");
mkdirSync(context);
writeFileSync(join(context, "Dockerfile"), "FROM scratch\nCOPY blob.bin /blob.bin\n");
const local = `pw-bench/registry:${process.pid}`;

const dataDir = join(work, "pipewright");
const server = await startServer(dataDir);
const pwHost = new URL(server.endpoint).host;
const floor = await startFloorRegistry();
const results = {};
try {
  await fetch(server.endpoint, {
    method: "POST",
    headers: { "x-amz-target": "AmazonEC2ContainerRegistry_V20150921.CreateRepository" },
    body: JSON.stringify({ repositoryName: "bench" }),
  });
  /** A fresh image (new random layer, so no registry has it yet), pushed, re-pushed and pulled. */
  const measure = (host, round) => {
    writeFileSync(join(context, "blob.bin"), randomBytes(MB * 1024 * 1024));
    docker("build", "-q", "-t", local, context);
    const tag = `${host}/bench:r${round}`;
    docker("tag", local, tag);
    const push = timed(() => docker("push", tag));
    const repush = timed(() => docker("push", tag));
    docker("rmi", tag, local);
    // A clean engine for the pull: no tag of the image is left, so its layer is gone too.
    const pull = timed(() => docker("pull", tag));
    docker("rmi", tag);
    return { push, repush, pull };
  };
  const runs = { pipewright: [], floor: [] };
  for (let round = 0; round < ROUNDS; round++) {
    runs.pipewright.push(measure(pwHost, round));
    if (floor) runs.floor.push(measure(floor.host, round));
  }
  let floorName = "docker-registry (distribution)";
  if (!floor) {
    floorName = "docker save | docker load";
    const tar = join(work, "image.tar");
    for (let round = 0; round < ROUNDS; round++) {
      writeFileSync(join(context, "blob.bin"), randomBytes(MB * 1024 * 1024));
      docker("build", "-q", "-t", local, context);
      const save = timed(() => docker("save", "-o", tar, local));
      docker("rmi", local);
      const load = timed(() => docker("load", "-i", tar));
      runs.floor.push({ push: save, pull: load, repush: Number.NaN });
    }
  }
  const pick = (name, key) => median(runs[name].map((r) => r[key]));
  for (const key of ["push", "pull", "repush"]) {
    results[key] = { pipewright: pick("pipewright", key), floor: pick("floor", key) };
    results[key].ratio = results[key].pipewright / results[key].floor;
  }
  results.floor = floorName;
  results.imageMB = MB;
  results.rounds = ROUNDS;
} finally {
  floor?.child.kill();
  await stop(server.child);
  try {
    docker("rmi", "--force", local);
  } catch {}
  rmSync(work, { recursive: true, force: true });
}

const row = (label, r) =>
  `${label.padEnd(34)} ${r.pipewright.toFixed(0).padStart(7)} ms  floor ${Number.isNaN(r.floor) ? "     -" : `${r.floor.toFixed(0).padStart(6)} ms`}  ${Number.isNaN(r.ratio) ? "" : `${r.ratio.toFixed(2)}x`}`;
process.stdout.write(
  [
    `registry: ${MB} MB single-layer image, median of ${ROUNDS}, floor ${results.floor}`,
    row("docker push", results.push),
    row("docker pull (clean engine)", results.pull),
    row("re-push, every blob there", results.repush),
    `goals: push/pull within 1.3x of the floor, re-push under 300 ms`,
    "",
  ].join("\n"),
);
saveFigures(
  "registry",
  [
    ["docker push", results.push, "<= 1.3x"],
    ["docker pull (clean engine)", results.pull, "<= 1.3x"],
    ["re-push, every blob there", results.repush, "< 300 ms"],
  ].map(([measure, r, goal]) => ({
    measure: `${measure}, ${MB} MB image`,
    value: r.pipewright,
    unit: "ms",
    ...(Number.isNaN(r.floor) ? {} : { floor: r.floor, floorName: results.floor }),
    goal,
  })),
  { MB, ROUNDS },
);
mkdirSync(join(root, "bench", "results"), { recursive: true });
writeFileSync(join(root, "bench", "results", "registry.json"), `${JSON.stringify(results, null, 2)}\n`);
