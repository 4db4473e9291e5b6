import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { posix } from "node:path";
import type { Duplex, Readable } from "node:stream";
import { Transform, Writable } from "node:stream";
import type DockerModem from "docker-modem";
import type Dockerode from "dockerode";
import type { Executor, Mount, SessionSpec, ShellSession } from "../types.js";
import type { ContainerEngine } from "./docker-engine.js";

/**
 * The container executor: every session is one container of the build's image on a Docker
 * Engine (or Podman), running `<shell> -c <script>` the way CodeBuild runs a build container
 * (docs/containers.md):
 *  - the image's ENTRYPOINT is ignored and the shell runs as root (`User: "0"`), whatever the
 *    image's USER says (buildspec spec §4.7, §8 #19);
 *  - the spec's mounts are bind mounts; nothing else of the host is visible;
 *  - `privileged: true` runs the container privileged and binds the engine's own unix socket at
 *    `/var/run/docker.sock`, so `docker build`/`docker push` in the build talk to the host's
 *    engine (AWS gives each build a dedicated daemon; here builds share the host's images and
 *    containers). Without it nothing is mounted and docker commands fail as on AWS
 *    ("Cannot connect to the Docker daemon ...").
 *
 * Lifecycle of a session's container (name `pipewright-<label>-<random>`, labels
 * `pipewright.build=<label>`, `pipewright.host`, `pipewright.pid`):
 *   create (AutoRemove) -> attach (hijacked stdin/stdout/stderr) -> wait(removed) -> start
 * Attaching and registering the wait before the start means no output and no exit is missed.
 * The engine removes the container when the shell exits; `kill()` kills and force-removes it.
 * If pipewright dies, the hijacked connection closes, the shell reads end-of-file on stdin and
 * exits once its current command ends; `removeLeftoverContainers` clears whatever remains.
 */

const BUILD_LABEL = "pipewright.build";
const HOST_LABEL = "pipewright.host";
const PID_LABEL = "pipewright.pid";
const DOCKER_SOCKET_INSIDE = "/var/run/docker.sock";

/** An error of the engine's API as docker-modem reports it. */
interface EngineError {
  readonly statusCode?: number;
  readonly message?: string;
  readonly json?: { readonly message?: string } | null;
}

function statusOf(err: unknown): number | undefined {
  return typeof err === "object" && err !== null ? (err as EngineError).statusCode : undefined;
}

/** The engine's own message, without docker-modem's `(HTTP code 404) no such image - ` prefix. */
export function engineMessage(err: unknown): string {
  if (typeof err !== "object" || err === null) return String(err);
  const e = err as EngineError;
  const text = e.json?.message ?? e.message ?? String(err);
  return text.replace(/^\(HTTP code \d+\) [^-]*- /, "").trim();
}

/** Container names allow `[a-zA-Z0-9][a-zA-Z0-9_.-]*`. */
function containerName(label: string): string {
  const safe = label
    .replace(/[^a-zA-Z0-9_.-]+/g, "-")
    .replace(/^[^a-zA-Z0-9]+/, "")
    .slice(0, 63);
  return `pipewright-${safe ? `${safe}-` : ""}${randomBytes(4).toString("hex")}`;
}

/**
 * Where the build sees `hostPath`: under the mount whose host path is the longest prefix of it.
 * Throws for a path outside every mount (the build cannot see it: a bug of the caller).
 */
export function pathInsideMounts(hostPath: string, mounts: readonly Mount[]): string {
  const normalised = posix.normalize(hostPath);
  let best: Mount | undefined;
  for (const mount of mounts) {
    const base = posix.normalize(mount.hostPath).replace(/\/+$/, "") || "/";
    const under = normalised === base || normalised.startsWith(base === "/" ? "/" : `${base}/`);
    if (under && (!best || base.length > posix.normalize(best.hostPath).length)) best = mount;
  }
  if (!best) {
    throw new Error(
      `${hostPath} is not under any of the build's mounts (${mounts.map((m) => m.hostPath).join(", ")})`,
    );
  }
  const rest = posix.relative(posix.normalize(best.hostPath), normalised);
  return rest ? posix.join(best.path, rest) : best.path;
}

/**
 * Splits the engine's multiplexed attach stream (8-byte frame headers: stream type, 3 zero
 * bytes, big-endian length) and passes stdout and stderr frames on, in the order they come.
 */
