import { expect, it } from "vitest";
import { ConfigError } from "../../src/main/config.js";
import { ecsTaskRuntimes } from "../../src/main/ecs-runtimes.js";

// PIPEWRIGHT_ECS_RUNTIME picks where the server's ECS tasks run; `docker` makes an engine a
// requirement rather than a preference (a test or a user that means Docker never silently gets
// host processes).
const options = { serverSecret: "s", now: () => 0 };
const noEngine = { PATH: "/usr/bin:/bin", DOCKER_HOST: "unix:///nonexistent/docker.sock" };

it("refuses PIPEWRIGHT_ECS_RUNTIME=docker when no engine answers, saying why and what to do", async () => {
  const failed = await ecsTaskRuntimes(options, { ...noEngine, PIPEWRIGHT_ECS_RUNTIME: "docker" }).catch(
    (e: unknown) => e,
  );
  expect(failed).toBeInstanceOf(ConfigError);
  expect((failed as Error).message).toMatch(
    /^PIPEWRIGHT_ECS_RUNTIME=docker, but no container engine answered \(unix:\/\/\/nonexistent\/docker\.sock: no such socket\): start dockerd/u,
  );
});

it("falls back to host processes without an engine when unset, and uses them only with `process`", async () => {
  expect(Object.keys(await ecsTaskRuntimes(options, noEngine))).toEqual(["process"]);
  const processOnly = await ecsTaskRuntimes(options, {
    PATH: "/usr/bin:/bin",
    PIPEWRIGHT_ECS_RUNTIME: "process",
  });
  expect(Object.keys(processOnly)).toEqual(["process"]);
});

it("names the valid values of PIPEWRIGHT_ECS_RUNTIME", async () => {
  await expect(ecsTaskRuntimes(options, { ...noEngine, PIPEWRIGHT_ECS_RUNTIME: "podman" })).rejects.toThrow(
    "PIPEWRIGHT_ECS_RUNTIME='podman' is not valid: use docker (a container engine is required), process (host processes only) or leave it unset",
  );
});
