import { type ChildProcess, spawn } from "node:child_process";
import { statSync } from "node:fs";
import { createServer } from "node:net";
import { isAbsolute, join } from "node:path";
import {
  type ContainerSpec,
  type ContainerState,
  healthCheckArgv,
  type ListedContainer,
  type PortBinding,
  type StartedContainer,
  type TaskRuntime,
} from "./types.js";

const MAX_LOG_BYTES = 1024 * 1024;

interface Tracked {
  readonly child: ChildProcess;
  readonly spec: ContainerSpec;
  readonly bindings: readonly PortBinding[];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string | undefined;
  readonly exited: Promise<void>;
  exitCode?: number;
  signal?: string;
  log: string;
  /** Complete lines dropped from the front of `log` to keep it under MAX_LOG_BYTES. */
  droppedLines: number;
}

/** A free TCP port on loopback, chosen by the kernel (the process binds it right after). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * The directory a host process starts in. An `image` that is an absolute path of a directory on
 * this host is a *local image* (what a build without a container engine produces in place of
 * pushing one, docs/ecs.md): the process starts there, and a relative `workingDirectory` is
 * resolved inside it. Any other image reference is not used.
 */
export function processWorkingDirectory(spec: Pick<ContainerSpec, "image" | "workingDirectory">) {
  let imageDir: string | undefined;
  try {
    imageDir = isAbsolute(spec.image) && statSync(spec.image).isDirectory() ? spec.image : undefined;
  } catch {
    imageDir = undefined;
  }
  if (imageDir === undefined) return spec.workingDirectory;
  if (spec.workingDirectory === undefined) return imageDir;
  return isAbsolute(spec.workingDirectory) ? spec.workingDirectory : join(imageDir, spec.workingDirectory);
}

/**
 * The host-process launch type, for machines with no container engine: a container's
 * `entryPoint` + `command` run as a process on this host (the image is not run; a local image
 * directory is where it starts: processWorkingDirectory).
 * Each port mapping gets a host port (an ephemeral one for hostPort 0); the process learns its
 * ports from `PORT` (the first mapping) and `PORT_<containerPort>`, and must listen on them.
 * Environment, working directory and user-visible behaviour follow the container's; cpu and
 * memory are not limited. Each process leads its own process group, so stopping it reaches its
 * children. Processes do not survive the server: after a restart they are `missing`.
 */
