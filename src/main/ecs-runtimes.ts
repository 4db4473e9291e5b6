import { connectEngine } from "../build-agent/executors/docker-engine.js";
import type { TaskRuntimes } from "../runtime/ecs/task-driver.js";
import { createDockerTaskRuntime } from "../task-runtime/docker-runtime.js";
import { createProcessTaskRuntime } from "../task-runtime/process-runtime.js";

/**
 * Where the server's ECS tasks run: the container engine builds use (DOCKER_HOST, the Docker
 * socket, Podman's) when one answers, and host processes always (EXTERNAL tasks, and every task
 * on a machine with no engine). PIPEWRIGHT_ECS_RUNTIME=process skips the engine search.
 */
export async function ecsTaskRuntimes(env: NodeJS.ProcessEnv = process.env): Promise<TaskRuntimes> {
  const processes = createProcessTaskRuntime({ baseEnv: { PATH: env.PATH ?? "/usr/bin:/bin" } });
  if (env.PIPEWRIGHT_ECS_RUNTIME === "process") return { process: processes };
  const engine = await connectEngine({ env });
  return engine
    ? { docker: createDockerTaskRuntime(engine.docker), process: processes }
    : { process: processes };
}