class AttachDemuxer extends Transform {
  private pending: Buffer = Buffer.alloc(0);

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    let buffer = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    while (buffer.length >= 8) {
      const size = buffer.readUInt32BE(4);
      if (buffer.length < 8 + size) break;
      const type = buffer[0];
      if ((type === 1 || type === 2) && size > 0) this.push(buffer.subarray(8, 8 + size));
      buffer = buffer.subarray(8 + size);
    }
    this.pending = buffer;
    done();
  }
}

function dial<T>(docker: Dockerode, options: DockerModem.DialOptions): Promise<T> {
  return new Promise((resolve, reject) => {
    docker.modem.dial(options, (err, data) => (err ? reject(err) : resolve(data as T)));
  });
}

function readAll(stream: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    stream.on("error", reject);
  });
}

/**
 * Registers a wait for the container's removal and resolves once the engine has accepted it
 * (the engine sends the response headers as soon as the waiter is in place), with a promise of
 * the exit status that settles when the container is gone.
 */
async function registerWait(docker: Dockerode, id: string): Promise<{ readonly status: Promise<number> }> {
  const body = await dial<Readable>(docker, {
    path: `/containers/${id}/wait?`,
    method: "POST",
    isStream: true,
    statusCodes: { 200: true, 400: "bad parameter", 404: "no such container", 500: "server error" },
    options: { _query: { condition: "removed" }, _body: {} },
  });
  const status = readAll(body).then((text) => {
    const answer = JSON.parse(text) as { StatusCode?: number };
    if (typeof answer.StatusCode !== "number") throw new Error(`unexpected wait answer: ${text}`);
    return answer.StatusCode;
  });
  status.catch(() => {}); // observed by the session; a failed start removes the container
  return { status };
}

/** Reads a JSON-lines progress stream (pull, build) and rejects on its first error line. */
export function followProgress(stream: Readable): Promise<void> {
  return new Promise((resolve, reject) => {
    let buffered = "";
    let failed = false;
    const onLine = (line: string) => {
      if (!line.trim() || failed) return;
      let event: { error?: string; errorDetail?: { message?: string } };
      try {
        event = JSON.parse(line);
      } catch {
        return;
      }
      if (event.error || event.errorDetail) {
        failed = true;
        reject(new Error(event.errorDetail?.message ?? event.error));
      }
    };
    stream.on("data", (chunk: Buffer) => {
      buffered += chunk.toString("utf8");
      let newline = buffered.indexOf("\n");
      while (newline >= 0) {
        onLine(buffered.slice(0, newline));
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf("\n");
      }
    });
    stream.on("end", () => {
      onLine(buffered);
      if (!failed) resolve();
    });
    stream.on("error", (err) => {
      if (!failed) reject(err);
      failed = true;
    });
  });
}

/**
 * Whether the image is on the engine already (for choosing an executor without pulling).
 * Rejects when the engine cannot be asked.
 */
export async function hasImage(engine: ContainerEngine, image: string): Promise<boolean> {
  try {
    await engine.docker.getImage(image).inspect();
    return true;
  } catch (err) {
    if (statusOf(err) === 404) return false;
    throw new Error(`Cannot use the container engine (${engine.describe}): ${engineMessage(err)}`);
  }
}

async function ensureImage(engine: ContainerEngine, image: string): Promise<void> {
  if (await hasImage(engine, image)) return;
  try {
    await followProgress((await engine.docker.pull(image)) as Readable);
    await engine.docker.getImage(image).inspect();
  } catch (err) {
    throw new Error(
      `BUILD_CONTAINER_UNABLE_TO_PULL_IMAGE: the image ${image} is not present on ${engine.describe} and ` +
        `pulling it failed (no registry reachable, or the image does not exist there): ${engineMessage(err)}`,
    );
  }
}

/** The engine refused to start the container; `engineText` is its reason. */
class StartFailure extends Error {
  constructor(
    message: string,
    readonly engineText: string,
  ) {
    super(message);
  }
}

function startFailure(err: unknown, spec: SessionSpec, engine: ContainerEngine): StartFailure {
  const text = engineMessage(err);
  if (/executable file not found|exec: .*no such file or directory/i.test(text)) {
    return new StartFailure(
      `Build container found dead before completing the build: the image ${spec.image} cannot run ` +
        `${spec.shell} (the image must contain it): ${text}`,
      text,
    );
  }
  return new StartFailure(
    `Cannot start the build container of ${spec.image} on ${engine.describe}: ${text}`,
    text,
  );
}

