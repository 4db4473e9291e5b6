import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import {
  BatchGetBuildsCommand,
  CodeBuildClient,
  CreateProjectCommand,
  StartBuildCommand,
} from "@aws-sdk/client-codebuild";
import { afterAll, describe, expect, it } from "vitest";
import { removeDir, type ServerProcess, startServerProcess } from "../support/server-process.js";

// A build running when the server is killed leaves its workspace (sources, outputs) behind;
// the next start removes it (issue 9 item 6).

const client = (server: ServerProcess) =>
  new CodeBuildClient({
    endpoint: server.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDRESTART", secretAccessKey: "secret" },
  });

describe("a restart after SIGKILL", () => {
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.kill();
    if (server) removeDir(server.dataDir);
  });

  it("removes the workspace of the build the killed server was running", async () => {
    server = await startServerProcess({ env: { PIPEWRIGHT_BUILD_EXECUTOR: "host" } });
    const dataDir = server.dataDir;
    const cb = client(server);
    await cb.send(
      new CreateProjectCommand({
        name: "slow",
        source: {
          type: "NO_SOURCE",
          buildspec:
            "version: 0.2\nphases:\n  build:\n    commands:\n      - echo data > output.txt\n      - sleep 60\n",
        },
        artifacts: { type: "NO_ARTIFACTS" },
        environment: {
          type: "LINUX_CONTAINER",
          image: "aws/codebuild/standard:7.0",
          computeType: "BUILD_GENERAL1_SMALL",
        },
        serviceRole: "arn:aws:iam::123456789012:role/cb",
      }),
    );
    const started = await cb.send(new StartBuildCommand({ projectName: "slow" }));
    const id = started.build!.id!;
    const workspace = join(dataDir, "builds", "work", id.slice(id.indexOf(":") + 1));
    for (let i = 0; i < 100 && !existsSync(join(workspace, "src", "output.txt")); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(existsSync(join(workspace, "src", "output.txt"))).toBe(true);

    await server.kill("SIGKILL");
    expect(existsSync(workspace), "the killed server's build left its workspace").toBe(true);
    server = await startServerProcess({ dataDir, env: { PIPEWRIGHT_BUILD_EXECUTOR: "host" } });
    expect(existsSync(workspace)).toBe(false);
    expect(readdirSync(join(dataDir, "builds", "work"))).toEqual([]);
    const { builds } = await client(server).send(new BatchGetBuildsCommand({ ids: [id] }));
    expect(builds?.[0]?.buildStatus).toBe("FAULT");
  }, 60_000);
});
