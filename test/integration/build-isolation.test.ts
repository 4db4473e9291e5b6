import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import {
  BatchGetBuildsCommand,
  CodeBuildClient,
  CreateProjectCommand,
  StartBuildCommand,
  StopBuildCommand,
} from "@aws-sdk/client-codebuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { locateEngine } from "../../src/build-agent/executors/docker-engine.js";
import { sandboxAvailable } from "../../src/build-agent/executors/sandbox-executor.js";
import { BUSYBOX_IMAGE, ensureBusyboxImage } from "../support/images.js";
import { removeDir, type ServerProcess, startServerProcess } from "../support/server-process.js";

// Issue 9 item 4: a build must not read the server's data directory (pipewright.db, secrets.key)
// nor another build's workspace, under every executor that claims isolation; the host executor
// says in the log that it has none.

const probe = [
  "version: 0.2",
  "phases:",
  "  build:",
  "    commands:",
  '      - echo "looking at $DATA"',
  '      - if cat "$DATA/secrets.key" >/dev/null 2>&1; then echo "LE""AK secrets.key"; exit 1; fi',
  '      - if cat "$DATA/pipewright.db" >/dev/null 2>&1; then echo "LE""AK pipewright.db"; exit 1; fi',
  // Every other build's workspace sits next to this one under <data>/builds/work.
  '      - me=$(basename "$(dirname "$CODEBUILD_SRC_DIR")")',
  '      - others=$(ls -A "$DATA/builds/work" 2>/dev/null | grep -v "^$me$" || true)',
  '      - if [ -n "$others" ]; then echo "LE""AK other workspaces $others"; exit 1; fi',
  '      - if cat "$DATA/builds/work/$NEIGHBOUR/src/neighbour-secret.txt" 2>/dev/null; then echo "LE""AK neighbour"; exit 1; fi',
  "      - echo isolated",
].join("\n");

const neighbourSpec = [
  "version: 0.2",
  "phases:",
  "  build:",
  "    commands:",
  "      - echo hush > neighbour-secret.txt",
  "      - sleep 20",
].join("\n");

const bwrap = sandboxAvailable();
const requireBwrap = process.env.PIPEWRIGHT_REQUIRE_BWRAP === "1";
const requireDocker = process.env.PIPEWRIGHT_REQUIRE_DOCKER === "1";

async function waitForBuild(cb: CodeBuildClient, id: string) {
  for (let i = 0; i < 600; i++) {
    const { builds } = await cb.send(new BatchGetBuildsCommand({ ids: [id] }));
    const build = builds?.[0];
    if (build?.buildComplete) return build;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`build ${id} did not finish`);
}

