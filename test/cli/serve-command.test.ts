import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { PIPEWRIGHT_VERSION } from "../../src/main/version.js";
import { removeDir, repoRoot, startServerProcess } from "../support/server-process.js";

const run = promisify(execFile);
const bin = join(repoRoot, "bin", "pipewright.js");

async function pipewright(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("the pipewright command", () => {
  it("refuses to listen beyond loopback without credentials, saying how to fix it", async () => {
    const result = await pipewright([
      "serve",
      "--host",
      "0.0.0.0",
      "--port",
      "0",
      "--data-dir",
      "/tmp/pw-never",
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("refusing to listen on 0.0.0.0 without credentials");
    expect(result.stderr).toContain("PIPEWRIGHT_CREDENTIALS");
    expect(result.stderr).not.toMatch(/\n\s+at /u);
  });

  it("refuses a second server on the same data directory, and a port in use, saying why", async () => {
    const first = await startServerProcess();
    try {
      const second = await pipewright(["serve", "--port", "0", "--data-dir", first.dataDir]);
      expect(second.code).toBe(2);
      expect(second.stderr).toMatch(
        new RegExp(
          `^pipewright: another Pipewright server \\(pid ${first.child.pid}\\) is using the data directory `,
          "u",
        ),
      );
      const port = new URL(first.endpoint).port;
      const elsewhere = mkdtempSync(join(tmpdir(), "pw-port-"));
      const taken = await pipewright(["serve", "--port", port, "--data-dir", elsewhere]);
      expect(taken.code).toBe(2);
      expect(taken.stderr).toBe(
        `pipewright: port ${port} on 127.0.0.1 is in use (another Pipewright server?); stop it, or pick another with --port\n`,
      );
      removeDir(elsewhere);
    } finally {
      await first.kill("SIGKILL");
    }
    // A lock left by a killed server does not keep the next one out.
    const next = await startServerProcess({ dataDir: first.dataDir });
    expect(next.endpoint).toMatch(/^http:/u);
    await next.kill();
    removeDir(first.dataDir);
  });

  it("rejects malformed credentials and unknown flags with exit code 2", async () => {
    const bad = await pipewright(["serve", "--port", "0"], { PIPEWRIGHT_CREDENTIALS: "no-colon" });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("must look like ACCESS_KEY_ID:SECRET_ACCESS_KEY");
    const flag = await pipewright(["serve", "--bogus"]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("bogus");
  });

  it("prints its version, which matches package.json", async () => {
    const result = await pipewright(["--version"]);
    expect(result.stdout.trim()).toBe(PIPEWRIGHT_VERSION);
    const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));
    expect(pkg.version).toBe(PIPEWRIGHT_VERSION);
  });
});
