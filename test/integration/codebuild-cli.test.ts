import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeDir, type ServerProcess, startServerProcess } from "../support/server-process.js";

// The real AWS CLI (Debian's awscli) against a real server process: CodeBuild projects and
// builds, with a Parameter Store value read by a build and masked in its log.
const AWS = "/usr/bin/aws";
const run = promisify(execFile);

interface Cli {
  code: number;
  stderr: string;
  // biome-ignore lint/suspicious/noExplicitAny: CLI output is read member by member.
  json: any;
}

const SECRET = "pw-s3cr3t-value-91";

const buildspec = [
  "version: 0.2",
  "env:",
  "  parameter-store:",
  "    DB_PASSWORD: /cli/db/password",
  "  exported-variables:",
  "    - IMAGE_TAG",
  "phases:",
  "  pre_build:",
  "    commands:",
  "      - echo pre $CODEBUILD_BUILD_NUMBER",
  "  build:",
  "    commands:",
  '      - echo "password is $DB_PASSWORD"',
  "      - IMAGE_TAG=v$CODEBUILD_BUILD_NUMBER",
].join("\n");

describe.skipIf(!existsSync(AWS))("the AWS CLI drives CodeBuild", () => {
  let server: ServerProcess;

  async function aws(...args: string[]): Promise<Cli> {
    const env = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: server.dataDir,
      AWS_ACCESS_KEY_ID: "AKIDCLI",
      AWS_SECRET_ACCESS_KEY: "secret",
      AWS_DEFAULT_REGION: "us-east-1",
      AWS_CONFIG_FILE: "/dev/null",
      AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
      AWS_PAGER: "",
      AWS_MAX_ATTEMPTS: "1",
    };
    try {
      const { stdout, stderr } = await run(
        AWS,
        [...args, "--endpoint-url", server.endpoint, "--output", "json"],
        {
          env,
        },
      );
      return { code: 0, stderr, json: stdout.trim() ? JSON.parse(stdout) : {} };
    } catch (error) {
      const e = error as { code: number; stderr: string };
      return { code: e.code, stderr: e.stderr, json: {} };
    }
  }

  async function finished(id: string) {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const got = await aws("codebuild", "batch-get-builds", "--ids", id);
      const build = got.json.builds?.[0];
      if (build?.buildComplete) return build;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`build ${id} did not finish in 30 s:\n${server.output()}`);
  }

  beforeAll(async () => {
    server = await startServerProcess();
  });

  afterAll(async () => {
    await server?.kill();
    if (server) removeDir(server.dataDir);
  });

  it("creates a project, runs a build reading a SecureString and shows its phases, with the secret masked", async () => {
    const put = await aws(
      "ssm",
      "put-parameter",
      "--name",
      "/cli/db/password",
      "--type",
      "SecureString",
      "--value",
      SECRET,
    );
    expect(put.code).toBe(0);
    const created = await aws(
      "codebuild",
      "create-project",
      "--name",
      "cli-demo",
      "--source",
      JSON.stringify({ type: "NO_SOURCE", buildspec }),
      "--artifacts",
      "type=NO_ARTIFACTS",
      "--environment",
      "type=LINUX_CONTAINER,image=aws/codebuild/standard:7.0,computeType=BUILD_GENERAL1_SMALL",
      "--service-role",
      "arn:aws:iam::000000000000:role/codebuild",
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.json.project.arn).toBe("arn:aws:codebuild:us-east-1:000000000000:project/cli-demo");
    expect(created.json.project.timeoutInMinutes).toBe(60);

    const started = await aws("codebuild", "start-build", "--project-name", "cli-demo");
    expect(started.code, started.stderr).toBe(0);
    const id: string = started.json.build.id;
    expect(id).toMatch(/^cli-demo:[0-9a-f-]{36}$/);
    expect(started.json.build.buildNumber).toBe(1);

    const build = await finished(id);
    expect(build.buildStatus, JSON.stringify(build.phases, null, 2)).toBe("SUCCEEDED");
    expect(
      build.phases.map((p: { phaseType: string; phaseStatus?: string }) => `${p.phaseType}:${p.phaseStatus}`),
    ).toEqual([
      "SUBMITTED:SUCCEEDED",
      "QUEUED:SUCCEEDED",
      "PROVISIONING:SUCCEEDED",
      "DOWNLOAD_SOURCE:SUCCEEDED",
      "INSTALL:SUCCEEDED",
      "PRE_BUILD:SUCCEEDED",
      "BUILD:SUCCEEDED",
      "POST_BUILD:SUCCEEDED",
      "UPLOAD_ARTIFACTS:SUCCEEDED",
      "FINALIZING:SUCCEEDED",
      "COMPLETED:undefined",
    ]);
    expect(build.exportedEnvironmentVariables).toEqual([{ name: "IMAGE_TAG", value: "v1" }]);
    expect(typeof build.startTime).toBe("string");

    const log = await (await fetch(build.logs.deepLink)).text();
    expect(log).toContain("password is ***");
    expect(log).toContain("pre 1");
    expect(log).not.toContain(SECRET);
    expect(server.output()).not.toContain(SECRET);

    const listed = await aws("codebuild", "list-builds-for-project", "--project-name", "cli-demo");
    expect(listed.json.ids).toEqual([id]);
    const projects = await aws("codebuild", "batch-get-projects", "--names", "cli-demo", "nope");
    expect(projects.json.projects.map((p: { name: string }) => p.name)).toEqual(["cli-demo"]);
    expect(projects.json.projectsNotFound).toEqual(["nope"]);
  });

  it("stops a running build", async () => {
    await aws(
      "codebuild",
      "create-project",
      "--name",
      "cli-slow",
      "--source",
      JSON.stringify({
        type: "NO_SOURCE",
        buildspec: "version: 0.2\nphases:\n  build:\n    commands:\n      - echo begin\n      - sleep 60\n",
      }),
      "--artifacts",
      "type=NO_ARTIFACTS",
      "--environment",
      "type=LINUX_CONTAINER,image=aws/codebuild/standard:7.0,computeType=BUILD_GENERAL1_SMALL",
      "--service-role",
      "arn:aws:iam::000000000000:role/codebuild",
    );
    const started = await aws("codebuild", "start-build", "--project-name", "cli-slow");
    const id: string = started.json.build.id;
    // The log streams live: read it with ?follow=true until the build has started its sleep.
    const response = await fetch(`${started.json.build.logs.deepLink}?follow=true`);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let text = "";
    const decoder = new TextDecoder();
    while (!text.includes("\nbegin\n")) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the log ended before the build began:\n${text}`);
      text += decoder.decode(value);
    }
    const stopped = await aws("codebuild", "stop-build", "--id", id);
    expect(stopped.code, stopped.stderr).toBe(0);
    const build = await finished(id);
    expect(build.buildStatus).toBe("STOPPED");
    // The followed log ends when the build does.
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    expect(text).toContain("Phase complete: BUILD State: STOPPED");
    expect(build.phases.find((p: { phaseType: string }) => p.phaseType === "BUILD").phaseStatus).toBe(
      "STOPPED",
    );
  });

  it("answers CodeBuild's exceptions", async () => {
    const spec = [
      "--artifacts",
      "type=NO_ARTIFACTS",
      "--environment",
      "type=LINUX_CONTAINER,image=img,computeType=BUILD_GENERAL1_SMALL",
      "--service-role",
      "r",
    ];
    const github = await aws(
      "codebuild",
      "create-project",
      "--name",
      "gh",
      "--source",
      "type=GITHUB,location=https://github.com/a/b",
      ...spec,
    );
    expect(github.code).not.toBe(0);
    expect(github.stderr).toContain("InvalidInputException");
    expect(github.stderr).toContain("source type GITHUB is not supported by Pipewright");
    const again = await aws(
      "codebuild",
      "create-project",
      "--name",
      "cli-demo",
      "--source",
      "type=NO_SOURCE,buildspec=x",
      ...spec,
    );
    expect(again.stderr).toContain("ResourceAlreadyExistsException");
    const missing = await aws("codebuild", "start-build", "--project-name", "nope");
    expect(missing.stderr).toContain("ResourceNotFoundException");
  });
});
