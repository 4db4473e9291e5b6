#!/usr/bin/env node
// The web console's performance (issue 15): overview load with 200 pipelines in 3 regions
// (time to the first useful paint: every pipeline's row; and until every latest status is
// shown; and the overview endpoint's own time), and the server's extra CPU and RSS with 20
// consoles open on pipeline pages.
// Needs `npm run build` and Debian's Chromium (/usr/bin/chromium). Never run as a test.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { saveFigures } from "./figures.mjs";
import { percentile, startServer, stop } from "./support.mjs";

const PIPELINES = Number(process.env.BENCH_PIPELINES ?? 200);
const REGIONS = ["us-east-1", "eu-west-1", "ap-south-1"];
const CONSOLES = Number(process.env.BENCH_CONSOLES ?? 20);
const LOADS = Number(process.env.BENCH_LOADS ?? 5);
const SAMPLE_MS = Number(process.env.BENCH_SAMPLE_MS ?? 10_000);

if (!existsSync("/usr/bin/chromium")) {
  console.log("bench/console.mjs: /usr/bin/chromium is missing (apt-get install chromium); skipped");
  process.exit(0);
}

async function call(endpoint, region, op, body) {
  const res = await fetch(`${endpoint}/`, {
    method: "POST",
    headers: {
      "x-amz-target": `CodePipeline_20150709.${op}`,
      "content-type": "application/x-amz-json-1.1",
      "x-pipewright-region": region,
    },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${op} ${res.status}: ${await res.text()}`);
  return res.json();
}

const fake = (category, name) => ({
  name,
  actionTypeId: { category, owner: "AWS", provider: "PipewrightTest", version: "1" },
  configuration: {},
  ...(category === "Source"
    ? { outputArtifacts: [{ name: "Code" }] }
    : { inputArtifacts: [{ name: "Code" }] }),
});

/** CPU seconds (user + system) and RSS in MiB of a process, from /proc. */
function usage(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  const ticks = Number(stat[11]) + Number(stat[12]);
  const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]) / 1024;
  return { cpu: ticks / 100, rss };
}

async function sample(pid) {
  const a = usage(pid);
  await new Promise((r) => setTimeout(r, SAMPLE_MS));
  const b = usage(pid);
  return { cpuPercent: (100 * (b.cpu - a.cpu)) / (SAMPLE_MS / 1000), rssMiB: b.rss };
}

const dataDir = mkdtempSync(join(tmpdir(), "pipewright-bench-console-"));
const { child, endpoint } = await startServer(dataDir, {
  PIPEWRIGHT_TEST_PROVIDERS: "1",
  PIPEWRIGHT_START_ON_CREATE: "false",
});
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
try {
  for (let i = 0; i < PIPELINES; i++) {
    const region = REGIONS[i % REGIONS.length];
    const name = `p${String(i).padStart(3, "0")}`;
    await call(endpoint, region, "CreatePipeline", {
      pipeline: {
        name,
        roleArn: "arn:aws:iam::123456789012:role/p",
        artifactStore: { type: "S3", location: `${name}-artifacts` },
        stages: [
          { name: "Source", actions: [fake("Source", "Fetch")] },
          { name: "Build", actions: [fake("Build", "Compile")] },
        ],
      },
    });
    await call(endpoint, region, "StartPipelineExecution", { name });
  }
  // The overview's one read (GET /_pipewright/console/overview), alone: the server's share.
  const endpointMs = [];
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    const res = await fetch(`${endpoint}/_pipewright/console/overview`);
    const body = await res.json();
    if (body.pipelines.length !== PIPELINES) throw new Error(`overview: ${body.pipelines.length} rows`);
    endpointMs.push(performance.now() - t0);
  }
  const page = await (await browser.newContext()).newPage();
  // The floor, paired with each load: the same number of rows as static HTML from a bare
  // node:http server, waited for the same way in the same browser.
  const rows = Array.from(
    { length: PIPELINES },
    (_, i) =>
      `<tr data-pipeline><td>p${i}</td><td>${REGIONS[i % REGIONS.length]}</td><td>Succeeded</td></tr>`,
  ).join("");
  const floorHtml = `<!doctype html><html lang="en"><title>floor</title><table>${rows}</table></html>`;
  const floorServer = createServer((_, res) => res.end(floorHtml));
  await new Promise((r) => floorServer.listen(0, "127.0.0.1", r));
  const floorUrl = `http://127.0.0.1:${floorServer.address().port}/`;
  const floorPaint = [];
  const firstPaint = [];
  const complete = [];
  for (let i = 0; i < LOADS; i++) {
    const f0 = performance.now();
    await page.goto(floorUrl);
    await page.waitForFunction((n) => document.querySelectorAll("[data-pipeline]").length === n, PIPELINES, {
      polling: 5,
    });
    floorPaint.push(performance.now() - f0);
    const t0 = performance.now();
    await page.goto(`${endpoint}/`);
    await page.waitForFunction((n) => document.querySelectorAll("[data-pipeline]").length === n, PIPELINES, {
      polling: 5,
    });
    firstPaint.push(performance.now() - t0);
    await page.waitForFunction(() => !document.querySelector("#pipelines .s-None"), undefined, {
      polling: 5,
      timeout: 60_000,
    });
    complete.push(performance.now() - t0);
  }
  const idle = await sample(child.pid);
  const pages = [];
  for (let i = 0; i < CONSOLES; i++) {
    const p = await (await browser.newContext()).newPage();
    await p.goto(
      `${endpoint}/console/pipelines/${REGIONS[i % REGIONS.length]}/p${String(i).padStart(3, "0")}`,
    );
    pages.push(p);
  }
  await new Promise((r) => setTimeout(r, 2000));
  const busy = await sample(child.pid);
  floorServer.close();
  saveFigures(
    "console",
    [
      {
        measure: `overview, ${PIPELINES} pipelines in ${REGIONS.length} regions: every row painted (p50)`,
        value: percentile(firstPaint, 50),
        unit: "ms",
        floor: percentile(floorPaint, 50),
        floorName: "the same rows as static HTML",
        goal: "<= 200 ms",
      },
      { measure: "overview: every latest status shown (p50)", value: percentile(complete, 50), unit: "ms" },
      { measure: "overview endpoint alone (p50)", value: percentile(endpointMs, 50), unit: "ms" },
      {
        measure: `server CPU with ${CONSOLES} consoles open`,
        value: busy.cpuPercent,
        unit: "%",
        floor: idle.cpuPercent,
        floorName: "idle",
      },
      {
        measure: `server RSS with ${CONSOLES} consoles open`,
        value: busy.rssMiB,
        unit: "MiB",
        floor: idle.rssMiB,
        floorName: "idle",
      },
    ],
    { PIPELINES, LOADS, CONSOLES },
  );
  console.log(
    JSON.stringify({
      bench: "console",
      floorStaticRowsMs: { p50: Math.round(percentile(floorPaint, 50)) },
      pipelines: PIPELINES,
      regions: REGIONS.length,
      overviewEndpointMs: {
        p50: +percentile(endpointMs, 50).toFixed(1),
        max: +Math.max(...endpointMs).toFixed(1),
      },
      overviewFirstPaintMs: {
        p50: Math.round(percentile(firstPaint, 50)),
        max: Math.round(Math.max(...firstPaint)),
      },
      overviewAllStatusesMs: {
        p50: Math.round(percentile(complete, 50)),
        max: Math.round(Math.max(...complete)),
      },
      consoles: CONSOLES,
      serverIdle: { cpuPercent: +idle.cpuPercent.toFixed(1), rssMiB: Math.round(idle.rssMiB) },
      serverWithConsoles: { cpuPercent: +busy.cpuPercent.toFixed(1), rssMiB: Math.round(busy.rssMiB) },
    }),
  );
} finally {
  await browser.close();
  await stop(child);
  rmSync(dataDir, { recursive: true, force: true });
}
