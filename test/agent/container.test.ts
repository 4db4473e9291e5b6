import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createContainerExecutor } from "../../src/build-agent/executors/container-executor.js";
import { locateEngine } from "../../src/build-agent/executors/docker-engine.js";
import { listZip } from "../../src/zip/index.js";
import { cleanupRuns, fixedSecrets, runAgent } from "../support/agent-harness.js";
import { ensureBusyboxImage, ensureDockerCliImage } from "../support/images.js";

// Whole builds in containers of a real engine (images built FROM scratch: nothing is pulled).
// Skips without an engine unless PIPEWRIGHT_REQUIRE_DOCKER=1 (CI), where it must run.
const search = await locateEngine();
const required = process.env.PIPEWRIGHT_REQUIRE_DOCKER === "1";

afterAll(cleanupRuns);

describe.skipIf(!search.engine && !required)("builds in containers", () => {
  const engine = () => {
    if (!search.engine) throw new Error(`PIPEWRIGHT_REQUIRE_DOCKER=1 but ${search.reason}`);
    return search.engine;
  };

  it("runs the buildspec in the image with CodeBuild's paths, masking and artifacts", async () => {
    const image = await ensureBusyboxImage(engine().docker);
    const run = await runAgent(
      [
        "version: 0.2",
        "env:",
        "  parameter-store:",
        "    TOKEN: /ci/token",
        "phases:",
        "  build:",
        "    commands:",
        '      - echo "src=$CODEBUILD_SRC_DIR home=$HOME image=$CODEBUILD_BUILD_IMAGE"',
        '      - echo "token=$TOKEN"',
        "      - mkdir -p out && echo built > out/result.txt && cd out",
        "      - echo pwd=$(pwd)",
        "artifacts:",
        "  files:",
        "    - out/result.txt",
      ].join("\n"),
      {
        executor: createContainerExecutor(engine()),
        image,
        secrets: fixedSecrets({ "/ci/token": "tok-ABCDEF-123" }),
        outputs: [{ name: "primary" }],
      },
    );
    expect(run.result.buildStatus, run.log.join("\n")).toBe("SUCCEEDED");
    expect(run.output).toEqual([
      `src=/codebuild/output/src home=/root image=${image}`,
      "token=***",
      "pwd=/codebuild/output/src/out",
    ]);
    const zip = run.result.artifacts[0]?.zipPath ?? "";
    expect((await listZip(zip)).map((e) => e.name)).toEqual(["out/result.txt"]);
  });

  it("gives a privileged build a Docker daemon: docker build works inside", async () => {
    const image = await ensureDockerCliImage(engine().docker);
    const tag = `pw-agent-inner-${randomBytes(4).toString("hex")}:1`;
    const run = await runAgent(
      [
        "version: 0.2",
        "phases:",
        "  build:",
        "    commands:",
        "      - printf 'FROM scratch\\nCOPY hello.txt /hello.txt\\n' > Dockerfile",
        `      - docker build -q -t ${tag} .`,
        `      - docker image inspect ${tag} > /dev/null && echo image-built`,
        `      - docker rmi -f ${tag} > /dev/null && echo image-removed`,
      ].join("\n"),
      {
        executor: createContainerExecutor(engine()),
        image,
        privileged: true,
        files: { "hello.txt": "hello\n" },
      },
    );
    expect(run.result.buildStatus, run.log.join("\n")).toBe("SUCCEEDED");
    expect(run.output).toContain("image-built");
    expect(run.output).toContain("image-removed");
  });

  it("without privileged mode, docker commands fail as on AWS", async () => {
    const image = await ensureDockerCliImage(engine().docker);
    const run = await runAgent("version: 0.2\nphases:\n  build:\n    commands:\n      - docker info\n", {
      executor: createContainerExecutor(engine()),
      image,
    });
    expect(run.result.buildStatus).toBe("FAILED");
    expect(run.output.join("\n")).toContain("Cannot connect to the Docker daemon");
  });
});
