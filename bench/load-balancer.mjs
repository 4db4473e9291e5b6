#!/usr/bin/env node
// The built-in load balancer's cost (issue 12 item 4): requests per second and p50/p99 latency
// of GET requests through the proxy (dist/load-balancer, two healthy targets) against the same
// requests sent straight to one upstream (the floor), in the same run. The upstreams and the
// proxy are child processes; this process only generates the load, with BENCH_CLIENTS
// concurrent keep-alive clients for BENCH_SECONDS per phase, phases alternated BENCH_ROUNDS
// times. Writes bench/results/load-balancer.json. Never run as a test.
import { mkdirSync, writeFileSync } from "node:fs";
import http from "node:http";
import { join } from "node:path";
import { saveFigures } from "./figures.mjs";
import { percentile, root, startProcess, stop } from "./support.mjs";

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const BODY_BYTES = Number(process.env.BENCH_BODY_BYTES ?? 512);

const upstreamCode = `
import http from "node:http";
const body = Buffer.alloc(${BODY_BYTES}, 97);
const server = http.createServer((req, res) => {
  if (req.url === "/health") { res.end("ok"); return; }
  res.writeHead(200, { "content-type": "text/plain", "content-length": body.length });
  res.end(body);
});
server.keepAliveTimeout = 60000;
server.listen(0, "127.0.0.1", () => console.log("listening on http://127.0.0.1:" + server.address().port));
`;

const proxyCode = (ports) => `
import { createTargetGroupProxy } from ${JSON.stringify(join(root, "dist", "load-balancer", "index.js"))};
const proxy = createTargetGroupProxy({
  name: "bench", clock: { now: () => Date.now() }, tickIntervalMs: 200,
  settings: { healthCheckPath: "/health", healthCheckIntervalSeconds: 1 },
});
const { port } = await proxy.listen();
proxy.registerTargets(${JSON.stringify(ports)}.map((p, i) => ({ id: "t" + i, port: p })));
await proxy.tick();
if (!proxy.describeTargetHealth().every((d) => d.TargetHealth.State === "healthy")) throw new Error("targets not healthy");
console.log("listening on http://127.0.0.1:" + port);
`;

async function load(port, seconds) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  const latencies = [];
  let failed = 0;
  const end = performance.now() + seconds * 1000;
  const one = () =>
    new Promise((resolve) => {
      const t = performance.now();
      const req = http.get({ host: "127.0.0.1", port, path: "/", agent }, (res) => {
        res.resume();
        res.on("end", () => {
          if (res.statusCode === 200) latencies.push(performance.now() - t);
          else failed += 1;
          resolve();
        });
      });
      req.on("error", () => {
        failed += 1;
        resolve();
      });
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < end) await one();
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  return { latencies, failed, elapsed };
}

const round2 = (x) => Math.round(x * 100) / 100;
const upstreams = [await startProcess(["--input-type=module", "-e", upstreamCode])];
upstreams.push(await startProcess(["--input-type=module", "-e", upstreamCode]));
const ports = upstreams.map((u) => Number(new URL(u.endpoint).port));
const proxy = await startProcess(["--input-type=module", "-e", proxyCode(ports)]);
const proxyPort = Number(new URL(proxy.endpoint).port);

const phases = { direct: [], proxy: [] };
try {
  await load(ports[0], 0.5);
  await load(proxyPort, 0.5);
  for (let r = 0; r < ROUNDS; r++) {
    phases.direct.push(await load(ports[0], SECONDS));
    phases.proxy.push(await load(proxyPort, SECONDS));
  }
} finally {
  await stop(proxy.child);
  for (const u of upstreams) await stop(u.child);
}

const summary = (runs) => {
  const latencies = runs.flatMap((r) => r.latencies);
  const seconds = runs.reduce((s, r) => s + r.elapsed, 0);
  return {
    requests: latencies.length,
    failed: runs.reduce((s, r) => s + r.failed, 0),
    rps: Math.round(latencies.length / seconds),
    p50ms: round2(percentile(latencies, 50)),
    p99ms: round2(percentile(latencies, 99)),
  };
};
const direct = summary(phases.direct);
const through = summary(phases.proxy);
const ratio = {
  rps: round2(direct.rps / through.rps),
  p50: round2(through.p50ms / direct.p50ms),
  p99: round2(through.p99ms / direct.p99ms),
};
console.log(
  `load balancer: ${CLIENTS} keep-alive clients, ${BODY_BYTES}-byte GETs, ${ROUNDS}x${SECONDS}s per phase`,
);
console.table({ "direct (floor)": direct, "through the proxy": through });
console.log(
  `through the proxy: ${ratio.rps}x fewer requests/s, p50 ${ratio.p50}x, p99 ${ratio.p99}x the floor`,
);
saveFigures(
  "load-balancer",
  [
    {
      measure: `requests/s through the proxy, ${CLIENTS} keep-alive clients`,
      value: through.rps,
      unit: "req/s",
      floor: direct.rps,
      floorName: "direct",
    },
    {
      measure: "p50 through the proxy",
      value: through.p50ms,
      unit: "ms",
      floor: direct.p50ms,
      floorName: "direct",
    },
    {
      measure: `p99 through the proxy (${through.failed} failed)`,
      value: through.p99ms,
      unit: "ms",
      floor: direct.p99ms,
      floorName: "direct",
    },
  ],
  { CLIENTS, SECONDS, ROUNDS, BODY_BYTES },
);
mkdirSync(join(root, "bench", "results"), { recursive: true });
writeFileSync(
  join(root, "bench", "results", "load-balancer.json"),
  `${JSON.stringify({ clients: CLIENTS, seconds: SECONDS, rounds: ROUNDS, bodyBytes: BODY_BYTES, direct, proxy: through, ratio }, null, 2)}\n`,
);
