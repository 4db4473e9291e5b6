import { spawnSync } from "node:child_process";
import type { Executor } from "../types.js";
import { startProcess } from "./host-executor.js";

/**
 * Runs a build's shell on the host inside bubblewrap: the host's file system read-only, the
 * build's mounts read-write at the same paths, a private /tmp, its own PID namespace (so
 * `kill()` ends everything the build started) and no controlling terminal. The network is shared (builds
 * download dependencies). HOME is the build's own home directory bound over /root when the
 * caller mounts one there (see the agent's layout).
 */
export function createSandboxExecutor(bwrap = "bwrap"): Executor {
  return {
    kind: "sandbox",
    describe: () => "the host, sandboxed by bubblewrap (read-only host, writable workspace)",
    pathInside: (hostPath, mounts) => {
      const m = [...mounts]
        .filter((x) => hostPath === x.hostPath || hostPath.startsWith(`${x.hostPath}/`))
        .sort((a, b) => b.hostPath.length - a.hostPath.length)[0];
      return m ? m.path + hostPath.slice(m.hostPath.length) : hostPath;
    },
    start: (spec) => {
      const args = ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"];
      for (const m of spec.mounts) args.push(m.readOnly ? "--ro-bind" : "--bind", m.hostPath, m.path);
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
