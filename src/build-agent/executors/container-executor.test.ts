import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildImage, ensureBusyboxImage, ensureDockerCliImage } from "../../../test/support/images.js";
import type { Executor, SessionSpec, ShellSession } from "../types.js";
import {
  createContainerExecutor,
  hasImage,
  pathInsideMounts,
  removeLeftoverContainers,
} from "./container-executor.js";
import { type ContainerEngine, connectEngine, locateEngine } from "./docker-engine.js";
import { type BuildRoot, executorContract } from "./executor.contract.js";

// Needs a container engine (dockerd or podman). Without one the tests skip and say why, unless
// PIPEWRIGHT_REQUIRE_DOCKER=1 (CI), where the missing engine fails every test.
const search = await locateEngine();
const required = process.env.PIPEWRIGHT_REQUIRE_DOCKER === "1";
const skip =
  search.engine || required ? false : `${search.reason} (set PIPEWRIGHT_REQUIRE_DOCKER=1 to fail instead)`;
if (skip) process.stdout.write(`skipping container executor tests: ${skip}\n`);

if (required)
  it("finds a container engine (PIPEWRIGHT_REQUIRE_DOCKER=1)", () => {
    if (search.reason) throw new Error(`PIPEWRIGHT_REQUIRE_DOCKER=1 but ${search.reason}`);
  });

function requireEngine(): ContainerEngine {
  if (!search.engine) throw new Error(`PIPEWRIGHT_REQUIRE_DOCKER=1 but ${search.reason}`);
  return search.engine;
}

function makeBuildRoot(): BuildRoot {
  const hostPath = mkdtempSync(join(tmpdir(), "pw-container-"));
  return { hostPath, mounts: [{ hostPath, path: "/codebuild/output/src1", readOnly: false }] };
}

let busybox = "";

executorContract("container (busybox image)", {
  skip,
  makeExecutor: async () => {
    const engine = requireEngine();
    busybox = await ensureBusyboxImage(engine.docker);
    return createContainerExecutor(engine);
  },
  makeBuildRoot,
  get baseSpec() {
    return { image: busybox };
  },
  processesVisibleOnHost: true,
});

function collect(session: ShellSession): Promise<string> {
  const chunks: Buffer[] = [];
  session.output.on("data", (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve, reject) => {
    session.output.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    session.output.on("error", reject);
  });
}

async function containersLabelled(engine: ContainerEngine, label: string): Promise<string[]> {
  const list = await engine.docker.listContainers({
    all: true,
    filters: { label: [`pipewright.build=${label}`] },
  });
  return list.map((c) => c.Names[0] ?? c.Id);
}

