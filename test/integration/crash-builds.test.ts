import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  BatchGetBuildsCommand,
  type Build,
  CodeBuildClient,
  CreateProjectCommand,
  ListBuildsCommand,
  StartBuildCommand,
} from "@aws-sdk/client-codebuild";
import {
  CodePipelineClient,
  CreatePipelineCommand,
  ListPipelineExecutionsCommand,
  StartPipelineExecutionCommand,
} from "@aws-sdk/client-codepipeline";
import {
  CreateBucketCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, describe, expect, it } from "vitest";
import { removeDir, type ServerProcess, startServerProcess } from "../support/server-process.js";

/**
 * Issue 10's crash test for builds: 20 builds (10 started with StartBuild, 10 by the CodeBuild
 * action of PARALLEL pipelines), each `sleep 2` on the host executor, while the server is
 * SIGKILLed 5 times at random moments and restarted on the same data. In the end every build is
 * finished (none IN_PROGRESS without a worker), a build lost while it ran ended FAULT with the
 * phase message that says so, none ran twice (each build's commands started at most once, and
 * none ran on after its server died: orphans are ended at the next start), and every pipeline
 * execution finished.
 */

const markers = mkdtempSync(join(tmpdir(), "pipewright-crash-builds-"));
const buildspec = [
  "version: 0.2",
  "phases:",
  "  build:",
  "    commands:",
  // One command: a shell orphaned by a kill would run it to its end unless something ends it.
  '      - echo "start $CODEBUILD_BUILD_ID $(date +%s%3N)" >> "$MARKERS/log"; sleep 2; echo "end $CODEBUILD_BUILD_ID $(date +%s%3N)" >> "$MARKERS/log"',
].join("\n");

const credentials = { accessKeyId: "AKIDCRASH", secretAccessKey: "secret" };