export function createProcessTaskRuntime(options: { baseEnv?: NodeJS.ProcessEnv } = {}): TaskRuntime {
  const tracked = new Map<string, Tracked>();
  const baseEnv = options.baseEnv ?? { PATH: process.env.PATH ?? "/usr/bin:/bin" };

  function signalGroup(t: Tracked, signal: NodeJS.Signals) {
    if (t.exitCode !== undefined || t.child.pid === undefined) return;
    try {
      process.kill(-t.child.pid, signal);
    } catch {
      // the group is gone already
    }
  }

  return {
    kind: "process",

    async start(spec: ContainerSpec): Promise<StartedContainer> {
      const argv = [...(spec.entryPoint ?? []), ...(spec.command ?? [])];
      if (argv.length === 0)
        throw new Error(
          `container ${spec.name} has neither entryPoint nor command: the host-process launch type runs those on this host and cannot run the image ${spec.image} itself`,
        );
      const bindings: PortBinding[] = [];
      for (const p of spec.ports)
        bindings.push({
          bindIP: "127.0.0.1",
          containerPort: p.containerPort,
          hostPort: p.hostPort === 0 ? await freePort() : p.hostPort,
          protocol: p.protocol,
        });
      const env: NodeJS.ProcessEnv = { ...baseEnv, ...spec.environment };
      if (spec.pathPrefix && spec.pathPrefix.length > 0 && spec.environment.PATH === undefined)
        env.PATH = [...spec.pathPrefix, baseEnv.PATH ?? "/usr/bin:/bin"].join(":");
      const cwd = processWorkingDirectory(spec);
      if (bindings[0]) env.PORT = String(bindings[0].hostPort);
      for (const b of bindings) env[`PORT_${b.containerPort}`] = String(b.hostPort);
      const child = spawn(argv[0]!, argv.slice(1), {
        cwd,
        env,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      });
      await new Promise<void>((resolve, reject) => {
        child.once("spawn", resolve);
        child.once("error", (error) =>
          reject(
            new Error(`cannot run ${argv[0]} for container ${spec.name}: ${error.message}`, { cause: error }),
          ),
        );
      });
      const exited = new Promise<void>((resolve) => {
        child.once("exit", (code, signal) => {
          t.exitCode = code ?? 128 + (signal === "SIGKILL" ? 9 : 15);
          if (signal) t.signal = signal;
          resolve();
        });
      });
      const t: Tracked = { child, spec, bindings, env, cwd, exited, log: "", droppedLines: 0 };
      const append = (chunk: Buffer) => {
        t.log += chunk.toString("utf8");
        if (t.log.length > MAX_LOG_BYTES) {
          // Drop whole lines from the front, counted, so a reader's line numbers stay true.
          const cut = t.log.indexOf("\n", t.log.length - MAX_LOG_BYTES);
          const dropped = cut < 0 ? t.log.length - MAX_LOG_BYTES : cut + 1;
          t.droppedLines += t.log.slice(0, dropped).split("\n").length - 1;
          t.log = t.log.slice(dropped);
        }
      };
      child.stdout?.on("data", append);
      child.stderr?.on("data", append);
      const runtimeId = `process:${child.pid}`;
      tracked.set(runtimeId, t);
      return { runtimeId, bindings };
    },

    async shutdown(graceSeconds: number): Promise<void> {
      const live = [...tracked.values()].filter((t) => t.exitCode === undefined);
      for (const t of live) signalGroup(t, "SIGTERM");
      const killAfter = setTimeout(() => {
        for (const t of live) signalGroup(t, "SIGKILL");
      }, graceSeconds * 1000);
      await Promise.all(live.map((t) => t.exited));
      clearTimeout(killAfter);
    },

    async inspect(runtimeId: string): Promise<ContainerState> {
      const t = tracked.get(runtimeId);
      if (!t) return { status: "missing" };
      if (t.exitCode === undefined) return { status: "running" };
      return {
        status: "exited",
        exitCode: t.exitCode,
        ...(t.signal ? { reason: `killed by ${t.signal}` } : {}),
      };
    },

    async stop(runtimeId: string, timeoutSeconds: number): Promise<void> {
      const t = tracked.get(runtimeId);
      if (!t || t.exitCode !== undefined) return;
      signalGroup(t, "SIGTERM");
      let timer: NodeJS.Timeout | undefined;
      const killed = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          signalGroup(t, "SIGKILL");
          resolve();
        }, timeoutSeconds * 1000);
      });
      await Promise.race([t.exited, killed]);
      clearTimeout(timer);
      await t.exited;
    },

    async exec(runtimeId: string, command: readonly string[], timeoutMs: number) {
      const t = tracked.get(runtimeId);
      if (!t || t.exitCode !== undefined) return { exitCode: -1 };
      const argv = healthCheckArgv(command);
      return new Promise((resolve) => {
        const child = spawn(argv[0]!, argv.slice(1), {
          cwd: t.cwd,
          env: t.env,
          stdio: "ignore",
        });
        const timer = setTimeout(() => {
          child.kill("SIGKILL");
          resolve({ exitCode: -1 });
        }, timeoutMs);
        child.once("error", () => {
          clearTimeout(timer);
          resolve({ exitCode: -1 });
        });
        child.once("exit", (code) => {
          clearTimeout(timer);
          resolve({ exitCode: code ?? -1 });
        });
      });
    },

    async logs(runtimeId: string): Promise<string> {
      return tracked.get(runtimeId)?.log ?? "";
    },

    droppedLines(runtimeId: string): number {
      return tracked.get(runtimeId)?.droppedLines ?? 0;
    },

    async remove(runtimeId: string): Promise<void> {
      const t = tracked.get(runtimeId);
      if (!t) return;
      signalGroup(t, "SIGKILL");
      tracked.delete(runtimeId);
    },

    async list(label: string): Promise<ListedContainer[]> {
      return [...tracked.entries()]
        .filter(([, t]) => label in t.spec.labels)
        .map(([runtimeId, t]) => ({
          runtimeId,
          labels: t.spec.labels,
          running: t.exitCode === undefined,
          bindings: t.bindings,
        }));
    },
  };
}
