import {
  CodePipelineClient,
  CreatePipelineCommand,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  ListPipelineExecutionsCommand,
  type PipelineExecutionSummary,
  StartPipelineExecutionCommand,
} from "@aws-sdk/client-codepipeline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeDir, type ServerProcess, startServerProcess } from "../support/server-process.js";

// Issue 9 item 3, from outside: 10 clients start and poll one SUPERSEDED pipeline for 60 s
// (PIPEWRIGHT_STORM_SECONDS shortens it). Before the fix, 3 clients wedged it within seconds:
// a superseded execution took the Source stage and every later one waited forever.

const SECONDS = Number(process.env.PIPEWRIGHT_STORM_SECONDS ?? 60);
const CLIENTS = 10;
const SOURCE_MS = 20;
const BUILD_MS = 300;
/** The actions' own time, plus waiting once for the occupant ahead in each stage. */
const OWN_MS = 2 * (SOURCE_MS + BUILD_MS);
const SLACK_MS = 5_000;

const fake = (category: "Source" | "Build", name: string, sleepMs: number) => ({
  name,
  actionTypeId: { category, owner: "AWS" as const, provider: "PipewrightTest", version: "1" },
  configuration: { SleepMs: String(sleepMs) },
  ...(category === "Source"
    ? { outputArtifacts: [{ name: "Code" }] }
    : { inputArtifacts: [{ name: "Code" }] }),
});

describe("a SUPERSEDED pipeline under a storm of concurrent starts", () => {
  let server: ServerProcess;
  let cp: CodePipelineClient;

  beforeAll(async () => {
    server = await startServerProcess({
      env: {
        PIPEWRIGHT_TEST_PROVIDERS: "1",
        PIPEWRIGHT_START_ON_CREATE: "false",
        PIPEWRIGHT_POLL_INTERVAL_MS: "50",
      },
    });
    cp = new CodePipelineClient({
      endpoint: server.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "AKIDSTORM", secretAccessKey: "secret" },
    });
    await cp.send(
      new CreatePipelineCommand({
        pipeline: {
          name: "storm",
          roleArn: "arn:aws:iam::123456789012:role/p",
          artifactStore: { type: "S3", location: "storm-artifacts" },
          stages: [
            { name: "Source", actions: [fake("Source", "Fetch", SOURCE_MS)] },
            { name: "Build", actions: [fake("Build", "Compile", BUILD_MS)] },
          ],
        },
      }),
    );
  });
  afterAll(async () => {
    await server?.kill();
    if (server) removeDir(server.dataDir);
  });

  async function all(): Promise<PipelineExecutionSummary[]> {
    const out: PipelineExecutionSummary[] = [];
    let nextToken: string | undefined;
    do {
      const page = await cp.send(
        new ListPipelineExecutionsCommand({ pipelineName: "storm", maxResults: 100, nextToken }),
      );
      out.push(...(page.pipelineExecutionSummaries ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return out;
  }

  it(
    `lets no execution wait beyond its actions' time, and runs a start after the storm (${SECONDS} s, ${CLIENTS} clients)`,
    async () => {
      const stopAt = Date.now() + SECONDS * 1000;
      const client = async () => {
        while (Date.now() < stopAt) {
          // Starts close together (a superseding pair in one millisecond), with gaps in which the
          // Source stage frees up: what let a superseded waiter take the stage.
          const { pipelineExecutionId } = await cp.send(new StartPipelineExecutionCommand({ name: "storm" }));
          await new Promise((r) => setTimeout(r, Math.random() * 60));
          await cp.send(new GetPipelineExecutionCommand({ pipelineName: "storm", pipelineExecutionId }));
          await cp.send(new GetPipelineStateCommand({ name: "storm" }));
        }
      };
      await Promise.all(Array.from({ length: CLIENTS }, client));
      // Whatever ran when the storm ended finishes within its actions' time.
      await new Promise((r) => setTimeout(r, OWN_MS + 1_000));

      const executions = await all();
      expect(executions.length).toBeGreaterThan(CLIENTS);
      const late = executions.filter((e) => {
        const end = e.status === "InProgress" ? Date.now() : e.lastUpdateTime!.getTime();
        return end - e.startTime!.getTime() > OWN_MS + SLACK_MS;
      });
      expect(late.map((e) => `${e.pipelineExecutionId} ${e.status}`)).toEqual([]);
      expect(executions.filter((e) => e.status === "InProgress")).toEqual([]);
      const statuses = new Set(executions.map((e) => e.status));
      expect([...statuses].sort()).toEqual(["Succeeded", "Superseded"]);

      const { pipelineExecutionId } = await cp.send(new StartPipelineExecutionCommand({ name: "storm" }));
      let status: string | undefined;
      for (let i = 0; i < 100 && status !== "Succeeded"; i++) {
        await new Promise((r) => setTimeout(r, 100));
        status = (
          await cp.send(new GetPipelineExecutionCommand({ pipelineName: "storm", pipelineExecutionId }))
        ).pipelineExecution?.status;
      }
      expect(status).toBe("Succeeded");
    },
    (SECONDS + 60) * 1000,
  );
});
