import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateCommand } from "../../src/cli/commands/validate.js";
import { serverRuns } from "../../src/main/server-action-types.js";
import { removeDir, type ServerProcess, startServerProcess } from "../support/server-process.js";

const run = promisify(execFile);

/** `aws codepipeline get-pipeline > file`, then `pipewright validate file`: the warning AWS's guide gives. */
describe("get-pipeline output given to validate", () => {
  let server: ServerProcess;
  const aws = (...args: string[]) =>
    run("/usr/bin/aws", [...args, "--endpoint-url", server.endpoint, "--output", "json"], {
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: server.dataDir,
        AWS_ACCESS_KEY_ID: "x",
        AWS_SECRET_ACCESS_KEY: "y",
        AWS_DEFAULT_REGION: "us-east-1",
        AWS_CONFIG_FILE: "/dev/null",
        AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
        AWS_PAGER: "",
      },
    });
  beforeAll(async () => {
    server = await startServerProcess({ env: { PIPEWRIGHT_START_ON_CREATE: "false" } });
  }, 60_000);
  afterAll(async () => {
    await server?.kill();
    if (server) removeDir(server.dataDir);
  });

  it("warns that the metadata must go, which update-pipeline indeed refuses", async () => {
    const fixture = join(import.meta.dirname, "../fixtures/pipelines/basic-v1.json");
    await aws("codepipeline", "create-pipeline", "--cli-input-json", `file://${fixture}`);
    const file = join(server.dataDir, "got.json");
    writeFileSync(file, (await aws("codepipeline", "get-pipeline", "--name", "basic-app")).stdout);
    let stdout = "";
    const code = validateCommand(
      { file, json: false, region: "us-east-1", accountId: "000000000000", runs: serverRuns },
      {
        stdout: (t) => {
          stdout += t;
        },
        stderr: () => {},
        isTty: false,
        readFile: (p) => readFileSync(p, "utf8"),
      },
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^metadata: warning: This file has the 'metadata' section of get-pipeline output/mu,
    );
    const refused = await aws("codepipeline", "update-pipeline", "--cli-input-json", `file://${file}`).catch(
      (error: { stderr: string }) => error,
    );
    expect("stderr" in refused ? refused.stderr : "").toContain('Unknown parameter in input: "metadata"');
  }, 60_000);
});
