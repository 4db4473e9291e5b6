import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import type { Executor, Mount } from "../types.js";
import { startProcess } from "./host-executor.js";

export interface SandboxOptions {
  /** The bubblewrap program (default `bwrap` on PATH). */
  readonly bwrap?: string;
  /**
   * Host directories the build must not see even read-only: the server's data directory (its
   * database and `secrets.key`) and the parent of every build's workspace. Each is covered by an
   * empty tmpfs; the build's own mounts inside them are bound back on top.
   */
  readonly hide?: readonly string[];
}

/**
 * Runs a build's shell on the host inside bubblewrap: the host's file system read-only except
 * the hidden directories (empty), the build's mounts read-write at the same paths, a private
 * /tmp and /dev (so no other build's session directory on /dev/shm), its own PID namespace (so
 * `kill()` ends everything the build started) and no controlling terminal. The network is
 * shared (builds download dependencies). HOME is the build's own home directory bound over
 * /root when the caller mounts one there (see the agent's layout).
 */
export function createSandboxExecutor(options: SandboxOptions = {}): Executor {
  const bwrap = options.bwrap ?? "bwrap";
  const hide = (options.hide ?? []).filter((dir) => dir !== "/" && existsSync(dir));
  return {
    kind: "sandbox",
    describe: () => "the host, sandboxed by bubblewrap (read-only host, writable workspace)",
    pathInside: executorPath,
    start: (spec) => {
      const args = ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"];
      // A hidden directory that holds a mount (the builds directory) is covered first and the
      // mount bound back on top; one inside a mount (a data directory in the checkout that
      // `pipewright build` runs in) is covered after the mounts, or the mount would reveal it.
      const within = (dir: string, parent: string) => dir === parent || dir.startsWith(`${parent}/`);
      const inMount = (dir: string) => spec.mounts.some((m) => within(dir, m.hostPath) && dir !== m.hostPath);
      for (const dir of hide.filter((d) => !inMount(d))) args.push("--tmpfs", dir);
      for (const m of spec.mounts) args.push(m.readOnly ? "--ro-bind" : "--bind", m.hostPath, m.path);
      for (const dir of hide.filter(inMount)) {
        args.push("--tmpfs", executorPath(dir, spec.mounts));
      }
      // No --new-session: startProcess already makes bwrap lead a new session without a
      // controlling terminal (so TIOCSTI cannot reach one), and keeping the sandbox's processes in
      // bwrap's process group lets kill() SIGKILL all of them at once. With their own session
      // they outlived bwrap for a moment, saw their stdin close and ran one more command.
      args.push("--unshare-pid", "--die-with-parent", "--chdir", spec.workdir, "--");
      args.push(spec.shell, ...(spec.shellOptions ?? []), "-c", spec.script);
      return startProcess(bwrap, args, spec);
    },
  };
}

/** Where the sandbox sees a host path: under the most specific mount holding it, else in place. */
function executorPath(hostPath: string, mounts: readonly Mount[]): string {
  const m = [...mounts]
    .filter((x) => hostPath === x.hostPath || hostPath.startsWith(`${x.hostPath}/`))
    .sort((a, b) => b.hostPath.length - a.hostPath.length)[0];
  return m ? m.path + hostPath.slice(m.hostPath.length) : hostPath;
}

/** Whether bubblewrap is installed and allowed to create namespaces here (checked once per call). */
export function sandboxAvailable(bwrap = "bwrap"): { ok: true } | { ok: false; reason: string } {
  const probe = spawnSync(bwrap, ["--ro-bind", "/", "/", "--dev", "/dev", "--unshare-pid", "true"], {
    stdio: ["ignore", "ignore", "pipe"],
    timeout: 5000,
  });
  if (probe.error) return { ok: false, reason: `${bwrap} is not installed (${probe.error.message})` };
  if (probe.status !== 0)
    return { ok: false, reason: `${bwrap} cannot create a sandbox here: ${probe.stderr.toString().trim()}` };
  return { ok: true };
}
