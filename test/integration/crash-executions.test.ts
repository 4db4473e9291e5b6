import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CodePipelineClient,
  CreatePipelineCommand,
  ListPipelineExecutionsCommand,
  type PipelineDeclaration,
  StartPipelineExecutionCommand,
} from "@aws-sdk/client-codepipeline";
import { afterAll, describe, expect, it } from "vitest";
import { replay } from "../../src/engine/apply-event.js";
import { isTerminalExecution } from "../../src/engine/statuses.js";
import { createSqliteStores } from "../../src/store/sqlite/create-sqlite-stores.js";
import { removeDir, type ServerProcess, startServerProcess } from "../support/server-process.js";

/**
 * The crash test of the engine issue: 20 executions across 5 pipelines with slow actions, the
 * server SIGKILLed at random moments (at least 5 times) and restarted on the same data. In the
 * end every execution is finished, every stored history replays to its stored snapshot, no
 * action ran twice, and no job's work completed twice under one idempotency key.
 */

const fake = (category: "Source" | "Build" | "Test" | "Deploy") => ({
  category,
  owner: "AWS" as const,
  provider: "PipewrightTest",
  version: "1",
});

function pipeline(name: string, mode: "SUPERSEDED" | "QUEUED" | "PARALLEL"): PipelineDeclaration {
  const slow = (ms: number, extra: Record<string, string> = {}) => ({ SleepMs: String(ms), ...extra });
  return {
    name,
    roleArn: "arn:aws:iam::000000000000:role/pipeline",
    artifactStore: { type: "S3", location: "crash-artifacts" },
    pipelineType: "V2",
    executionMode: mode,
    stages: [
      {
        name: "Source",
        actions: [
          {
            name: "Fetch",
            actionTypeId: fake("Source"),
            configuration: slow(120, { Revision: "r1" }),
            outputArtifacts: [{ name: "Code" }],
          },
        ],
      },
      {
        name: "Build",
        actions: [
          {
            name: "Compile",
            actionTypeId: fake("Build"),
            configuration: slow(250),
            inputArtifacts: [{ name: "Code" }],
            outputArtifacts: [{ name: "Bin" }],
          },
          {
            name: "Lint",
            actionTypeId: fake("Test"),
            configuration: slow(180, { Polls: "2" }),
            inputArtifacts: [{ name: "Code" }],
          },
          {
            name: "Package",
            runOrder: 2,
            actionTypeId: fake("Build"),
            configuration: slow(150),
            inputArtifacts: [{ name: "Bin" }],
          },
        ],
      },
      {
        name: "Deploy",
        actions: [
          {
            name: "Ship",
            actionTypeId: fake("Deploy"),
            configuration: slow(200),
            inputArtifacts: [{ name: "Bin" }],
          },
        ],
      },
    ],
  };
}

const PIPELINES: [string, "SUPERSEDED" | "QUEUED" | "PARALLEL"][] = [
  ["crash-superseded", "SUPERSEDED"],
  ["crash-queued-1", "QUEUED"],
  ["crash-queued-2", "QUEUED"],
  ["crash-parallel-1", "PARALLEL"],
  ["crash-parallel-2", "PARALLEL"],
];

