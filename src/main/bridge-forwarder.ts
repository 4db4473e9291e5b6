import { connect, createServer, type Server } from "node:net";
import type Dockerode from "dockerode";

export interface BridgeForwarder {
  /** `http://<bridge gateway>:<port>`: the server as containers on Docker's bridge network reach it. */
  readonly endpoint: string;
  close(): Promise<void>;
}

/**
 * A TCP forwarder on the gateway address of Docker's `bridge` network (172.17.0.1 usually), to
 * the server's loopback port: ECS tasks on the bridge network cannot reach the host's 127.0.0.1,
 * and the server listens on loopback by default. The gateway address is the host's side of the
 * bridge, reachable from containers on this host only, not from the network. Undefined when the
 * engine has no bridge network with an IPv4 gateway (Podman rootless, for example).
 */
export async function startBridgeForwarder(
  docker: Dockerode,
  serverEndpoint: () => string,
): Promise<BridgeForwarder | undefined> {
  let gateway: string | undefined;
  try {
    const info = (await docker.getNetwork("bridge").inspect()) as {
      IPAM?: { Config?: { Gateway?: string }[] };
    };
    gateway = info.IPAM?.Config?.map((c) => c.Gateway).find((g) => g && /^\d+\.\d+\.\d+\.\d+$/u.test(g));
  } catch {
    return undefined;
  }
  if (!gateway) return undefined;
  const server: Server = createServer((socket) => {
    const url = new URL(serverEndpoint());
    const host = ["0.0.0.0", "[::]", "::"].includes(url.hostname) ? "127.0.0.1" : url.hostname;
    const upstream = connect(Number(url.port || 80), host.replace(/^\[|\]$/gu, ""));
    socket.pipe(upstream).pipe(socket);
    const end = () => {
      socket.destroy();
      upstream.destroy();
    };
    socket.on("error", end);
    upstream.on("error", end);
    socket.on("close", end);
    upstream.on("close", end);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, gateway, resolve);
    });
  } catch {
    return undefined; // the address is not this host's (a remote engine): no forwarder
  }
  // It lives as long as the server process and must not keep a stopping one alive.
  server.unref();
  const port = (server.address() as { port: number }).port;
  return {
    endpoint: `http://${gateway}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
