import type { Readable } from "node:stream";
import type Dockerode from "dockerode";
import {
  type ContainerSpec,
  type ContainerState,
  healthCheckArgv,
  type ListedContainer,
  type PortBinding,
  type StartedContainer,
  type TaskRuntime,
} from "./types.js";

/** Docker's multiplexed stream frames (8-byte headers) -> the text they carry. */
function demultiplex(buffer: Buffer): string {
  const out: Buffer[] = [];
  let rest = buffer;
  while (rest.length >= 8) {
    const size = rest.readUInt32BE(4);
    out.push(rest.subarray(8, 8 + size));
    rest = rest.subarray(8 + size);
  }
  return Buffer.concat(out).toString("utf8");
}

function bindingsOf(
  ports: Dockerode.ContainerInspectInfo["NetworkSettings"]["Ports"] | undefined,
): PortBinding[] {
  const bindings: PortBinding[] = [];
  for (const [key, hosts] of Object.entries(ports ?? {})) {
    const [port, protocol] = key.split("/");
    // Docker lists the IPv4 and IPv6 binding of one port; the first (IPv4) is the one to reach.
    const host = (hosts ?? [])[0];
    if (!host) continue;
    bindings.push({
      bindIP: host.HostIp || "0.0.0.0",
      containerPort: Number(port),
      hostPort: Number(host.HostPort),
      protocol: protocol === "udp" ? "udp" : "tcp",
    });
  }
  return bindings.sort((a, b) => a.containerPort - b.containerPort);
}

const notFound = (error: unknown) => (error as { statusCode?: number }).statusCode === 404;

/** The registry host an image reference names (`127.0.0.1:4577/app:1` -> `127.0.0.1:4577`), if any. */
export function registryHostOf(image: string): string | undefined {
  const first = image.split("/")[0]!;
  return image.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost")
    ? first
    : undefined;
}

/** Registries on this machine: Pipewright's own (loopback). Nothing else is pulled on a user's behalf. */
export function isLocalRegistry(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.startsWith("[") ? host.slice(1, host.indexOf("]")) : host.split(":")[0]!;
  return name === "localhost" || name === "::1" || /^127\.\d+\.\d+\.\d+$/u.test(name);
}

/** Reads a pull's progress stream to its end; an error message in it fails the pull. */
function followPull(docker: Dockerode, stream: NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(stream, (error: Error | null, events: { error?: string }[]) => {
      const failed = error?.message ?? events?.find((e) => e.error)?.error;
      if (failed) reject(new Error(failed));
      else resolve();
    });
  });
}

/**
 * Task containers on a Docker Engine (or Podman's compatible API). Ports are published on
 * `bindIP` (loopback by default, so nothing is exposed beyond this machine); cpu units become
 * CpuShares, memory a hard limit. Containers are not auto-removed: a stopped task keeps its exit
 * code and logs until the shell removes it.
 */
