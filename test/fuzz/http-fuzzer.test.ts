import { Agent } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeDir, type ServerProcess, startServerProcess } from "../support/server-process.js";
import { prng, randomRequest } from "./requests.js";
import { problemWith, send } from "./send.js";

// The request fuzzer (issue 9): every front end on the port (AWS JSON 1.1 services, S3, git,
// build logs, notify) fed random methods, headers, hosts, paths, encodings and bodies, against
// a server without credentials and one that verifies SigV4 (a quarter of the requests are
// signed with its key, so they reach the operations). Each answer must be an error in its
// protocol's shape, never a 500 or a stack trace, and the server must stay up.
// PIPEWRIGHT_FUZZ_REQUESTS sets the total (100,000 by default), PIPEWRIGHT_FUZZ_SEED the seed.

const TOTAL = Number(process.env.PIPEWRIGHT_FUZZ_REQUESTS ?? 100_000);
const SEED = Number(process.env.PIPEWRIGHT_FUZZ_SEED ?? Date.now() % 1_000_000);
const CONNECTIONS = 8;
const KEY = { accessKeyId: "AKIDFUZZ", secretAccessKey: "fuzz-secret" };

async function fuzz(server: ServerProcess, count: number, seed: number, signWith?: typeof KEY) {
  const endpoint = new URL(server.endpoint);
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const problems: string[] = [];
  let next = 0;
  let answered = 0;
  const worker = async (w: number) => {
    const rand = prng(seed * 31 + w);
    while (next < count && problems.length < 20) {
      const n = next++;
      const r = randomRequest(rand);
      const answer = await send(endpoint, agent, r, signWith).catch((error: Error) => ({
        status: -1,
        headers: {},
        body: Buffer.from(error.message),
      }));
      answered++;
      const problem = answer.status === -1 ? `no answer: ${answer.body.toString()}` : problemWith(r, answer);
      if (problem) {
        const shown = r.raw
          ? JSON.stringify(r.raw.toString("latin1").slice(0, 300))
          : `${r.method} ${r.path.slice(0, 200)} ${JSON.stringify(r.headers)} body ${JSON.stringify(r.body.toString("latin1").slice(0, 200))}`;
        problems.push(`request ${n} (worker ${w}, seed ${seed}): ${problem}\n  ${shown}`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, (_, w) => worker(w)));
  agent.destroy();
  return { problems, answered };
}

describe("the HTTP front survives random requests", () => {
  let open: ServerProcess;
  let signed: ServerProcess;
  beforeAll(async () => {
    [open, signed] = await Promise.all([
      startServerProcess(),
      startServerProcess({ env: { PIPEWRIGHT_CREDENTIALS: `${KEY.accessKeyId}:${KEY.secretAccessKey}` } }),
    ]);
  });
  afterAll(async () => {
    for (const s of [open, signed]) {
      await s?.kill();
      if (s) removeDir(s.dataDir);
    }
  });

  const half = Math.ceil(TOTAL / 2);
  for (const [name, server, key] of [
    // Signed requests reach the S3 front end (chosen by the signature's scope) here too.
    ["without credentials", () => open, KEY],
    ["verifying SigV4", () => signed, KEY],
  ] as const) {
    it(`answers ${half} random requests ${name} without a 500, and keeps serving (seed ${SEED})`, async () => {
      const s = server();
      const { problems, answered } = await fuzz(s, half, SEED + (s === signed ? 1 : 0), key);
      expect(problems, s.output().slice(-3000)).toEqual([]);
      expect(answered).toBeGreaterThanOrEqual(half);
      expect(s.child.exitCode, s.output().slice(-2000)).toBeNull();
      expect(s.output()).not.toMatch(/unhandled request error|InternalFailure|request failed/u);
      const health = await fetch(`${s.endpoint}/_pipewright/health`);
      expect(health.status).toBe(200);
    }, 600_000);
  }
});
