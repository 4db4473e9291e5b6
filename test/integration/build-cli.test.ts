import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { listZip } from "../../src/zip/index.js";
import { removeDir, repoRoot } from "../support/server-process.js";

// `pipewright build` as a user runs it: the built CLI, in a directory with a buildspec.
const run = promisify(execFile);
const bin = join(repoRoot, "bin", "pipewright.js");
const dirs: string[] = [];

afterAll(() => {
  for (const d of dirs) removeDir(d);
});

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "pw-build-cli-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function build(cwd: string, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, "build", "--no-cache", ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: cwd },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("pipewright build", () => {
  it("runs ./buildspec.yml in place, writes artifacts with -a and takes variables from -e", async () => {
    const dir = project({
      "buildspec.yml": [
        "version: 0.2",
        "env:",
        "  exported-variables: [GREETING]",
        "phases:",
        "  build:",
        "    commands:",
        '      - echo "greeting=$GREETING"',
        "      - mkdir -p dist && echo out > dist/app.txt",
        "artifacts:",
        "  files: ['dist/**/*']",
      ].join("\n"),
      "build.env": "# comment\nGREETING=hello there\n",
    });
    const out = join(dir, "artifacts-out");
    const result = await build(dir, "-e", "build.env", "-a", out);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain("greeting=hello there");
    expect(result.stdout).toMatch(/\[Container\] \d{4}\/\d{2}\/\d{2} .* Entering phase BUILD/);
    expect(result.stdout).toContain("Build SUCCEEDED in");
    expect(result.stdout).toContain("exported GREETING=hello there");
    expect(existsSync(join(dir, "dist", "app.txt"))).toBe(true);
    expect((await listZip(join(out, "artifacts.zip"))).map((e) => e.name)).toEqual(["dist/app.txt"]);
  });

  it("exits 1 when the build fails and 2 for bad options, with a clear message", async () => {
    const dir = project({ "ci.yml": "version: 0.2\nphases:\n  build:\n    commands:\n      - exit 5\n" });
    const failed = await build(dir, "-b", "ci.yml");
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain("Command did not exit successfully exit 5 exit status 5");
    expect(failed.stdout).toContain("Build FAILED in");
    const missing = await build(dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("cannot read the buildspec");
    const badTimeout = await build(dir, "-b", "ci.yml", "--timeout", "soon");
    expect(badTimeout.code).toBe(2);
    expect(badTimeout.stderr).toContain("--timeout soon is not a duration");
  });

  it("prints line-numbered errors for a broken buildspec", async () => {
    const dir = project({
      "buildspec.yml": "version: 0.2\nphases:\n  build:\n\tcommands:\n      - echo x\n",
    });
    const result = await build(dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/buildspec\.yml:4:\d+: error: .*tab/);
    expect(result.stdout).toContain("YAML_FILE_ERROR");
  });

  it("names the failing command as written in the shell's error, not the session's file", async () => {
    const dir = project({
      "buildspec.yml": "version: 0.2\nphases:\n  build:\n    commands:\n      - npm-tset --ci\n",
    });
    const result = await build(dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/\nnpm-tset --ci: 1: npm-tset: not found\n/);
    expect(result.stdout).not.toMatch(/cmd-\d+\.sh/);
    expect(result.stdout).toContain("Command did not exit successfully npm-tset --ci exit status 127");
  });

  it("says where Parameter Store values come from when a local build asks for one it cannot find", async () => {
    const dir = project({
      "buildspec.yml": [
        "version: 0.2",
        "env:",
        "  parameter-store:",
        "    DB_PASSWORD: /app/db-password",
        "phases:",
        "  build:",
        "    commands:",
        "      - echo unreachable",
      ].join("\n"),
    });
    const result = await build(dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `Parameter does not exist: /app/db-password (pipewright build found no Pipewright data directory at ${join(dir, ".pipewright")}: pass --data-dir DIR of the server that holds it`,
    );
    expect(result.stdout).not.toContain("unreachable\n");
  });
});
