/**
 * task-runtime: where ECS task containers run. One interface, `TaskRuntime`, with a Docker
 * Engine implementation (docker-runtime.ts, through dockerode; Podman's API service works too)
 * and a host-process one (process-runtime.ts) for machines with no container engine. Both pass
 * task-runtime.contract.ts. The scheduler's shell (runtime/ecs/) is the only caller.
 */

export interface PortRequest {
  readonly containerPort: number;
  /** 0: an ephemeral host port, chosen by the runtime. */
  readonly hostPort: number;
  readonly protocol: "tcp" | "udp";
}

export interface PortBinding {
  readonly bindIP: string;
  readonly containerPort: number;
  readonly hostPort: number;
  readonly protocol: "tcp" | "udp";
}

/** One container of a task, as the runtime starts it (a task definition's container, resolved). */
export interface ContainerSpec {
  /** A name for the container that is unique on this host (`pipewright-<task id>-<container>`). */
  readonly name: string;
  readonly image: string;
  readonly entryPoint?: readonly string[];
  readonly command?: readonly string[];
  readonly environment: Readonly<Record<string, string>>;
  readonly workingDirectory?: string;
  /** CPU units (1024 = one CPU); absent: no limit. */
  readonly cpu?: number;
  /** Hard memory limit in MiB; absent: no limit. */
  readonly memoryMiB?: number;
  readonly user?: string;
  readonly ports: readonly PortRequest[];
  /**
   * Run in the host's network namespace (task definition networkMode `host`): the container
   * reaches the host's loopback (Pipewright); ports are the container ports themselves.
   */
  readonly hostNetwork?: boolean;
  /** Host directories bind-mounted read-only at the same path (the inside shims); processes see them anyway. */
  readonly mounts?: readonly string[];
  /** Directories put first on PATH (the base PATH: the host's, or the image's). */
  readonly pathPrefix?: readonly string[];
  /**
   * Labels that identify the Pipewright task (`pipewright.ecs.task-arn`, ...): after a restart the
   * shell lists containers by them and adopts what is still running.
   */
  readonly labels: Readonly<Record<string, string>>;
}

export interface StartedContainer {
  /** The Docker container id, or `process:<pid>`. */
  readonly runtimeId: string;
  readonly bindings: readonly PortBinding[];
}

export type ContainerState =
  | { readonly status: "running" }
  | { readonly status: "exited"; readonly exitCode: number; readonly reason?: string }
  /** The runtime knows no such container (removed, or a process of an earlier server). */
  | { readonly status: "missing" };

export interface ListedContainer {
  readonly runtimeId: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly running: boolean;
  readonly bindings: readonly PortBinding[];
}

/**
 * Runs containers. Contract (task-runtime.contract.ts):
 *  - `start` creates and starts one container and resolves once it runs, with its host ports
 *    (an ephemeral port is chosen when hostPort is 0). A failure to start (no such image or
 *    command) rejects with an Error whose message says why; nothing is left running.
 *  - `stop` sends SIGTERM, then SIGKILL after `timeoutSeconds`, and resolves once it has
 *    exited; stopping a stopped or missing container resolves.
 *  - `exec` runs a health check command inside the container (`["CMD", exe, ...]` directly,
 *    `["CMD-SHELL", line]` through /bin/sh -c) and resolves with its exit code; a command that
 *    outlasts `timeoutMs` counts as failed (exit code -1).
 *  - `remove` forgets a stopped container (idempotent). `logs` is its output so far.
 *  - `list` returns the containers carrying `label` (any value), running or not.
 * Methods may be called concurrently for different containers.
 */
export interface TaskRuntime {
  /** `docker` or `process`: for messages and docs. */
  readonly kind: string;
  start(spec: ContainerSpec): Promise<StartedContainer>;
  inspect(runtimeId: string): Promise<ContainerState>;
  stop(runtimeId: string, timeoutSeconds: number): Promise<void>;
  exec(
    runtimeId: string,
    command: readonly string[],
    timeoutMs: number,
  ): Promise<{ readonly exitCode: number }>;
  logs(runtimeId: string): Promise<string>;
  /**
   * How many complete lines of the output were dropped before what `logs` returns (a runtime
   * that keeps only the last part, as host processes do); absent: none ever are.
   */
  droppedLines?(runtimeId: string): number;
  remove(runtimeId: string): Promise<void>;
  list(label: string): Promise<ListedContainer[]>;
  /**
   * The server is stopping: ends what cannot outlive it (host processes: SIGTERM to each
   * group, SIGKILL after `graceSeconds`). Containers of an engine keep running, to be adopted.
   */
  shutdown?(graceSeconds: number): Promise<void>;
}

/** The argv a health check command runs (spec A.7: CMD-SHELL through the shell, CMD directly). */
export function healthCheckArgv(command: readonly string[]): string[] {
  if (command[0] === "CMD-SHELL") return ["/bin/sh", "-c", command.slice(1).join(" ")];
  if (command[0] === "CMD") return command.slice(1);
  return [...command];
}
