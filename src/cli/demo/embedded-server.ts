import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import type { DemoRuntime } from "./demo-mode.js";

/** The server the demo started: a `pipewright serve` child process of its own process group. */
export interface EmbeddedServer {
  readonly endpoint: string;
  readonly pid: number;
  readonly logFile: string;
  /** Lets the server outlive the demo (--keep): the demo's process may then exit. */
  detach(): void;
  /** SIGTERM, and resolves once it has exited. */
  stop(): Promise<void>;
}

/** bin/pipewright.js of this installation (dist/cli/demo/ or src/cli/demo/ -> ../../..). */
const BIN = fileURLToPath(new URL("../../../bin/pipewright.js", import.meta.url));

function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const probe = createServer();
    probe.once("error", () => done(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => done(true)));
  });
}

/**
 * Starts `pipewright serve` on 127.0.0.1:4577 when that port is free (else a free port, or
 * `port`), with
 * its data in `dataDir` and its output in `logFile`. Process mode sets PIPEWRIGHT_ECS_RUNTIME=
 * process, so the server does not look for a container engine at all.
 */
export async function startEmbeddedServer(options: {
  readonly dataDir: string;
  readonly logFile: string;
  readonly runtime: DemoRuntime;
  readonly env: NodeJS.ProcessEnv;
  /** Default: 4577 when free, else any free port (0). */
  readonly port?: number;
  readonly timeoutMs?: number;
}): Promise<EmbeddedServer> {
  const port = options.port ?? ((await portFree(4577)) ? 4577 : 0);
  const out = openSync(options.logFile, "a");
  const env: NodeJS.ProcessEnv = { ...options.env };
  delete env.PIPEWRIGHT_CREDENTIALS;
  if (options.runtime === "process") env.PIPEWRIGHT_ECS_RUNTIME = "process";
  const child = spawn(
    process.execPath,
    [BIN, "serve", "--port", String(port), "--host", "127.0.0.1", "--data-dir", options.dataDir],
    { env, detached: true, stdio: ["ignore", out, out] },
  );
  closeSync(out);
  let exit: number | null | undefined;
  const exited = new Promise<void>((done) =>
    child.once("exit", (code) => {
      exit = code;
      done();
    }),
  );
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  let endpoint: string | undefined;
  while (endpoint === undefined) {
    const log = readFileSync(options.logFile, "utf8");
    endpoint = /listening on (http:\/\/\S+)/u.exec(log)?.[1];
    if (endpoint) break;
    if (exit !== undefined || Date.now() > deadline) {
      if (exit === undefined) child.kill("SIGTERM");
      throw new Error(
        `the embedded server did not start (${exit === undefined ? "no answer in time" : `exit code ${exit}`}); its output:\n${log.slice(-2000)}`,
      );
    }
    await new Promise((done) => setTimeout(done, 50));
  }
  return {
    endpoint,
    pid: child.pid!,
    logFile: options.logFile,
    detach: () => child.unref(),
    async stop() {
      if (exit === undefined) child.kill("SIGTERM");
      await exited;
    },
  };
}
