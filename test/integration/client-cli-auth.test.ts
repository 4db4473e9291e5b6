import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { CodeBuildClient, CreateProjectCommand, StartBuildCommand } from "@aws-sdk/client-codebuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeDir, repoRoot, type ServerProcess, startServerProcess } from "../support/server-process.js";

// The client commands against a server that requires keys: their SigV4 signatures must verify,
// a wrong or missing key is exit code 5, and a running build's log is followed to its end
// (HTTP Basic with the same key).
const run = promisify(execFile);
const bin = join(repoRoot, "bin", "pipewright.js");
const KEY = { id: "AKIDCLIAUTH", secret: "right/secret+key" };

describe("pipewright client commands on a server that requires keys", () => {
  let server: ServerProcess;
  let codebuild: CodeBuildClient;

  async function pipewright(env: Record<string, string>, ...args: string[]) {
    try {
      const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", PIPEWRIGHT_ENDPOINT: server.endpoint, ...env },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }
  const signed = { AWS_ACCESS_KEY_ID: KEY.id, AWS_SECRET_ACCESS_KEY: KEY.secret, AWS_REGION: "us-east-1" };

  beforeAll(async () => {
    server = await startServerProcess({ env: { PIPEWRIGHT_CREDENTIALS: `${KEY.id}:${KEY.secret}` } });
    codebuild = new CodeBuildClient({
      endpoint: server.endpoint,
      // The log endpoint serves the server's default region (us-east-1) only.
      region: "us-east-1",
      credentials: { accessKeyId: KEY.id, secretAccessKey: KEY.secret },
    });
    await codebuild.send(
      new CreateProjectCommand({
        name: "slow",
        source: {
          type: "NO_SOURCE",
          buildspec:
            "version: 0.2\nphases:\n  build:\n    commands:\n      - echo before-the-wait\n      - sleep 2\n      - echo after-the-wait\n",
        },
        artifacts: { type: "NO_ARTIFACTS" },
        environment: {
          type: "LINUX_CONTAINER",
          image: "aws/codebuild/standard:7.0",
          computeType: "BUILD_GENERAL1_SMALL",
        },
        serviceRole: "arn:aws:iam::000000000000:role/codebuild",
      }),
    );
  });

  afterAll(async () => {
    await server?.kill();
    if (server) removeDir(server.dataDir);
  });

  it("signs requests the server verifies, and says which variables to set when the key is refused", async () => {
    const ok = await pipewright(signed, "pipelines", "--regions", "eu-west-1,us-east-1");
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toBe("No pipelines in eu-west-1, us-east-1.\n");
    const wrong = await pipewright({ ...signed, AWS_SECRET_ACCESS_KEY: "wrong" }, "status", "app");
    expect(wrong.code).toBe(5);
    expect(wrong.stderr).toContain("pipewright status: InvalidSignatureException:");
    expect(wrong.stderr).toContain("set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    const none = await pipewright({}, "pipelines", "--regions", "us-east-1");
    expect(none.code).toBe(5);
    expect(none.stderr).toContain("UnrecognizedClientException");
  });

  it("follows a running build's log until the build ends", async () => {
    const started = await codebuild.send(new StartBuildCommand({ projectName: "slow" }));
    const id = started.build?.id ?? "";
    const t0 = Date.now();
    const followed = await pipewright(signed, "logs", id, "-f");
    expect(followed.code, followed.stderr).toBe(0);
    const before = followed.stdout.indexOf("\nbefore-the-wait\n");
    const after = followed.stdout.indexOf("\nafter-the-wait\n");
    expect(before).toBeGreaterThan(0);
    expect(after).toBeGreaterThan(before);
    expect(followed.stdout).toMatch(/Phase complete: BUILD State: SUCCEEDED/);
    expect(Date.now() - t0).toBeGreaterThan(1500); // it waited for the build, not just the stored lines
    const refused = await pipewright({ ...signed, AWS_SECRET_ACCESS_KEY: "wrong" }, "logs", id);
    expect(refused.code).toBe(5);

    const eu = new CodeBuildClient({
      endpoint: server.endpoint,
      region: "eu-west-1",
      credentials: { accessKeyId: KEY.id, secretAccessKey: KEY.secret },
    });
    await eu.send(
      new CreateProjectCommand({
        name: "elsewhere",
        source: {
          type: "NO_SOURCE",
          buildspec: "version: 0.2\nphases:\n  build:\n    commands:\n      - echo hi\n",
        },
        artifacts: { type: "NO_ARTIFACTS" },
        environment: {
          type: "LINUX_CONTAINER",
          image: "aws/codebuild/standard:7.0",
          computeType: "BUILD_GENERAL1_SMALL",
        },
        serviceRole: "arn:aws:iam::000000000000:role/codebuild",
      }),
    );
    const euBuild = await eu.send(new StartBuildCommand({ projectName: "elsewhere" }));
    const other = await pipewright({ ...signed, AWS_REGION: "eu-west-1" }, "logs", euBuild.build?.id ?? "");
    expect(other.code).toBe(3);
    expect(other.stderr).toContain(
      "serves the builds of its own region only (pipewright serve --region); this one is in eu-west-1",
    );
  });
});
