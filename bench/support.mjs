// What the benchmark scripts share: starting a server (or a floor server) as a child process,
// stopping it, JSON 1.1 calls over a keep-alive agent, and percentiles.
import { spawn } from "node:child_process";
import http from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const bin = join(root, "bin", "pipewright.js");

/** Starts `node <args>` and resolves once it prints `listening on <url>`. */
export function startProcess(args, env = {}) {
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        child.stdout.removeAllListeners("data");
        child.stdout.resume();
        resolve({ child, endpoint: m[1], t0 });
      }
    });
    child.stderr.resume();
    child.once("exit", (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}

/** Starts `pipewright serve` on a free port with `dataDir`. */
export const startServer = (dataDir, env = {}) =>
  startProcess([bin, "serve", "--port", "0", "--data-dir", dataDir], env);

export function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", resolve);
    child.kill("SIGTERM");
  });
}

export const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** One AWS JSON 1.1 call (`target` like `CodePipeline_20150709.StartPipelineExecution`); rejects on non-200. */
export function jsonCall(endpoint, target, body) {
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
          if (res.statusCode !== 200) reject(new Error(`${target} ${res.statusCode}: ${text}`));
          else resolve(JSON.parse(text || "{}"));
        });
      },
    );
    req.on("error", reject);
    req.end(data);
  });
}

export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
