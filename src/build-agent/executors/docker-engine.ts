import { statSync } from "node:fs";
import Dockerode from "dockerode";

/**
 * Finding the container engine builds run on: a Docker Engine or Podman's Docker-compatible
 * API. The search order follows the Docker CLI's:
 *  1. `DOCKER_HOST` (`unix:///path` or `tcp://host:port`; `DOCKER_TLS_VERIFY`/`DOCKER_CERT_PATH`
 *     are honoured for TCP). When it is set it is the only candidate: an explicit setting that
 *     does not answer is reported, never silently replaced by another engine.
 *  2. `/var/run/docker.sock`, then rootless Docker's `$XDG_RUNTIME_DIR/docker.sock`.
 *  3. Podman: `$XDG_RUNTIME_DIR/podman/podman.sock`, `/run/podman/podman.sock`.
 *
 * A candidate counts only if it answers `/_ping` within the timeout (default 2 s), so an absent
 * engine costs a few stat calls, and an unresponsive one at most the timeout per candidate.
 */

export interface ContainerEngine {
  readonly docker: Dockerode;
  /** The engine's unix socket on this host (absent for TCP engines); privileged builds get it. */
  readonly socketPath?: string;
  /** For logs: `Docker Engine 20.10.24 at unix:///var/run/docker.sock`. */
  readonly describe: string;
}

export interface EngineSearchOptions {
  /** Where DOCKER_HOST and XDG_RUNTIME_DIR come from (default: process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** How long each candidate may take to answer the ping (default 2000 ms). */
  readonly timeoutMs?: number;
}

export type EngineSearch =
  | { readonly engine: ContainerEngine; readonly reason?: undefined }
  | { readonly engine?: undefined; readonly reason: string };

interface Candidate {
  readonly address: string;
  readonly socketPath?: string;
  readonly make: () => Dockerode;
}

function candidates(env: NodeJS.ProcessEnv): Candidate[] {
  const host = env.DOCKER_HOST?.trim();
  if (host) {
    if (host.startsWith("unix://")) {
      const socketPath = host.slice("unix://".length) || "/var/run/docker.sock";
      return [{ address: host, socketPath, make: () => new Dockerode({ socketPath }) }];
    }
    // tcp:// (and ssh://): docker-modem reads DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH
    // from process.env, so hand it the environment we were given.
    return [{ address: host, make: () => withEnv(env, () => new Dockerode()) }];
  }
  const sockets = ["/var/run/docker.sock"];
  if (env.XDG_RUNTIME_DIR) sockets.push(`${env.XDG_RUNTIME_DIR}/docker.sock`);
  if (env.XDG_RUNTIME_DIR) sockets.push(`${env.XDG_RUNTIME_DIR}/podman/podman.sock`);
  sockets.push("/run/podman/podman.sock");
  return sockets.map((socketPath) => ({
    address: `unix://${socketPath}`,
    socketPath,
    make: () => new Dockerode({ socketPath }),
  }));
}

function withEnv<T>(env: NodeJS.ProcessEnv, make: () => T): T {
  if (env === process.env) return make();
  const keys = ["DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH"] as const;
  const saved = keys.map((key) => process.env[key]);
  try {
    for (const key of keys) {
      if (env[key] === undefined) delete process.env[key];
      else process.env[key] = env[key];
    }
    return make();
  } finally {
    keys.forEach((key, i) => {
      const value = saved[i];
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    });
  }
}

function isSocket(path: string): boolean {
  try {
    return statSync(path).isSocket();
  } catch {
    return false;
  }
}

interface VersionInfo {
  readonly Version?: string;
  readonly Components?: ReadonlyArray<{ readonly Name?: string; readonly Version?: string }>;
}

/**
 * Calls the engine's API with an abort signal (dockerode's typings omit the option on some
 * methods; docker-modem supports it on every call).
 */
function dial<T>(docker: Dockerode, path: string, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    docker.modem.dial(
      { path, method: "GET", abortSignal: signal, statusCodes: { 200: true, 500: "server error" } },
      (err, data) => (err ? reject(err) : resolve(data as T)),
    );
  });
}

async function probe(candidate: Candidate, timeoutMs: number): Promise<ContainerEngine> {
  const docker = candidate.make();
  const signal = AbortSignal.timeout(timeoutMs);
  await dial(docker, "/_ping", signal);
  const version = await dial<VersionInfo>(docker, "/version", signal).catch(() => undefined);
  const podman = version?.Components?.find((c) => c.Name?.toLowerCase().includes("podman"));
  const product = podman
    ? `Podman ${podman.Version ?? version?.Version ?? ""}`.trim()
    : `Docker Engine ${version?.Version ?? "(unknown version)"}`;
  return {
    docker,
    ...(candidate.socketPath ? { socketPath: candidate.socketPath } : {}),
    describe: `${product} at ${candidate.address}`,
  };
}

function errorText(err: unknown): string {
  if (err instanceof Error) return err.name === "AbortError" ? "no answer in time" : err.message;
  return String(err);
}

/** Looks for an engine; says why none was found (for skip messages and errors). */
export async function locateEngine(options: EngineSearchOptions = {}): Promise<EngineSearch> {
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? 2000;
  const tried: string[] = [];
  for (const candidate of candidates(env)) {
    if (candidate.socketPath && !isSocket(candidate.socketPath)) {
      tried.push(`${candidate.address}: no such socket`);
      continue;
    }
    try {
      return { engine: await probe(candidate, timeoutMs) };
    } catch (err) {
      tried.push(`${candidate.address}: ${errorText(err)}`);
    }
  }
  return { reason: `no container engine answered (${tried.join("; ")})` };
}

/** The first engine that answers, or undefined when there is none (see `locateEngine`). */
export async function connectEngine(options: EngineSearchOptions = {}): Promise<ContainerEngine | undefined> {
  return (await locateEngine(options)).engine;
}
