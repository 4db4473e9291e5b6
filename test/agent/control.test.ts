import { existsSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createSandboxExecutor, sandboxAvailable } from "../../src/build-agent/executors/sandbox-executor.js";
import { cleanupRuns, contextOf, runAgent } from "../support/agent-harness.js";

// Build timeout (TIMED_OUT), StopBuild (STOPPED) and the bubblewrap sandbox.

afterAll(cleanupRuns);

const sleeper = (seconds: number) =>
  [
    "version: 0.2",
    "phases:",
    "  build:",
    "    commands:",
    "      - echo started",
    `      - sleep ${seconds} & echo $! > bg.pid; wait`,
    "      - echo not-reached",
    "    finally:",
    "      - echo finally-not-run",
    "  post_build:",
    "    commands:",
    "      - echo post-not-run",
  ].join("\n");

describe("timeouts and stops", () => {
  it("ends a build that runs past its timeout as TIMED_OUT, killing the command and what it started", async () => {
    const started = Date.now();
    const run = await runAgent(sleeper(30), { timeoutMs: 700 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(run.result.buildStatus).toBe("TIMED_OUT");
    expect(run.phases.find(([p]) => p === "BUILD")?.[1]).toBe("TIMED_OUT");
    expect(contextOf(run, "BUILD")?.statusCode).toBe("BUILD_TIMED_OUT");
    expect(run.phases.map(([p]) => p)).toEqual([
      "PROVISIONING",
      "DOWNLOAD_SOURCE",
      "INSTALL",
      "PRE_BUILD",
      "BUILD",
      "FINALIZING",
      "COMPLETED",
    ]);
    expect(run.output).toEqual(["started"]);
    const pid = Number((await readFile(join(run.sourceDir, "bg.pid"), "utf8")).trim());
    // SIGKILL was sent to the group; on a loaded machine the kernel may take a moment to end it.
    const alive = async () =>
      existsSync(`/proc/${pid}`) &&
      !(await readFile(`/proc/${pid}/stat`, "utf8").catch(() => " Z ")).includes(" Z ");
    for (let i = 0; i < 40 && (await alive()); i++) await new Promise((done) => setTimeout(done, 50));
    expect(await alive()).toBe(false);
  });

  it("ends a stopped build as STOPPED", async () => {
    const stop = new AbortController();
    const pending = runAgent(sleeper(30), {
      signal: stop.signal,
      onLine: (line) => {
        if (line === "started") setTimeout(() => stop.abort(), 100);
      },
    });
    const run = await pending;
    expect(run.result.buildStatus).toBe("STOPPED");
    expect(run.phases.find(([p]) => p === "BUILD")?.[1]).toBe("STOPPED");
    expect(run.output).toEqual(["started"]);
  });
});

const bwrap = sandboxAvailable();
const requireBwrap = process.env.PIPEWRIGHT_REQUIRE_BWRAP === "1";

describe.skipIf(!bwrap.ok && !requireBwrap)("the bubblewrap sandbox", () => {
  it("is available where CI requires it", () => {
    expect(bwrap).toEqual({ ok: true });
  });

  it("lets a build write its workspace and /tmp but nothing else of the host", async () => {
    // Not under /tmp: the sandbox has a private /tmp, which would hide it anyway.
    const outside = await mkdtemp(join("/var/tmp", "pw-outside-"));
    const run = await runAgent(
      [
        "version: 0.2",
        "phases:",
        "  build:",
        "    commands:",
        "      - echo inside > inside.txt && echo wrote-workspace",
        "      - echo t > /tmp/t && echo wrote-tmp",
        `      - (echo x > ${outside}/escape.txt) 2>/dev/null || echo refused-outside`,
        "      - touch /etc/pipewright-escape 2>/dev/null || echo refused-etc",
        "      - echo $$ && echo home=$HOME",
      ].join("\n"),
      { executor: createSandboxExecutor() },
    );
    expect(run.output.slice(0, 4)).toEqual([
      "wrote-workspace",
      "wrote-tmp",
      "refused-outside",
      "refused-etc",
    ]);
    expect(run.output).toContain("home=/root");
    expect(existsSync(join(outside, "escape.txt"))).toBe(false);
    expect(existsSync("/etc/pipewright-escape")).toBe(false);
    expect(await readFile(join(run.sourceDir, "inside.txt"), "utf8")).toBe("inside\n");
    expect(run.result.buildStatus).toBe("SUCCEEDED");
  });
});