describe("executions survive SIGKILL of the server", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "pipewright-crash-"));
  const markerDir = join(dataDir, "markers");
  let server: ServerProcess | undefined;

  const env = {
    PIPEWRIGHT_TEST_PROVIDERS: "1",
    PIPEWRIGHT_TEST_MARKER_DIR: markerDir,
    PIPEWRIGHT_START_ON_CREATE: "false",
    PIPEWRIGHT_POLL_INTERVAL_MS: "100",
    // Each restart offers the jobs the killed process held again without using up an offer,
    // so the default limit (3) holds even when a step is in flight at every one of the 5 kills.
    // Setting it to 1 makes a re-offer after a lost lease fail the action at once.
    PIPEWRIGHT_MAX_JOB_ATTEMPTS: "1",
  };
  const client = () =>
    new CodePipelineClient({
      endpoint: server!.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "AKIDCRASH", secretAccessKey: "secret" },
      maxAttempts: 1,
    });

  afterAll(async () => {
    await server?.kill("SIGKILL");
    removeDir(dataDir);
  });

  it("finishes all 20 executions across 5 restarts, replays every history, and runs no work twice", async () => {
    server = await startServerProcess({ dataDir, env });
    let cp = client();
    for (const [name, mode] of PIPELINES)
      await cp.send(new CreatePipelineCommand({ pipeline: pipeline(name, mode) }));
    const started: string[] = [];
    for (let round = 0; round < 4; round++) {
      for (const [name] of PIPELINES) {
        started.push((await cp.send(new StartPipelineExecutionCommand({ name }))).pipelineExecutionId!);
      }
    }
    expect(started).toHaveLength(20);

    let kills = 0;
    const logs: string[] = [];
    const unfinished = async (): Promise<number> => {
      let open = 0;
      for (const [name] of PIPELINES) {
        const listed = await cp.send(new ListPipelineExecutionsCommand({ pipelineName: name }));
        open += listed.pipelineExecutionSummaries!.filter(
          (s) => s.status === "InProgress" || s.status === "Stopping",
        ).length;
      }
      return open;
    };
    const deadline = Date.now() + 90_000;
    while (kills < 5 || (await unfinished()) > 0) {
      if (Date.now() > deadline)
        throw new Error(`executions did not finish:\n${server.output().slice(-3000)}`);
      if (kills < 5) {
        await new Promise((r) => setTimeout(r, 150 + Math.random() * 700));
        await server.kill("SIGKILL");
        kills++;
        logs.push(server.output());
        server = await startServerProcess({ dataDir, env });
        cp = client();
      } else {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    await server.kill("SIGKILL");
    logs.push(server.output());
    server = undefined;
    expect(kills).toBeGreaterThanOrEqual(5);
    // The kills landed while work was in flight: restarts found jobs to offer again.
    const reoffered = [...logs.join("\n").matchAll(/"message":"recovered run state","reoffered":(\d+)/gu)];
    expect(
      reoffered.reduce((n, m) => n + Number(m[1]), 0),
      logs.join("\n").slice(-3000),
    ).toBeGreaterThan(0);

    const stores = createSqliteStores({ file: join(dataDir, "pipewright.db") });
    try {
      for (const id of started) {
        const record = await stores.runs.getExecution(id);
        expect(record, id).toBeDefined();
        expect(isTerminalExecution(record!.state.status), `${id} is ${record!.state.status}`).toBe(true);
        const events = await stores.runs.events(id);
        expect(events.length).toBe(record!.version);
        expect(replay(events)).toEqual(record!.state);
        // No action was started twice (nothing here retries): every crash resumed the same runs.
        const runs = record!.state.actionRuns.map((r) => `${r.stageName}/${r.actionName}`);
        expect(new Set(runs).size, `${id} ran ${runs.join(", ")}`).toBe(runs.length);
        for (const run of record!.state.actionRuns.filter((r) => r.status === "Succeeded")) {
          // The provider recorded the final step's work exactly once.
          expect(
            existsSync(join(markerDir, encodeURIComponent(`${run.actionExecutionId}/${run.jobStep}`))),
            run.actionName,
          ).toBe(true);
        }
      }
      const statuses = await Promise.all(
        started.map(async (id) => (await stores.runs.getExecution(id))!.state.status),
      );
      // QUEUED and PARALLEL executions all run to the end; SUPERSEDED ones may be overtaken.
      const unsuccessful = await Promise.all(
        started.map(async (id) => (await stores.runs.getExecution(id))!.state),
      ).then((states) =>
        states
          .filter((st) => st.status !== "Succeeded" && st.status !== "Superseded")
          .map((st) => `${st.executionId} ${st.status}: ${JSON.stringify(st.actionRuns)}`),
      );
      expect(unsuccessful).toEqual([]);
      expect(statuses.filter((s) => s === "Succeeded").length).toBeGreaterThanOrEqual(16);
    } finally {
      await stores.close();
    }

    const lines = readFileSync(join(markerDir, "completions.log"), "utf8").trim().split("\n");
    const keys = lines.map((l) => l.split(" ")[0]!);
    // A duplicate shows every completion of its key (job id and process), to tell a re-offer race
    // within one process from a restart that did finished work again.
    const duplicated = new Set(lines.filter((l) => l.includes("DUPLICATE")).map((l) => l.split(" ")[0]));
    expect(lines.filter((l) => duplicated.has(l.split(" ")[0]))).toEqual([]);
    expect(new Set(keys).size).toBe(keys.length);
    // Every logged completion left its marker (a kill between the two may leave a marker unlogged).
    const markers = new Set(readdirSync(markerDir));
    for (const key of keys) expect(markers.has(encodeURIComponent(key)), key).toBe(true);
  }, 150_000);
});