function ignoreStatus(...statuses: number[]): (err: unknown) => void {
  return (err) => {
    const status = statusOf(err);
    if (status === undefined || !statuses.includes(status)) throw err;
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function session(
  container: Dockerode.Container,
  socket: Duplex,
  exitStatus: Promise<number>,
  engine: ContainerEngine,
): ShellSession {
  let killed = false;
  let finished = false;

  const output = new AttachDemuxer();
  socket.pipe(output);
  const endOutput = () => {
    if (!output.writableEnded) output.end();
  };
  // A reset connection (the container was force-removed) ends the output; it is not an error
  // of the build's shell.
  socket.on("error", endOutput);
  socket.on("close", endOutput);

  // Input to a shell that has gone is dropped (as a closed pipe would be), never thrown.
  const stdin = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (socket.destroyed || socket.writableEnded) return done();
      socket.write(chunk, () => done());
    },
    final(done) {
      if (!socket.destroyed && !socket.writableEnded) socket.end();
      done();
    },
  });

  // The engine's answer to the wait is the exit status. Should it never come (the engine could
  // not remove the container, or the wait connection broke), the closed attach connection says
  // the shell has ended: 10 s later, ask the engine for the exit code instead.
  let settle: (code: number | null) => void = () => {};
  const exited = new Promise<{ readonly code: number | null; readonly signal?: string }>((resolve) => {
    settle = (code) => {
      if (finished) return;
      finished = true;
      resolve(killed ? { code: null, signal: "SIGKILL" } : { code });
    };
  });
  exitStatus.then(settle, () => settle(null));
  socket.once("close", () => {
    setTimeout(() => {
      if (finished) return;
      container.inspect().then(
        (info) => {
          if (info.State.Running) return;
          settle(info.State.ExitCode);
          container.remove({ force: true }).catch(() => {});
        },
        () => settle(null),
      );
    }, 10_000).unref();
  });

  let killing: Promise<void> | undefined;
  const kill = (): Promise<void> => {
    killing ??= (async () => {
      if (!finished) killed = true;
      // SIGKILL of the shell (PID 1 of the container) ends every process in the container.
      await container.kill({ signal: "SIGKILL" }).catch(ignoreStatus(404, 409, 304));
      await Promise.race([exited, delay(10_000)]);
      await container.remove({ force: true }).catch(ignoreStatus(404, 409));
      if (!finished) {
        // The engine is removing it (409 above): the wait settles once it is gone.
        const settled = await Promise.race([exited.then(() => true), delay(20_000).then(() => false)]);
        if (!settled)
          throw new Error(`the build container ${container.id} on ${engine.describe} did not go away`);
      }
    })();
    return killing;
  };

  return { stdin, output, exited, kill };
}

export interface ContainerExecutorOptions {
  /**
   * Told once when the engine refuses privileged containers (some VMs withhold capabilities
   * that `--privileged` asks for): privileged builds then run unprivileged, still with the
   * engine's socket, which is all `docker build`/`docker push` need here.
   */
  readonly onWarning?: (message: string) => void;
}

/** Engines that cannot grant every capability fail privileged starts with this. */
const PRIVILEGE_REFUSED = /unable to apply caps|apply caps: operation not permitted/i;

/** The Executor, plus what the composition root needs when it shuts down. */
export interface ContainerExecutor extends Executor {
  /** Kills every session still running (on SIGTERM/SIGINT); resolves when their containers are gone. */
  killAll(): Promise<void>;
}

