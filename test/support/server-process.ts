import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const repoRoot = resolve(import.meta.dirname, "../..");
const bin = join(repoRoot, "bin", "pipewright.js");

export interface ServerProcess {
  readonly endpoint: string;
  readonly dataDir: string;
  readonly child: ChildProcess;
  /** Output so far (stdout + stderr), for assertions and failure messages. */
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface StartOptions {
  dataDir?: string;
  args?: string[];
  env?: Record<string, string>;
}

/**
 * Starts the built server (`npm run build` first; `npm test` does) as a real child process on
 * a free loopback port and resolves once it prints its endpoint.
 */
export async function startServerProcess(options: StartOptions = {}): Promise<ServerProcess> {
  if (!existsSync(join(repoRoot, "dist", "main", "cli.js"))) {
    throw new Error("dist/ is missing: run `npm run build` before the integration tests (npm test does)");
  }
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "pipewright-test-"));
  const child = spawn(
    process.execPath,
    [bin, "serve", "--port", "0", "--data-dir", dataDir, ...(options.args ?? [])],
    {
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout.on("data", (d: Buffer) => {
    output += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    output += d.toString();
  });
  const endpoint = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start in 10 s:\n${output}`)), 10_000);
    const check = () => {
      const match = /listening on (http:\/\/\S+)/u.exec(output);
      if (match) {
        clearTimeout(timer);
        done(match[1]!);
      }
    };
    child.stdout.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`server exited with ${code} before starting:\n${output}`));
    });
  });
  return {
    endpoint,
    dataDir,
    child,
    output: () => output,
    kill(signal = "SIGTERM") {
      return new Promise((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once("exit", () => done());
        child.kill(signal);
      });
    },
  };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
