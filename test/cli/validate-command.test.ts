import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validateCommand } from "../../src/cli/commands/validate.js";
import type { CommandIo } from "../../src/cli/output.js";
import { serverRuns } from "../../src/main/server-action-types.js";

function run(file: string, json = false) {
  let stdout = "";
  let stderr = "";
  const io: CommandIo = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    isTty: false,
    readFile: (p) => readFileSync(p, "utf8"),
  };
  const code = validateCommand(
    { file, json, region: "us-east-1", accountId: "000000000000", runs: serverRuns },
    io,
  );
  return { code, stdout, stderr };
}

const fixtures = join(import.meta.dirname, "../fixtures/pipelines");

describe("pipewright validate", () => {
  it("accepts a valid declaration with exit code 0", () => {
    const result = run(join(fixtures, "basic-v1.json"));
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("valid (0 errors");
  });

  it("warns that get-pipeline output's metadata must go before update-pipeline, and still validates the pipeline", () => {
    const result = run(join(fixtures, "get-pipeline-output.json"));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'metadata: warning: This file has the \'metadata\' section of get-pipeline output; aws codepipeline update-pipeline and create-pipeline refuse it: delete "metadata" (keep "pipeline") before using the file with --cli-input-json',
    );
    const report = JSON.parse(run(join(fixtures, "get-pipeline-output.json"), true).stdout);
    expect(report.issues.filter((i: { code: string }) => i.code === "GetPipelineMetadata")).toHaveLength(1);
    expect(run(join(fixtures, "basic-v1.json"), true).stdout).not.toContain("GetPipelineMetadata");
  });

  it("prints one path: message line per problem and exits 1", () => {
    const result = run(join(fixtures, "invalid-one-stage.json"));
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split("\n");
    expect(lines).toContain(
      "pipeline.stages: Pipeline has only 1 stage(s). There should be a minimum of 2 stages in a pipeline",
    );
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) expect(line).toMatch(/^pipeline[^ ]*: /u);
  });

  it("gives machines JSON with every issue", () => {
    const result = run(join(fixtures, "invalid-one-stage.json"), true);
    const report = JSON.parse(result.stdout);
    expect(report.valid).toBe(false);
    expect(report.issues.length).toBe(report.errors + report.warnings);
    expect(report.issues[0]).toHaveProperty("code");
  });

  it("reads YAML and reports syntax errors with a line number", () => {
    const dir = mkdtempSync(join(tmpdir(), "pw-validate-"));
    const file = join(dir, "broken.yaml");
    writeFileSync(file, "pipeline:\n  name: x\n  stages: [\n");
    const result = run(file);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/line \d+/u);
  });

  it("exits 2 with a clear message when the file cannot be read", () => {
    const result = run("/nonexistent/pipeline.json");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("cannot read /nonexistent/pipeline.json: ENOENT");
  });

  it("warns only about the providers a Pipewright server cannot run", () => {
    const file = join(fixtures, "mixed-providers.json");
    const result = run(file, true);
    const report = JSON.parse(result.stdout);
    expect(report.errors).toBe(0);
    const notRunnable = report.issues.filter((i: { code: string }) => i.code === "ProviderNotExecutable");
    expect(notRunnable.map((i: { path: string }) => i.path)).toEqual([
      "pipeline.stages[1].actions[2].actionTypeId",
    ]);
    expect(notRunnable[0].message).toContain("'CloudFormation'");
  });
});
