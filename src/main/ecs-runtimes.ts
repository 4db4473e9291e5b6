import { createAuthorizationTokens } from "../api/registry/authorization-token.js";
import { connectEngine } from "../build-agent/executors/docker-engine.js";
import type { TaskRuntimes } from "../runtime/ecs/task-driver.js";
import { createDockerTaskRuntime } from "../task-runtime/docker-runtime.js";
import { createProcessTaskRuntime } from "../task-runtime/process-runtime.js";
import { startBridgeForwarder } from "./bridge-forwarder.js";

/**
 * Where the server's ECS tasks run: the container engine builds use (DOCKER_HOST, the Docker
 * socket, Podman's) when one answers, and host processes always (EXTERNAL tasks, and every task
 * on a machine with no engine). PIPEWRIGHT_ECS_RUNTIME=process skips the engine search. Pulls
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
  if (env.PIPEWRIGHT_ECS_RUNTIME === "process") return { process: processes };
  const engine = await connectEngine({ env });
  if (!engine) return { process: processes };
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