describe("builds survive SIGKILL of the server", () => {
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.kill();
    if (server) removeDir(server.dataDir);
    removeDir(markers);
  });

  const env = {
    PIPEWRIGHT_TEST_PROVIDERS: "1",
    PIPEWRIGHT_START_ON_CREATE: "false",
    PIPEWRIGHT_POLL_INTERVAL_MS: "100",
    PIPEWRIGHT_BUILD_EXECUTOR: "host",
    PIPEWRIGHT_MAX_CONCURRENT_BUILDS: "6",
  };
  const clients = (s: ServerProcess) => {
    const config = { endpoint: s.endpoint, region: "us-east-1", credentials };
    return {
      cb: new CodeBuildClient(config),
      cp: new CodePipelineClient(config),
      s3: new S3Client({ ...config, forcePathStyle: true }),
    };
  };

  it("ends every build exactly once across 5 restarts, and every execution", async () => {
    server = await startServerProcess({ env });
    const dataDir = server.dataDir;
    let c = clients(server);
    const project = (name: string, source: "NO_SOURCE" | "CODEPIPELINE") =>
      c.cb.send(
        new CreateProjectCommand({
          name,
          source: { type: source, buildspec },
          artifacts: { type: source === "CODEPIPELINE" ? "CODEPIPELINE" : "NO_ARTIFACTS" },
          environment: {
            type: "LINUX_CONTAINER",
            image: "aws/codebuild/standard:7.0",
            computeType: "BUILD_GENERAL1_SMALL",
            environmentVariables: [{ name: "MARKERS", value: markers, type: "PLAINTEXT" }],
          },
          serviceRole: "arn:aws:iam::123456789012:role/cb",
        }),
      );
    await project("direct", "NO_SOURCE");
    await project("piped", "CODEPIPELINE");
    // The pipelines' source: a zip in a versioned bucket.
    const work = mkdtempSync(join(tmpdir(), "pipewright-crash-src-"));
    writeFileSync(join(work, "README"), "crash test\n");
    execFileSync("zip", ["-q", join(work, "src.zip"), "README"], { cwd: work });
    await c.s3.send(new CreateBucketCommand({ Bucket: "crash-sources" }));
    await c.s3.send(
      new PutBucketVersioningCommand({
        Bucket: "crash-sources",
        VersioningConfiguration: { Status: "Enabled" },
      }),
    );
    await c.s3.send(
      new PutObjectCommand({
        Bucket: "crash-sources",
        Key: "src.zip",
        Body: readFileSync(join(work, "src.zip")),
      }),
    );
    removeDir(work);
    for (const name of ["crash-a", "crash-b"]) {
      await c.cp.send(
        new CreatePipelineCommand({
          pipeline: {
            name,
            roleArn: "arn:aws:iam::123456789012:role/p",
            artifactStore: { type: "S3", location: "crash-build-artifacts" },
            pipelineType: "V2",
            executionMode: "PARALLEL",
            stages: [
              {
                name: "Source",
                actions: [
                  {
                    name: "Fetch",
                    actionTypeId: { category: "Source", owner: "AWS", provider: "S3", version: "1" },
                    configuration: {
                      S3Bucket: "crash-sources",
                      S3ObjectKey: "src.zip",
                      PollForSourceChanges: "false",
                    },
                    outputArtifacts: [{ name: "Code" }],
                  },
                ],
              },
              {
                name: "Build",
                actions: [
                  {
                    name: "Compile",
                    actionTypeId: { category: "Build", owner: "AWS", provider: "CodeBuild", version: "1" },
                    configuration: { ProjectName: "piped" },
                    inputArtifacts: [{ name: "Code" }],
                  },
                ],
              },
            ],
          },
        }),
      );
    }
    const direct: string[] = [];
    for (let i = 0; i < 10; i++) {
      direct.push((await c.cb.send(new StartBuildCommand({ projectName: "direct" }))).build!.id!);
      if (i % 2 === 0)
        await c.cp.send(new StartPipelineExecutionCommand({ name: i % 4 === 0 ? "crash-a" : "crash-b" }));
      else await c.cp.send(new StartPipelineExecutionCommand({ name: i % 4 === 1 ? "crash-a" : "crash-b" }));
    }

    const kills: number[] = [];
    const ready: number[] = [];
    for (let k = 0; k < 5; k++) {
      await new Promise((r) => setTimeout(r, 400 + Math.random() * 2_000));
      await server.kill("SIGKILL");
      kills.push(Date.now());
      server = await startServerProcess({ dataDir, env });
      ready.push(Date.now());
      c = clients(server);
    }

    // Everything still unfinished completes on the last server (builds take 2 s each).
    const builds = async (): Promise<Build[]> => {
      const ids = [...direct];
      let nextToken: string | undefined;
      do {
        const page = await c.cb.send(new ListBuildsCommand({ nextToken }));
        for (const id of page.ids ?? []) if (!ids.includes(id)) ids.push(id);
        nextToken = page.nextToken;
      } while (nextToken);
      const out: Build[] = [];
      for (let i = 0; i < ids.length; i += 50) {
        out.push(
          ...((await c.cb.send(new BatchGetBuildsCommand({ ids: ids.slice(i, i + 50) }))).builds ?? []),
        );
      }
      return out;
    };
    const executions = async () => {
      const all = [];
      for (const name of ["crash-a", "crash-b"]) {
        all.push(
          ...((await c.cp.send(new ListPipelineExecutionsCommand({ pipelineName: name })))
            .pipelineExecutionSummaries ?? []),
        );
      }
      return all;
    };
    let settled: Build[] = [];
    for (let i = 0; i < 300; i++) {
      settled = await builds();
      const runs = await executions();
      if (
        settled.length >= 20 &&
        settled.every((b) => b.buildComplete) &&
        runs.every((e) => e.status !== "InProgress")
      )
        break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const unfinished = settled
      .filter((b) => !b.buildComplete)
      .map((b) => `${b.id} ${b.buildStatus} ${b.currentPhase}`);
    expect(unfinished, server.output().slice(-3000)).toEqual([]);
    expect(settled.length).toBe(20);

    const statuses = new Map(settled.map((b) => [b.id!, b.buildStatus!]));
    const count = (status: string) => [...statuses.values()].filter((s) => s === status).length;
    console.log(`builds after 5 SIGKILLs: ${count("SUCCEEDED")} SUCCEEDED, ${count("FAULT")} FAULT`);
    expect([...new Set(statuses.values())].every((s) => s === "SUCCEEDED" || s === "FAULT")).toBe(true);
    for (const b of settled.filter((x) => x.buildStatus === "FAULT")) {
      const contexts = (b.phases ?? [])
        .flatMap((p) => p.contexts ?? [])
        .map((x) => `${x.statusCode}: ${x.message}`);
      expect(contexts.join("\n"), b.id).toMatch(
        /BUILD_INTERRUPTED: The Pipewright worker running this build .* stopped in phase/u,
      );
    }

    // Markers: each build's commands started at most once, and none ran on after a kill.
    const lines = readFileSync(join(markers, "log"), "utf8").trim().split("\n").filter(Boolean);
    const starts = new Map<string, number>();
    for (const line of lines) {
      const [what, id] = line.split(" ");
      if (what === "start") starts.set(id!, (starts.get(id!) ?? 0) + 1);
    }
    expect([...starts].filter(([, n]) => n > 1)).toEqual([]);
    for (const [id, status] of statuses) {
      if (status === "SUCCEEDED")
        expect(
          lines.some((l) => l.startsWith(`end ${id} `)),
          id,
        ).toBe(true);
    }
    // A build lost to a kill was ended before the next server took requests: its commands
    // wrote nothing after that (without the orphan reaper its `sleep` ran on and said "end").
    const at = new Map<string, { start?: number; end?: number }>();
    for (const line of lines) {
      const [what, id, ms] = line.split(" ");
      at.set(id!, { ...at.get(id!), [what === "start" ? "start" : "end"]: Number(ms) });
    }
    const lateEnds = [...at].filter(([id, t]) => {
      if (statuses.get(id) !== "FAULT" || t.start === undefined || t.end === undefined) return false;
      const k = kills.findIndex((kill) => kill > t.start!);
      return k >= 0 && t.end > ready[k]! + 100;
    });
    expect(lateEnds).toEqual([]);

    const runs = await executions();
    expect(runs).toHaveLength(10);
    expect(runs.filter((e) => e.status === "InProgress")).toEqual([]);
    // A pipeline's build that succeeded means its execution did.
    expect(runs.filter((e) => e.status === "Succeeded").length).toBe(
      settled.filter((b) => b.projectName === "piped" && b.buildStatus === "SUCCEEDED").length,
    );
  }, 240_000);
});
