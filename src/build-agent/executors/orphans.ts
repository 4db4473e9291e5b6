import { readdirSync, readFileSync } from "node:fs";

/** What every build shell's command line holds: its session directory, named after the owner's pid. */
const SESSION_MARK = /pipewright-session-(\d+)-/u;

/**
 * Ends the processes of builds whose Pipewright died (SIGKILL, OOM): a host build's shell leads
 * its own process group, so it outlives the server that started it, and would go on running
 * (and writing into a workspace the next server removes). Each is found by its command line
 * (the bootstrap names `<tmpfs>/pipewright-session-<owner pid>-*`) and, when that owner pid no
 * longer exists, its whole process group gets SIGKILL. Sandboxed builds die with their server
 * (bubblewrap's --die-with-parent); containers are cleared by removeLeftoverContainers. Linux
 * only (/proc); elsewhere it finds nothing. Returns the process groups it ended.
 */
export function killOrphanedBuildProcesses(procDir = "/proc"): number[] {
  const killed: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync(procDir);
  } catch {
    return killed;
  }
  for (const entry of entries) {
    if (!/^\d+$/u.test(entry)) continue;
    const pid = Number(entry);
    let cmdline: string;
    let stat: string;
    try {
      cmdline = readFileSync(`${procDir}/${entry}/cmdline`, "latin1");
      stat = readFileSync(`${procDir}/${entry}/stat`, "latin1");
    } catch {
      continue;
    }
    const owner = Number(SESSION_MARK.exec(cmdline)?.[1]);
    if (!Number.isInteger(owner) || owner <= 0 || owner === process.pid || alive(owner)) continue;
    // Field 5 of stat (after the parenthesised command) is the process group.
    const pgrp = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
    if (pgrp !== pid || killed.includes(pgrp)) continue;
    try {
      process.kill(-pgrp, "SIGKILL");
      killed.push(pgrp);
    } catch {
      // Gone already.
    }
  }
  return killed;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
