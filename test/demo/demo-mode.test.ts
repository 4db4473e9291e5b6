import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { chooseDemoMode, isStaticExecutable } from "../../src/cli/demo/demo-mode.js";

// How `pipewright demo` picks containers or host processes, and says why.
describe("the demo's mode", () => {
  const noEngine = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    DOCKER_HOST: "unix:///nonexistent/docker.sock",
  };

  it("uses host processes when no engine answers, and says so", async () => {
    const mode = await chooseDemoMode(undefined, noEngine);
    expect(mode).toMatchObject({ runtime: "process" });
    expect("reason" in mode && mode.reason).toMatch(
      /^host processes \(no container engine answered .*nonexistent/u,
    );
  });

  it("refuses a forced docker mode without an engine, naming what is missing", async () => {
    const mode = await chooseDemoMode("docker", noEngine);
    expect(mode).toEqual({
      error: expect.stringMatching(/^--runtime docker: no container engine answered/u),
    });
  });

  it("takes --runtime process without looking for an engine", async () => {
    expect(await chooseDemoMode("process", {})).toMatchObject({
      runtime: "process",
      reason: /--runtime process/u,
    });
  });

  it.skipIf(!existsSync("/bin/busybox"))("tells a static busybox from a dynamically linked node", () => {
    expect(isStaticExecutable("/bin/busybox")).toBe(true);
    expect(isStaticExecutable(process.execPath)).toBe(false);
  });
});
