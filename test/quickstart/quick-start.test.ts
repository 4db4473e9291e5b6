import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { quickStartCommands } from "./readme-quick-start.js";

// The README's Quick start, run as written on a clean clone of the committed tree: its first
// command (install, then the demo on the embedded default) must succeed, and its second must be
// the test command `.ci/run` runs. This file runs after the rest of the suite (`npm test` runs it
// with vitest.quickstart.config.ts), so its `npm ci` (which compiles better-sqlite3) does not
// compete with timing-sensitive tests. Slow on purpose: several minutes.

const repoRoot = join(import.meta.dirname, "..", "..");
const readme = readFileSync(join(repoRoot, "README.md"), "utf8");

describe("the README's Quick start", () => {
  const commands = quickStartCommands(readme);

  it("is two commands: the main job, then the test command that .ci/run runs", () => {
    expect(commands).toHaveLength(2);
    expect(commands[1]).toBe("npm test");
    const ciRun = readFileSync(join(repoRoot, ".ci", "run"), "utf8")
      .trim()
      .split("\n");
    expect(ciRun.at(-1)).toBe(commands[1]);
  });

  it("runs its first command as written on a clean clone", { timeout: 20 * 60_000 }, async () => {
    const clone = mkdtempSync(join(tmpdir(), "pipewright-quick-start-"));
    try {
      execFileSync("git", ["clone", "--quiet", "--no-hardlinks", repoRoot, clone]);
      const started = Date.now();
      const run = await runShell(commands[0]!, clone);
      const seconds = Math.round((Date.now() - started) / 1000);
      console.log(`quick start: '${commands[0]}' took ${seconds} s, exit code ${run.code}`);
      expect(run.code, run.output.slice(-6000)).toBe(0);
      // The demo left its server running for inspection (docs/demo.md): stop it and its tasks.
      const dir = /^\s*dir(?:ectory)?:\s+(\S+)/mu.exec(run.output)?.[1];
      expect(dir, run.output.slice(-3000)).toBeDefined();
      execFileSync(process.execPath, [join(clone, "bin", "pipewright.js"), "demo", "--down", "--dir", dir!], {
        cwd: clone,
        stdio: "pipe",
      });
      rmSync(dir!, { recursive: true, force: true });
    } finally {
      rmSync(clone, { recursive: true, force: true });
    }
  });
});

function runShell(command: string, cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn("bash", ["-c", command], {
      cwd,
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => {
      output += d;
    });
    child.stderr.on("data", (d) => {
      output += d;
    });
    child.on("close", (code) => resolve({ code, output }));
  });
}