async function runProbe(server: ServerProcess, cb: CodeBuildClient, project: string) {
  await cb.send(
    new CreateProjectCommand({
      name: `${project}-neighbour`,
      source: { type: "NO_SOURCE", buildspec: neighbourSpec },
      artifacts: { type: "NO_ARTIFACTS" },
      environment: {
        type: "LINUX_CONTAINER",
        image: "aws/codebuild/standard:7.0",
        computeType: "BUILD_GENERAL1_SMALL",
      },
      serviceRole: "arn:aws:iam::123456789012:role/cb",
    }),
  );
  const neighbour = await cb.send(new StartBuildCommand({ projectName: `${project}-neighbour` }));
  // Wait until the neighbour wrote its file, so there is something to find.
  for (let i = 0; i < 100; i++) {
    const { builds } = await cb.send(new BatchGetBuildsCommand({ ids: [neighbour.build!.id!] }));
    if (builds?.[0]?.currentPhase === "BUILD") break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const started = await cb.send(
    new StartBuildCommand({
      projectName: project,
      environmentVariablesOverride: [
        { name: "DATA", value: server.dataDir, type: "PLAINTEXT" },
        { name: "NEIGHBOUR", value: neighbour.build!.id!.split(":").at(-1)!, type: "PLAINTEXT" },
      ],
    }),
  );
  const build = await waitForBuild(cb, started.build!.id!);
  const log = await (await fetch(build.logs!.deepLink!)).text();
  await cb.send(new StopBuildCommand({ id: neighbour.build!.id! }));
  return { build, log };
}

function projectInput(name: string, image: string) {
  return new CreateProjectCommand({
    name,
    source: { type: "NO_SOURCE", buildspec: probe },
    artifacts: { type: "NO_ARTIFACTS" },
    environment: {
      type: "LINUX_CONTAINER",
      image,
      computeType: "BUILD_GENERAL1_SMALL",
    },
    serviceRole: "arn:aws:iam::123456789012:role/cb",
  });
}

describe("builds cannot see the server's data directory or other builds", () => {
  let server: ServerProcess;
  let cb: CodeBuildClient;

  beforeAll(async () => {
    // Not under /tmp: the sandbox has a private /tmp, which would hide a data directory there by
    // accident (and did hide this test's, before it moved).
    server = await startServerProcess({
      dataDir: mkdtempSync(join("/var/tmp", "pipewright-iso-")),
      env: { PIPEWRIGHT_BUILD_EXECUTOR: "auto" },
    });
    cb = new CodeBuildClient({
      endpoint: server.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "AKIDISO", secretAccessKey: "secret" },
    });
  });
  afterAll(async () => {
    await server?.kill();
    if (server) removeDir(server.dataDir);
  });

  it.skipIf(!bwrap.ok && !requireBwrap)(
    "in the bubblewrap sandbox",
    async () => {
      await cb.send(projectInput("iso-sandbox", "aws/codebuild/standard:7.0"));
      const { build, log } = await runProbe(server, cb, "iso-sandbox");
      expect(log).toContain("sandboxed by bubblewrap");
      expect(log).not.toContain("LEAK");
      expect(log).toContain("isolated");
      expect(build.buildStatus).toBe("SUCCEEDED");
    },
    60_000,
  );

  it("in a container", async () => {
    const search = await locateEngine();
    if (!search.engine) {
      if (requireDocker) throw new Error(`PIPEWRIGHT_REQUIRE_DOCKER=1 but ${search.reason}`);
      return;
    }
    await ensureBusyboxImage(search.engine.docker);
    await cb.send(projectInput("iso-container", BUSYBOX_IMAGE));
    const { build, log } = await runProbe(server, cb, "iso-container");
    expect(log).toContain("a container on");
    expect(log).not.toContain("LEAK");
    expect(build.buildStatus).toBe("SUCCEEDED");
  }, 90_000);
});

describe("the host executor says plainly that it is unsandboxed", () => {
  it("names the missing sandbox in the build log", async () => {
    const server = await startServerProcess({ env: { PIPEWRIGHT_BUILD_EXECUTOR: "host" } });
    try {
      const cb = new CodeBuildClient({
        endpoint: server.endpoint,
        region: "us-east-1",
        credentials: { accessKeyId: "AKIDISO", secretAccessKey: "secret" },
      });
      await cb.send(
        new CreateProjectCommand({
          name: "host",
          source: {
            type: "NO_SOURCE",
            buildspec: "version: 0.2\nphases:\n  build:\n    commands:\n      - echo hi\n",
          },
          artifacts: { type: "NO_ARTIFACTS" },
          environment: {
            type: "LINUX_CONTAINER",
            image: "aws/codebuild/standard:7.0",
            computeType: "BUILD_GENERAL1_SMALL",
          },
          serviceRole: "arn:aws:iam::123456789012:role/cb",
        }),
      );
      const started = await cb.send(new StartBuildCommand({ projectName: "host" }));
      const build = await waitForBuild(cb, started.build!.id!);
      const log = await (await fetch(build.logs!.deepLink!)).text();
      expect(log).toMatch(/Running on Pipewright: the host, UNSANDBOXED/);
    } finally {
      await server.kill();
      removeDir(server.dataDir);
    }
  }, 60_000);
});