/** Creates the container executor on an engine found by `connectEngine`. */
export function createContainerExecutor(
  engine: ContainerEngine,
  options: ContainerExecutorOptions = {},
): ContainerExecutor {
  let privilegeRefused: string | undefined;
  const live = new Set<ShellSession>();

  async function launch(spec: SessionSpec, image: string, privileged: boolean): Promise<ShellSession> {
    const mounts: Dockerode.MountConfig = spec.mounts.map((mount) => ({
      Type: "bind",
      Source: mount.hostPath,
      Target: mount.path,
      ReadOnly: mount.readOnly,
    }));
    if (spec.privileged && engine.socketPath) {
      mounts.push({ Type: "bind", Source: engine.socketPath, Target: DOCKER_SOCKET_INSIDE, ReadOnly: false });
    }
    let env = Object.entries(spec.env).map(([key, value]) => `${key}=${value}`);
    if (spec.pathPrefix?.length) {
      // The image's own PATH, with the platform's directories in front (env.sh leaves PATH alone).
      const imageEnv = (await engine.docker.getImage(image).inspect()).Config?.Env ?? [];
      const imagePath =
        imageEnv.find((e) => e.startsWith("PATH="))?.slice(5) ??
        "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
      env = [
        ...env.filter((e) => !e.startsWith("PATH=")),
        `PATH=${[...spec.pathPrefix, imagePath].join(":")}`,
      ];
    }
    let container: Dockerode.Container;
    try {
      container = await engine.docker.createContainer({
        name: containerName(spec.label),
        Image: image,
        // CodeBuild ignores the image's ENTRYPOINT and runs commands as root.
        Entrypoint: [],
        Cmd: [spec.shell, ...(spec.shellOptions ?? []), "-c", spec.script],
        User: "0",
        Env: env,
        WorkingDir: spec.workdir,
        AttachStdin: true,
        AttachStdout: true,
        AttachStderr: true,
        OpenStdin: true,
        StdinOnce: true,
        Tty: false,
        Labels: { [BUILD_LABEL]: spec.label, [HOST_LABEL]: hostname(), [PID_LABEL]: String(process.pid) },
        HostConfig: {
          AutoRemove: true,
          Privileged: privileged,
          Mounts: mounts,
          ...(spec.hostNetwork ? { NetworkMode: "host" } : {}),
        },
      });
    } catch (err) {
      throw new Error(
        `Cannot create the build container of ${image} on ${engine.describe}: ${engineMessage(err)}`,
      );
    }

    let socket: Duplex | undefined;
    try {
      socket = (await container.attach({
        stream: true,
        stdin: true,
        stdout: true,
        stderr: true,
        hijack: true,
      })) as Duplex;
      const wait = await registerWait(engine.docker, container.id);
      try {
        await container.start();
      } catch (err) {
        throw startFailure(err, spec, engine);
      }
      const started = session(container, socket, wait.status, engine);
      live.add(started);
      void started.exited.then(() => live.delete(started));
      return started;
    } catch (err) {
      socket?.destroy();
      await container.remove({ force: true }).catch(() => {});
      if (err instanceof StartFailure) throw err;
      throw new Error(`Cannot attach to the build container on ${engine.describe}: ${engineMessage(err)}`);
    }
  }

  return {
    kind: "container",
    describe: () => `a container on ${engine.describe}`,
    pathInside: pathInsideMounts,
    async start(spec: SessionSpec): Promise<ShellSession> {
      const image = spec.image;
      if (!image) throw new Error("The container executor needs an image (the project's environment.image)");
      if (spec.privileged && !engine.socketPath) {
        throw new Error(
          `Privileged mode gives the build the engine's unix socket, but ${engine.describe} is reached over TCP`,
        );
      }
      await ensureImage(engine, image);
      if (spec.privileged && privilegeRefused === undefined) {
        try {
          return await launch(spec, image, true);
        } catch (err) {
          if (!(err instanceof StartFailure && PRIVILEGE_REFUSED.test(err.engineText))) throw err;
          privilegeRefused = err.engineText;
          options.onWarning?.(
            `${engine.describe} refuses privileged containers (${err.engineText}); privileged builds run ` +
              "unprivileged with the engine's socket at /var/run/docker.sock",
          );
        }
      }
      return launch(spec, image, false);
    },
    async killAll(): Promise<void> {
      await Promise.all([...live].map((running) => running.kill()));
    },
  };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes what earlier pipewright processes left behind on the engine: containers labelled
 * `pipewright.build` that are not running (exited, dead, or created more than a minute ago and
 * never started), and running ones started by a process of this host that no longer exists.
 * Call it at start-up; it never touches a live session of a running pipewright. Returns the
 * names removed.
 */
export async function removeLeftoverContainers(engine: ContainerEngine): Promise<string[]> {
  const containers = await engine.docker.listContainers({
    all: true,
    filters: { label: [BUILD_LABEL] },
  });
  const here = hostname();
  const now = Date.now() / 1000;
  const removed: string[] = [];
  for (const info of containers) {
    const labels = info.Labels ?? {};
    const pid = Number(labels[PID_LABEL]);
    const orphan = labels[HOST_LABEL] === here && Number.isInteger(pid) && pid > 0 && !processAlive(pid);
    const leftover =
      info.State === "exited" ||
      info.State === "dead" ||
      (info.State === "created" && now - info.Created > 60) ||
      (info.State === "running" && orphan);
    if (!leftover) continue;
    await engine.docker
      .getContainer(info.Id)
      .remove({ force: true })
      .then(() => removed.push(info.Names[0]?.replace(/^\//, "") ?? info.Id))
      .catch(ignoreStatus(404, 409));
  }
  return removed;
}
