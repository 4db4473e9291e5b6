import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { ConfigError } from "./config.js";

/** A ConfigError: the CLI prints its message and exits 2, with no stack. */
export class DataDirInUseError extends ConfigError {}

/**
 * One server per data directory. The embedded store is SQLite on this machine's disk, and the
 * queue's workers, the registry's garbage collector and the recovery at start-up all assume they
 * are the only server using it: a second one would rescue the first one's builds as lost. So a
 * server takes `<data>/server.lock` (created exclusively, holding `pid@host`) and a second one
 * is refused with a message that says who holds it. A lock left by a process that no longer
 * exists (SIGKILL) is taken over. (Several servers on one store is the PostgreSQL mode's job.)
 * Returns the release function.
 */
export function lockDataDir(dataDir: string): () => void {
  const file = join(dataDir, "server.lock");
  const me = `${process.pid}@${hostname()}@${startTimeOf(process.pid) ?? ""}`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, "wx", 0o600);
      writeSync(fd, me);
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(file, "utf8") === me) rmSync(file, { force: true });
        } catch {
          // Already gone.
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = readHolder(file);
    if (holder && holder.host === hostname() && holder.pid !== process.pid && running(holder)) {
      throw new DataDirInUseError(
        `another Pipewright server (pid ${holder.pid}) is using the data directory ${dataDir}; stop it first, or give this one its own --data-dir`,
      );
    }
    if (holder && holder.host !== hostname()) {
      throw new DataDirInUseError(
        `the data directory ${dataDir} is locked by a Pipewright server on host ${holder.host} (pid ${holder.pid}); if that server is gone, delete ${file}`,
      );
    }
    // Its process is gone (a crash): the lock is stale.
    rmSync(file, { force: true });
  }
  throw new DataDirInUseError(`cannot lock the data directory ${dataDir}: ${file} keeps coming back`);
}

interface Holder {
  readonly pid: number;
  readonly host: string;
  /** The process's start time (clock ticks since boot, /proc/<pid>/stat), when known. */
  readonly started?: string;
}

function readHolder(file: string): Holder | undefined {
  try {
    const [pid, host, started] = readFileSync(file, "utf8").trim().split("@");
    const n = Number(pid);
    if (!Number.isInteger(n) || n <= 0 || !host) return undefined;
    return { pid: n, host, ...(started ? { started } : {}) };
  } catch {
    return undefined;
  }
}

/** Whether the holder still runs: its pid exists and, where /proc tells, started when it did (pids are reused). */
function running(holder: Holder): boolean {
  if (!alive(holder.pid)) return false;
  const now = startTimeOf(holder.pid);
  return holder.started === undefined || now === undefined || now === holder.started;
}

function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
