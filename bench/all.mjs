#!/usr/bin/env node
// `npm run bench`: runs every benchmark in turn (a failing or skipped one does not stop the
// others), then prints one table of every figure with its floor and ratio, and saves it with the
// machine's description to bench/results/summary.json. Never run as a test.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, freemem, release, totalmem } from "node:os";
import { join } from "node:path";
import { FIGURES_DIR } from "./figures.mjs";
import { root } from "./support.mjs";

const BENCHES = [
  "run",
  "engine",
  "sources",
  "builds",
  "server-builds",
  "registry",
  "connections",
  "load-balancer",
  "cli",
  "ecs",
  "lambda",
  "console",
];
const only = process.argv.slice(2);
const chosen = only.length > 0 ? BENCHES.filter((b) => only.includes(b)) : BENCHES;

rmSync(FIGURES_DIR, { recursive: true, force: true });
const outcomes = [];
for (const name of chosen) {
  console.log(`\n### bench/${name}.mjs\n`);
  const started = performance.now();
  const run = spawnSync(process.execPath, [join(root, "bench", `${name}.mjs`)], {
    cwd: root,
    stdio: "inherit",
  });
  const seconds = (performance.now() - started) / 1000;
  const saved = existsSync(join(FIGURES_DIR, `${name}.json`));
  outcomes.push({ bench: name, exitCode: run.status, seconds: Math.round(seconds), saved });
}

const figures = [];
for (const { bench, saved } of outcomes) {
  if (!saved) continue;
  const file = JSON.parse(readFileSync(join(FIGURES_DIR, `${bench}.json`), "utf8"));
  for (const f of file.figures) figures.push({ bench, ...f });
}

const number = (x) =>
  typeof x !== "number" || Number.isNaN(x) ? "-" : Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(2);
console.log("\n## All figures\n");
console.log("| bench | measure | value | floor | ratio | goal |");
console.log("| --- | --- | ---: | ---: | ---: | --- |");
for (const f of figures) {
  const unit = f.unit ? ` ${f.unit}` : "";
  const floor =
    f.floor === undefined ? "-" : `${number(f.floor)}${unit}${f.floorName ? ` (${f.floorName})` : ""}`;
  const ratio = f.ratio === undefined ? "-" : `${f.ratio.toFixed(2)}x`;
  console.log(
    `| ${f.bench} | ${f.measure} | ${number(f.value)}${unit} | ${floor} | ${ratio} | ${f.goal ?? "-"} |`,
  );
}
const missing = outcomes.filter((o) => !o.saved || o.exitCode !== 0);
for (const o of missing)
  console.log(
    `bench/${o.bench}.mjs: ${o.exitCode === 0 ? "saved no figures (skipped)" : `exited ${o.exitCode}`}`,
  );

const machine = {
  cpu: cpus()[0]?.model ?? "unknown",
  cores: cpus().length,
  memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
  freeMemoryGiB: Number((freemem() / 2 ** 30).toFixed(1)),
  platform: `${process.platform} ${release()}`,
  node: process.version,
};
mkdirSync(join(root, "bench", "results"), { recursive: true });
writeFileSync(
  join(root, "bench", "results", "summary.json"),
  `${JSON.stringify({ date: new Date().toISOString(), machine, benches: outcomes, figures }, null, 2)}\n`,
);
console.log(
  `\nmachine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.platform}, node ${machine.node}`,
);
console.log("saved bench/results/summary.json");
process.exit(missing.some((o) => o.exitCode !== 0) ? 1 : 0);
