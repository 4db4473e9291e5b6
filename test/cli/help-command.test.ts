import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../support/server-process.js";

const run = promisify(execFile);
const bin = join(repoRoot, "bin", "pipewright.js");

async function pipewright(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("pipewright's help", () => {
  it.each([
    [["build", "--help"], "Usage: pipewright build "],
    [["build", "-h"], "Usage: pipewright build "],
    [["help", "build"], "Usage: pipewright build "],
    [["serve", "--help"], "Usage: pipewright serve "],
    [["validate", "--help"], "Usage: pipewright validate FILE"],
    [["status", "--help"], "Usage: pipewright status PIPELINE"],
    [["help", "logs"], "Usage: pipewright logs BUILD_ID"],
  ])("pipewright %j prints that command's help and exits 0", async (args, start) => {
    const result = await pipewright(...args);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.startsWith(start)).toBe(true);
    expect(result.stderr).toBe("");
  });

  it("lists every command, and says which help does not exist", async () => {
    const global = await pipewright("help");
    expect(global.code).toBe(0);
    for (const command of [
      "serve",
      "build",
      "validate",
      "pipelines",
      "status",
      "logs",
      "start",
      "approve",
      "retry",
      "stop",
    ]) {
      expect(global.stdout).toMatch(new RegExp(`\\n  ${command} `));
    }
    const unknown = await pipewright("help", "deploy");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^pipewright: no command 'deploy'\n/);
  });

  it("points a usage error at the command's help", async () => {
    const result = await pipewright("build", "--frobnicate");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^pipewright build: Unknown option '--frobnicate'.*\(pipewright build --help\)\n$/s,
    );
  });
});
