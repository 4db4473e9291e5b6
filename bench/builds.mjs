#!/usr/bin/env node
// Build benchmark (`npm run bench`): `pipewright build` of a buildspec with N commands against
// the same commands in one bare bash, measured in the same run (goals: ratio <= 1.2 and overhead
// <= 150 ms on the host executor; <= 1.5 s extra in a container). Two kinds of command: a builtin
// (`echo`, the worst case for the ratio: the floor does almost nothing) and a small program
// (`ls /usr/bin`, a fork+exec per command, like real build steps). Results are printed and saved
// to bench/results/builds.json. Never run as a test.
import { execFile, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { saveFigures } from "./figures.mjs";
import { bin, percentile, root } from "./support.mjs";

const run = promisify(execFile);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 7);
const COUNTS = (process.env.BENCH_COMMANDS ?? "10,100,1000").split(",").map(Number);
const KINDS = {
  builtin: (i) => `echo step ${i}`,
  program: () => "ls /usr/bin > /dev/null",
};

async function timed(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function median(fn) {
  const samples = [];
  await fn(); // warm the page cache
  for (let i = 0; i < REPEATS; i++) samples.push(await timed(fn));
  return percentile(samples, 50);
}

function project(commands) {
  const dir = mkdtempSync(join(tmpdir(), "pw-bench-build-"));
  const yaml = [
    "version: 0.2",
    "phases:",
    "  build:",
    "    commands:",
    ...commands.map((c) => `      - ${c}`),
  ];
  writeFileSync(join(dir, "buildspec.yml"), `${yaml.join("\n")}\n`);
  return dir;
}

const pipewright = (dir, args) => () =>
  run(process.execPath, [bin, "build", "--no-cache", "-s", dir, ...args], { cwd: dir, maxBuffer: 1 << 26 });
const bash = (commands) => () => run("bash", ["-c", commands.join("\n")], { maxBuffer: 1 << 26 });

const hasDocker =
  spawnSync("docker", ["image", "inspect", "pipewright-test/busybox:1"], { stdio: "ignore" }).status === 0;
const hasBwrap = spawnSync("bwrap", ["--ro-bind", "/", "/", "true"], { stdio: "ignore" }).status === 0;

const results = [];
for (const [kind, make] of Object.entries(KINDS)) {
  for (const n of COUNTS) {
    const commands = Array.from({ length: n }, (_, i) => make(i));
    const dir = project(commands);
    const floor = await median(bash(commands));
    const row = { kind, commands: n, bareBashMs: round(floor) };
    for (const executor of ["host", ...(hasBwrap ? ["sandbox"] : [])]) {
      const ms = await median(pipewright(dir, ["--executor", executor]));
      row[`${executor}Ms`] = round(ms);
      row[`${executor}Ratio`] = round(ms / floor, 2);
      row[`${executor}OverheadMs`] = round(ms - floor);
    }
    if (hasDocker && kind === "builtin") {
      const ms = await median(pipewright(dir, ["-i", "pipewright-test/busybox:1"]));
      row.containerMs = round(ms);
      row.containerOverheadMs = round(ms - floor);
    }
    results.push(row);
    rmSync(dir, { recursive: true, force: true });
  }
}
// The fixed part: Node starting the CLI (pipewright --version), the floor of any CLI.
const cliStart = await median(() => run(process.execPath, [bin, "--version"]));

function round(x, digits = 1) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

console.log(
  `pipewright build vs bare bash, median of ${REPEATS} (node CLI start alone: ${round(cliStart)} ms)`,
);
console.table(results);
if (!hasDocker)
  console.log("container: skipped (build pipewright-test/busybox:1 first; the container tests do)");
saveFigures(
  "builds",
  results.flatMap((row) =>
    ["host", "sandbox", "container"]
      .filter((executor) => row[`${executor}Ms`] !== undefined)
      .map((executor) => ({
        measure: `pipewright build, ${row.commands} ${row.kind} commands, ${executor}`,
        value: row[`${executor}Ms`],
        unit: "ms",
        floor: row.bareBashMs,
        floorName: "bare bash",
      })),
  ),
  { REPEATS, cliStartMs: round(cliStart) },
);
mkdirSync(join(root, "bench", "results"), { recursive: true });
writeFileSync(
  join(root, "bench", "results", "builds.json"),
  `${JSON.stringify({ repeats: REPEATS, cliStartMs: round(cliStart), results }, null, 2)}\n`,
);
