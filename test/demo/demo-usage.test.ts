import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../support/server-process.js";

// `pipewright demo`'s option mistakes: exit code 2 and a message naming the option, before any
// server is started.
const bin = join(repoRoot, "bin", "pipewright.js");
const empty = mkdtempSync(join(tmpdir(), "pipewright-demo-usage-"));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

describe("pipewright demo's usage errors", () => {
  it.each([
    [["--runtime", "kvm"], "--runtime must be docker or process, got 'kvm'"],
    [["--port", "70000"], "--port takes a port number"],
    [["--timeout", "soon"], "--timeout takes seconds, got 'soon'"],
    [["--endpoint-url", "localhost:4577"], "--endpoint-url must be an http:// or https:// URL"],
    [["--down"], "--down needs --dir DIR"],
    [["--down", "--dir", empty], "holds no server.json"],
  ])("pipewright demo %j", (args, message) => {
    const run = spawnSync(process.execPath, [bin, "demo", ...args], { encoding: "utf8" });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain("(pipewright demo --help)");
    expect(run.stdout).toBe("");
  });
});