describe.skipIf(Boolean(skip))("container executor", () => {
  let engine: ContainerEngine;
  let executor: Executor;
  let image: string;
  let dockerCli: string;
  const roots: string[] = [];

  beforeAll(async () => {
    engine = requireEngine();
    image = await ensureBusyboxImage(engine.docker);
    dockerCli = await ensureDockerCliImage(engine.docker);
    executor = createContainerExecutor(engine);
  });

  afterAll(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  function spec(script: string, overrides: Partial<SessionSpec> = {}): SessionSpec {
    const root = makeBuildRoot();
    roots.push(root.hostPath);
    return {
      shell: "sh",
      script,
      env: {},
      workdir: "/codebuild/output/src1",
      mounts: root.mounts,
      privileged: false,
      label: `test-${randomBytes(3).toString("hex")}`,
      image,
      ...overrides,
    };
  }

  async function runToEnd(
    s: SessionSpec,
    using: Executor = executor,
  ): Promise<{ code: number | null; output: string }> {
    const session = await using.start(s);
    const output = collect(session);
    session.stdin.end();
    const { code } = await session.exited;
    return { code, output: await output };
  }

  it("connectEngine finds the same engine and describes it", async () => {
    const again = await connectEngine();
    expect(again?.describe).toBe(engine.describe);
    expect(engine.describe).toMatch(/^(Docker Engine|Podman) \S+ at (unix|tcp):\/\//);
    expect(executor.describe()).toBe(`a container on ${engine.describe}`);
  });

  it("reports an unreachable DOCKER_HOST within the timeout instead of another engine", async () => {
    const started = Date.now();
    const missing = await locateEngine({ env: { DOCKER_HOST: "unix:///nonexistent/docker.sock" } });
    expect(missing.engine).toBeUndefined();
    expect(missing.reason).toContain("unix:///nonexistent/docker.sock: no such socket");
    // A TCP port that refuses: answered at once. (Unroutable addresses are bounded by timeoutMs.)
    const refused = await locateEngine({ env: { DOCKER_HOST: "tcp://127.0.0.1:1" }, timeoutMs: 500 });
    expect(refused.engine).toBeUndefined();
    expect(refused.reason).toContain("tcp://127.0.0.1:1");
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("ignores the image's ENTRYPOINT, runs as root whatever its USER says, puts shellOptions before -c", async () => {
    const tag = "pipewright-test/entrypoint-user:1";
    await buildImage(engine.docker, tag, [
      {
        type: "file",
        name: "Dockerfile",
        data: Buffer.from(`FROM ${image}\nUSER 1000:1000\nENTRYPOINT ["/bin/echo", "the entrypoint ran"]\n`),
      },
    ]);
    const { code, output } = await runToEnd(
      spec('id -u; case "$-" in *u*) echo nounset;; esac', { image: tag, shellOptions: ["-u"] }),
    );
    expect(output).toBe("0\nnounset\n"); // and the shell options come before -c
    expect(code).toBe(0);
  });

  it("names and labels the container after the build, and removes it when the shell exits", async () => {
    const label = `my-project:build/${randomBytes(3).toString("hex")}`;
    const session = await executor.start(spec("read -r line; echo $line", { label }));
    const output = collect(session);
    const names = await containersLabelled(engine, label);
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^\/pipewright-my-project-build-[0-9a-f]{6}-[0-9a-f]{8}$/);
    session.stdin.end("hi\n");
    expect(await session.exited).toEqual({ code: 0 });
    expect(await output).toBe("hi\n");
    expect(await containersLabelled(engine, label)).toEqual([]);
  });

  it("leaves no container behind after kill()", async () => {
    const label = `kill-${randomBytes(3).toString("hex")}`;
    const session = await executor.start(spec("sleep 600", { label }));
    expect(await containersLabelled(engine, label)).toHaveLength(1);
    await session.kill();
    expect(await containersLabelled(engine, label)).toEqual([]);
    expect(await session.exited).toEqual({ code: null, signal: "SIGKILL" });
  });

  it("killAll() ends every running session", async () => {
    const own = createContainerExecutor(engine);
    const label = `kill-all-${randomBytes(3).toString("hex")}`;
    const first = await own.start(spec("read -r line", { label }));
    const second = await own.start(spec("sleep 600", { label }));
    expect(await containersLabelled(engine, label)).toHaveLength(2);
    await own.killAll();
    expect(await containersLabelled(engine, label)).toEqual([]);
    expect((await first.exited).code).toBeNull();
    expect((await second.exited).code).toBeNull();
  });

  it("mounts read-only mounts read-only", async () => {
    const ro = mkdtempSync(join(tmpdir(), "pw-ro-"));
    roots.push(ro);
    writeFileSync(join(ro, "given.txt"), "given\n");
    const s = spec("cat /ro/given.txt; echo changed > /ro/given.txt && echo wrote", {});
    const { code, output } = await runToEnd({
      ...s,
      script: `exec 2>&1; ${s.script}`,
      mounts: [...s.mounts, { hostPath: ro, path: "/ro", readOnly: true }],
    });
    expect(output).toMatch(/^given\n.*Read-only file system/s);
    expect(output).not.toContain("wrote");
    expect(code).not.toBe(0);
  });

  it("rejects with BUILD_CONTAINER_UNABLE_TO_PULL_IMAGE when the image is missing and cannot be pulled", async () => {
    const missing = `pipewright-test/does-not-exist-${randomBytes(3).toString("hex")}:1`;
    expect(await hasImage(engine, missing)).toBe(false);
    expect(await hasImage(engine, image)).toBe(true);
    const label = `missing-${randomBytes(3).toString("hex")}`;
    const attempt = executor.start(spec("echo never", { image: missing, label }));
    await expect(attempt).rejects.toThrow(
      new RegExp(`^BUILD_CONTAINER_UNABLE_TO_PULL_IMAGE: the image ${missing} is not present on .+: \\S`),
    );
    expect(await containersLabelled(engine, label)).toEqual([]);
  });

  it("rejects with CodeBuild's 'found dead' message when the image has no shell, leaving no container", async () => {
    const tag = "pipewright-test/no-shell:1";
    await buildImage(engine.docker, tag, [
      { type: "file", name: "Dockerfile", data: Buffer.from("FROM scratch\nCOPY hello.txt /\n") },
      { type: "file", name: "hello.txt", data: Buffer.from("hello\n") },
    ]);
    const label = `no-shell-${randomBytes(3).toString("hex")}`;
    await expect(executor.start(spec("echo never", { image: tag, label }))).rejects.toThrow(
      /^Build container found dead before completing the build: the image pipewright-test\/no-shell:1 cannot run sh/,
    );
    expect(await containersLabelled(engine, label)).toEqual([]);
  });

  it("maps host paths under a mount to the build's paths", () => {
    const mounts = [
      { hostPath: "/data/builds/b1", path: "/codebuild/output/src1", readOnly: false },
      { hostPath: "/data/builds/b1/cache", path: "/cache", readOnly: false },
    ];
    expect(pathInsideMounts("/data/builds/b1", mounts)).toBe("/codebuild/output/src1");
    expect(pathInsideMounts("/data/builds/b1/src/app", mounts)).toBe("/codebuild/output/src1/src/app");
    expect(pathInsideMounts("/data/builds/b1/cache/npm", mounts)).toBe("/cache/npm");
    expect(() => pathInsideMounts("/data/builds/b10", mounts)).toThrow(/not under any of the build's mounts/);
    expect(executor.pathInside("/data/builds/b1/x", mounts)).toBe("/codebuild/output/src1/x");
  });

  it("removeLeftoverContainers removes stopped pipewright containers but not live sessions", async () => {
    const label = `leftover-${randomBytes(3).toString("hex")}`;
    const stopped = await engine.docker.createContainer({
      Image: image,
      Cmd: ["true"],
      Labels: { "pipewright.build": label },
    });
    let live: ShellSession | undefined;
    try {
      await stopped.start();
      await stopped.wait();
      const stoppedName = (await stopped.inspect()).Name.replace(/^\//, "");
      live = await executor.start(spec("read -r line", { label: `${label}-live` }));
      const removed = await removeLeftoverContainers(engine);
      expect(removed).toContain(stoppedName);
      expect(await containersLabelled(engine, label)).toEqual([]);
      expect(await containersLabelled(engine, `${label}-live`)).toHaveLength(1);
    } finally {
      await live?.kill();
      await stopped.remove({ force: true }).catch(() => {});
    }
  });

  it("without privileged mode the build has no Docker daemon, as on AWS", async () => {
    const { code, output } = await runToEnd(
      spec("exec 2>&1; test -e /var/run/docker.sock && echo socket-present; docker info", {
        image: dockerCli,
      }),
    );
    expect(output).not.toContain("socket-present");
    expect(output).toContain("Cannot connect to the Docker daemon");
    expect(code).not.toBe(0);
  });

  it("privileged mode lets the build run docker build against the host's engine", async () => {
    const warnings: string[] = [];
    const withWarnings = createContainerExecutor(engine, { onWarning: (message) => warnings.push(message) });
    const inner = `pw-inner-${randomBytes(4).toString("hex")}`;
    const s = spec("", { image: dockerCli, privileged: true });
    const root = s.mounts[0]!.hostPath;
    mkdirSync(join(root, "ctx"));
    writeFileSync(join(root, "ctx", "Dockerfile"), "FROM scratch\nCOPY payload.txt /payload.txt\n");
    writeFileSync(join(root, "ctx", "payload.txt"), "payload\n");
    try {
      const { code, output } = await runToEnd(
        {
          ...s,
          script: `exec 2>&1; set -e; docker build -t ${inner} ctx; docker image inspect --format 'size={{.Size}}' ${inner}`,
        },
        withWarnings,
      );
      expect(output).toMatch(/size=\d+/);
      expect(code).toBe(0);
      // The image is on the host's engine: the build shares it (AWS gives a dedicated daemon).
      const inspected = await engine.docker.getImage(inner).inspect();
      expect(inspected.RepoTags).toContain(`${inner}:latest`);
      for (const warning of warnings) process.stdout.write(`container executor warning: ${warning}\n`);
      expect(warnings.every((w) => w.includes("refuses privileged containers"))).toBe(true);
    } finally {
      await engine.docker
        .getImage(inner)
        .remove({ force: true })
        .catch(() => {});
    }
  });
});
