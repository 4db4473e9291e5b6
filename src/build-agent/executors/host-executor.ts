import { spawn } from "node:child_process";
import { PassThrough } from "node:stream";
import type { Executor, Mount, SessionSpec, ShellSession } from "../types.js";

/**
 * Runs a build's shell directly on the host, in its own process group so that `kill()` also
 * ends the background processes it started. No isolation: the build can write wherever the
 * Pipewright process can. Use the sandbox executor when bubblewrap is available.
 */
export function createHostExecutor(): Executor {
  return {
    kind: "host",
    describe: () =>
      "the host, UNSANDBOXED (the build can read and write whatever the server's user can, its data directory included)",
    pathInside: (hostPath) => hostPath,
    start: (spec) => startProcess(spec.shell, [...(spec.shellOptions ?? []), "-c", spec.script], spec),
  };
}

/**
 * Starts `command args` as a session: stdout and stderr both feed `output`, the process leads
 * its own process group, and `kill()` sends SIGKILL to the whole group.
 */
export function startProcess(
  command: string,
  args: readonly string[],
  spec: SessionSpec,
): Promise<ShellSession> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      cwd: spec.workdir,
      env: { ...spec.env },
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
    });
    const output = new PassThrough();
    let open = 2;
    let pipesClosed!: () => void;
    const closed = new Promise<void>((done) => {
      pipesClosed = done;
    });
    const ended = () => {
      open -= 1;
      if (open === 0) {
        output.end();
        pipesClosed();
      }
    };
    child.stdout.on("data", (c: Buffer) => output.write(c)).on("end", ended);
    child.stderr.on("data", (c: Buffer) => output.write(c)).on("end", ended);
    // A shell that ends before reading its stdin must not crash Pipewright with EPIPE.
    child.stdin.on("error", () => {});
    const exited = new Promise<{ code: number | null; signal?: string }>((done) => {
      child.once("exit", (code, signal) => done(signal ? { code, signal } : { code }));
    });
    let gone = false;
    void exited.then(() => {
      gone = true;
    });
    const kill = async () => {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // Already gone.
        }
      }
      if (!gone) await exited;
      // Processes die a moment after the group's leader (in a sandbox, the kernel ends the PID
      // namespace once its init is gone); the pipes close when the last of them is gone. Wait
      // for that, but not forever: a process that left the group may hold them.
      await Promise.race([closed, new Promise((r) => setTimeout(r, 2000).unref())]);
      output.end();
    };
    child.once("error", (error) => reject(new Error(`cannot start ${command}: ${error.message}`)));
    child.once("spawn", () => resolve({ stdin: child.stdin, output, exited, kill }));
  });
}

/** The mount containing `hostPath`, if any (the deepest one). */
export function mountOf(hostPath: string, mounts: readonly Mount[]): Mount | undefined {
  return [...mounts]
    .filter((m) => hostPath === m.hostPath || hostPath.startsWith(`${m.hostPath.replace(/\/$/, "")}/`))
    .sort((a, b) => b.hostPath.length - a.hostPath.length)[0];
}