export function createDockerTaskRuntime(
  docker: Dockerode,
  options: {
    bindIP?: string;
    /** Credentials for pulling from a local registry (Pipewright's, when it requires them). */
    pullAuth?: (registryHost: string) => { username: string; password: string } | undefined;
  } = {},
): TaskRuntime {
  const bindIP = options.bindIP ?? "127.0.0.1";

  /**
   * An image missing from the engine is pulled when it lives in a registry on this machine
   * (Pipewright's own, where pipelines push); any other missing image is an error that says how
   * to get it there, so a task never waits on the internet.
   */
  async function ensureImage(image: string): Promise<void> {
    try {
      await docker.getImage(image).inspect();
      return;
    } catch (error) {
      if (!notFound(error)) throw error;
    }
    const host = registryHostOf(image);
    if (!isLocalRegistry(host))
      throw new Error(
        `the image is not on the container engine, and Pipewright pulls only from registries on this machine (127.0.0.1, localhost); push it to Pipewright's registry or build it on the engine first`,
      );
    const auth = options.pullAuth?.(host!);
    const stream = await docker.pull(image, auth ? { authconfig: { ...auth, serveraddress: host } } : {});
    await followPull(docker, stream);
  }
  /** The image's PATH (its Config.Env), else the Docker default. */
  async function imagePath(image: string): Promise<string> {
    const info = await docker.getImage(image).inspect();
    const path = (info.Config?.Env ?? []).find((e) => e.startsWith("PATH="));
    return path ? path.slice(5) : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  }
  return {
    kind: "docker",

    async start(spec: ContainerSpec): Promise<StartedContainer> {
      const exposed: Record<string, object> = {};
      const published: Record<string, { HostIp: string; HostPort: string }[]> = {};
      for (const p of spec.ports) {
        const key = `${p.containerPort}/${p.protocol}`;
        exposed[key] = {};
        published[key] = [{ HostIp: bindIP, HostPort: p.hostPort === 0 ? "" : String(p.hostPort) }];
      }
      let container: Dockerode.Container;
      try {
        await ensureImage(spec.image);
        const env = { ...spec.environment };
        if (spec.pathPrefix && spec.pathPrefix.length > 0 && env.PATH === undefined)
          env.PATH = [...spec.pathPrefix, await imagePath(spec.image)].join(":");
        container = await docker.createContainer({
          name: spec.name,
          Image: spec.image,
          ...(spec.entryPoint ? { Entrypoint: [...spec.entryPoint] } : {}),
          ...(spec.command ? { Cmd: [...spec.command] } : {}),
          Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
          ...(spec.workingDirectory ? { WorkingDir: spec.workingDirectory } : {}),
          ...(spec.user ? { User: spec.user } : {}),
          Labels: { ...spec.labels },
          ExposedPorts: exposed,
          HostConfig: {
            ...(spec.hostNetwork ? { NetworkMode: "host" } : { PortBindings: published }),
            ...(spec.mounts && spec.mounts.length > 0
              ? { Binds: spec.mounts.map((dir) => `${dir}:${dir}:ro`) }
              : {}),
            ...(spec.cpu ? { CpuShares: spec.cpu } : {}),
            ...(spec.memoryMiB ? { Memory: spec.memoryMiB * 1024 * 1024 } : {}),
          },
        });
      } catch (error) {
        throw new Error(
          `cannot create container ${spec.name} from image ${spec.image}: ${(error as Error).message}`,
          {
            cause: error,
          },
        );
      }
      try {
        await container.start();
      } catch (error) {
        await container.remove({ force: true }).catch(() => undefined);
        throw new Error(`cannot start container ${spec.name}: ${(error as Error).message}`, { cause: error });
      }
      const info = await container.inspect();
      // The host's network: a container port is the host port, on loopback as everything else.
      const bindings = spec.hostNetwork
        ? spec.ports.map((p) => ({
            bindIP: "127.0.0.1",
            containerPort: p.containerPort,
            hostPort: p.containerPort,
            protocol: p.protocol,
          }))
        : bindingsOf(info.NetworkSettings?.Ports);
      return { runtimeId: info.Id, bindings };
    },

    async inspect(runtimeId: string): Promise<ContainerState> {
      try {
        const info = await docker.getContainer(runtimeId).inspect();
        if (info.State.Running) return { status: "running" };
        return {
          status: "exited",
          exitCode: info.State.ExitCode,
          ...(info.State.OOMKilled
            ? { reason: "OutOfMemoryError: Container killed due to memory usage" }
            : {}),
          ...(info.State.Error ? { reason: info.State.Error } : {}),
        };
      } catch (error) {
        if (notFound(error)) return { status: "missing" };
        throw error;
      }
    },

    async stop(runtimeId: string, timeoutSeconds: number): Promise<void> {
      try {
        // Docker's stop is the ECS agent's: the stop signal (SIGTERM), then SIGKILL after t seconds.
        await docker.getContainer(runtimeId).stop({ t: timeoutSeconds });
      } catch (error) {
        const code = (error as { statusCode?: number }).statusCode;
        if (code === 304 || code === 404) return; // already stopped / gone
        throw error;
      }
    },

    async exec(runtimeId: string, command: readonly string[], timeoutMs: number) {
      const container = docker.getContainer(runtimeId);
      const exec = await container.exec({
        Cmd: healthCheckArgv(command),
        AttachStdout: true,
        AttachStderr: true,
      });
      const stream = (await exec.start({ hijack: true, stdin: false })) as Readable;
      const finished = new Promise<void>((resolve) => {
        stream.on("end", resolve);
        stream.on("close", resolve);
        stream.on("error", () => resolve());
        stream.resume();
      });
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), timeoutMs);
      });
      const outcome = await Promise.race([finished, timedOut]);
      clearTimeout(timer);
      if (outcome === "timeout") {
        stream.destroy();
        return { exitCode: -1 };
      }
      const info = await exec.inspect();
      return { exitCode: info.ExitCode ?? -1 };
    },

    async logs(runtimeId: string): Promise<string> {
      try {
        const buffer = (await docker
          .getContainer(runtimeId)
          .logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
        return demultiplex(Buffer.from(buffer));
      } catch (error) {
        if (notFound(error)) return "";
        throw error;
      }
    },

    async remove(runtimeId: string): Promise<void> {
      try {
        await docker.getContainer(runtimeId).remove({ force: true });
      } catch (error) {
        const code = (error as { statusCode?: number }).statusCode;
        if (code !== 404 && code !== 409) throw error;
      }
    },

    async list(label: string): Promise<ListedContainer[]> {
      const found = await docker.listContainers({ all: true, filters: { label: [label] } });
      return found.map((c) => ({
        runtimeId: c.Id,
        labels: c.Labels ?? {},
        running: c.State === "running",
        bindings: (c.Ports ?? [])
          .filter((p) => p.PublicPort !== undefined && !(p.IP ?? "").includes(":"))
          .map((p) => ({
            bindIP: p.IP ?? "0.0.0.0",
            containerPort: p.PrivatePort,
            hostPort: p.PublicPort,
            protocol: p.Type === "udp" ? ("udp" as const) : ("tcp" as const),
          })),
      }));
    },
  };
}
