import { createAuthorizationTokens } from "../api/registry/authorization-token.js";
import { locateEngine } from "../build-agent/executors/docker-engine.js";
import type { TaskRuntimes } from "../runtime/ecs/task-driver.js";
import { createDockerTaskRuntime } from "../task-runtime/docker-runtime.js";
import { createProcessTaskRuntime } from "../task-runtime/process-runtime.js";
import { startBridgeForwarder } from "./bridge-forwarder.js";
import { ConfigError } from "./config.js";

/**
 * Where the server's ECS tasks run: the container engine builds use (DOCKER_HOST, the Docker
 * socket, Podman's) when one answers, and host processes always (EXTERNAL tasks, and every task
 * on a machine with no engine). PIPEWRIGHT_ECS_RUNTIME=process skips the engine search;
 * PIPEWRIGHT_ECS_RUNTIME=docker requires an engine (the server refuses to start, saying why,
 * when none answers, instead of running tasks as processes). Pulls
 * from Pipewright's own registry carry an authorization token of this server (user `AWS`, as
 * `aws ecr get-login-password` gives), signed with the data directory's secret.
 */
export async function ecsTaskRuntimes(
  options: {
    serverSecret: string;
    now: () => number;
    /** The server's URL once it listens: bridge containers reach it through a forwarder. */
    serverEndpoint?: () => string;
  },
  env: NodeJS.ProcessEnv = process.env,
): Promise<TaskRuntimes> {
  const processes = createProcessTaskRuntime({ baseEnv: { PATH: env.PATH ?? "/usr/bin:/bin" } });
  const choice = env.PIPEWRIGHT_ECS_RUNTIME?.trim() || "auto";
  if (!["auto", "docker", "process"].includes(choice))
    throw new ConfigError(
      `PIPEWRIGHT_ECS_RUNTIME='${choice}' is not valid: use docker (a container engine is required), process (host processes only) or leave it unset (Docker when an engine answers)`,
    );
  if (choice === "process") return { process: processes };
  const { engine, reason } = await locateEngine({ env });
  if (!engine) {
    if (choice === "docker")
      throw new ConfigError(
        `PIPEWRIGHT_ECS_RUNTIME=docker, but ${reason}: start dockerd (or Podman's API service), set DOCKER_HOST, or unset PIPEWRIGHT_ECS_RUNTIME to run tasks as host processes`,
      );
    return { process: processes };
  }
  const tokens = createAuthorizationTokens(options.serverSecret);
  const pullAuth = () => ({
    username: "AWS",
    password: tokens.issue("pipewright-ecs-tasks", options.now() + 3600_000),
  });
  const forwarder = options.serverEndpoint
    ? await startBridgeForwarder(engine.docker, options.serverEndpoint)
    : undefined;
  return {
    docker: createDockerTaskRuntime(engine.docker, { pullAuth }),
    process: processes,
    ...(forwarder ? { bridgeEndpoint: forwarder.endpoint } : {}),
  };
}
