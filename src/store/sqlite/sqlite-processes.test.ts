import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSqliteStores } from "./create-sqlite-stores.js";

// These tests run the real stores in separate `node` processes (store-child.mjs imports the
// TypeScript through testing/typescript-hooks.mjs), because what they check only shows across
// processes: what a killed process leaves on disk, and SQLite's locking between connections.

const testing = fileURLToPath(new URL("./testing/", import.meta.url));
const scope = { accountId: "111111111111", region: "us-east-1" };

interface Child {
  process: ChildProcess;
  /** Resolves with the first line of stdout that satisfies `test`. */
  waitForLine(test: (line: string) => boolean): Promise<string>;
  exited: Promise<number | null>;
}

function startChild(args: string[]): Child {
  const child = spawn(
    process.execPath,
    ["--import", join(testing, "register-typescript.mjs"), join(testing, "store-child.mjs"), ...args],
    { stdio: ["pipe", "pipe", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const lines: string[] = [];
  const waiters: { test: (line: string) => boolean; found: (line: string) => void }[] = [];
  createInterface({ input: child.stdout! }).on("line", (line) => {
    lines.push(line);
    for (const waiter of waiters.filter((w) => w.test(line))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.found(line);
    }
  });
  const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
  return {
    process: child,
    exited,
    waitForLine: (test) =>
      new Promise((found, fail) => {
        const seen = lines.find(test);
        if (seen !== undefined) return found(seen);
        waiters.push({ test, found });
        exited.then((code) =>
          fail(new Error(`store child exited with ${code} before the line came:\n${stderr}`)),
        );
      }),
  };
}

describe("sqlite stores across processes", () => {
  let dir: string;
  let file: string;
  const children: ChildProcess[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "pipewright-processes-"));
    file = join(dir, "pipewright.db");
  });
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps every pipeline a process committed before it was killed with SIGKILL", async () => {
    const writer = startChild(["write", file, "50"]);
    children.push(writer.process);
    await writer.waitForLine((line) => line === "wrote 50");
    writer.process.kill("SIGKILL");
    await writer.exited;
    // The writer never closed the database, so its commits are still only in the WAL file
    // (a clean close would have checkpointed them into the database and deleted it).
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);

    const stores = createSqliteStores({ file });
    try {
      expect(await stores.pipelines.count(scope)).toBe(50);
      const page = await stores.pipelines.list(scope, { limit: 100 });
      expect(page.items.map((item) => item.name)).toEqual(
        Array.from({ length: 50 }, (_, i) => `pipeline-${String(i).padStart(3, "0")}`),
      );
      const last = await stores.pipelines.get(scope, "pipeline-049");
      expect([last?.version, last?.created]).toEqual([1, 49]);
    } finally {
      await stores.close();
    }
  });

  it("lets only one of several processes write each version when they race to update a pipeline", async () => {
    const setup = createSqliteStores({ file });
    await setup.pipelines.create({
      scope,
      name: "raced",
      version: 1,
      declaration: { name: "raced", roleArn: "arn:aws:iam::111111111111:role/p", stages: [], version: 1 },
      created: 0,
      updated: 0,
    });
    await setup.close();

    const attempts = 150;
    const racers = Array.from({ length: 4 }, () => startChild(["race", file, String(attempts)]));
    children.push(...racers.map((r) => r.process));
    await Promise.all(racers.map((r) => r.waitForLine((line) => line === "ready")));
    for (const racer of racers) racer.process.stdin?.write("go\n");
    const reports = await Promise.all(
      racers.map(
        async (r) =>
          JSON.parse(await r.waitForLine((line) => line.startsWith("{"))) as {
            won: number[];
            lost: number;
          },
      ),
    );
    expect(await Promise.all(racers.map((r) => r.exited))).toEqual([0, 0, 0, 0]);

    const won = reports.flatMap((r) => r.won).sort((a, b) => a - b);
    expect(reports.reduce((sum, r) => sum + r.won.length + r.lost, 0)).toBe(4 * attempts);
    // Every version from 2 up was written by exactly one process, with no gap.
    expect(won).toEqual(Array.from({ length: won.length }, (_, i) => i + 2));
    const stores = createSqliteStores({ file });
    try {
      expect((await stores.pipelines.get(scope, "raced"))?.version).toBe(won.length + 1);
    } finally {
      await stores.close();
    }
  });

  it("keeps every build and log line a process wrote before it was killed with SIGKILL", async () => {
    const writer = startChild(["builds", file, "20"]);
    children.push(writer.process);
    await writer.waitForLine((line) => line === "wrote 20");
    writer.process.kill("SIGKILL");
    await writer.exited;

    const stores = createSqliteStores({ file });
    try {
      const ids = (await stores.builds.listBuildIds(scope, { order: "ASCENDING", limit: 100 })).items;
      const expected = Array.from(
        { length: 20 },
        (_, i) => `app:00000000-0000-4000-8000-${String(i + 1).padStart(12, "0")}`,
      );
      expect(ids).toEqual(expected);
      expect(
        (await stores.builds.unfinishedBuilds()).map((b) => b.document.startTime).sort((a, b) => a - b),
      ).toEqual(Array.from({ length: 10 }, (_, i) => 2 * i + 1));
      expect(await stores.builds.readLog(scope, expected[19]!, 0, 10)).toEqual([
        { seq: 1, text: "build 20" },
      ]);
    } finally {
      await stores.close();
    }
  });

  it("never hands one build number to two processes taking numbers at once", async () => {
    const perProcess = 100;
    const takers = Array.from({ length: 4 }, () => startChild(["numbers", file, String(perProcess)]));
    children.push(...takers.map((t) => t.process));
    await Promise.all(takers.map((t) => t.waitForLine((line) => line === "ready")));
    for (const taker of takers) taker.process.stdin?.write("go\n");
    const taken = await Promise.all(
      takers.map(async (t) => JSON.parse(await t.waitForLine((line) => line.startsWith("["))) as number[]),
    );
    expect(await Promise.all(takers.map((t) => t.exited))).toEqual([0, 0, 0, 0]);
    // Each process saw its own numbers rise, and together they took 1..400 exactly once.
    for (const numbers of taken) expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(taken.flat().sort((a, b) => a - b)).toEqual(
      Array.from({ length: 4 * perProcess }, (_, i) => i + 1),
    );
  });
});
