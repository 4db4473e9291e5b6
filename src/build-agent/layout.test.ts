import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  CONTAINER_SESSION_DIR,
  createLayout,
  mountsFor,
  removeOrphanedSessionDirs,
  removeSessionDir,
} from "./layout.js";

const made: string[] = [];
const temp = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The pid of a process that has ended (and been reaped). */
function deadPid(): number {
  const child = spawnSync("sh", ["-c", "echo $$"], { encoding: "utf8" });
  return Number(child.stdout.trim());
}

describe("build layout", () => {
  it("puts the session directory under the session parent, mounted for every executor, and removes it", async () => {
    const root = temp("pw-layout-root-");
    const shm = temp("pw-layout-shm-");
    const layout = await createLayout(root, { sessionParent: shm });
    expect(basename(layout.tmp)).toMatch(new RegExp(`^pipewright-session-${process.pid}-`));
    expect(statSync(layout.tmp).mode & 0o777).toBe(0o700);
    expect(mountsFor(layout, "host")).toContainEqual({
      hostPath: layout.tmp,
      path: layout.tmp,
      readOnly: false,
    });
    expect(mountsFor(layout, "sandbox")).toContainEqual({
      hostPath: layout.tmp,
      path: layout.tmp,
      readOnly: false,
    });
    expect(mountsFor(layout, "container")).toContainEqual({
      hostPath: layout.tmp,
      path: CONTAINER_SESSION_DIR,
      readOnly: false,
    });
    await removeSessionDir(layout);
    expect(existsSync(layout.tmp)).toBe(false);
  });

  it("falls back to <root>/tmp when the session parent cannot be written, and keeps it on removal", async () => {
    const root = temp("pw-layout-root-");
    const layout = await createLayout(root, { sessionParent: join(root, "missing") });
    expect(layout.tmp).toBe(join(root, "tmp"));
    expect(mountsFor(layout, "host")).toEqual([{ hostPath: root, path: root, readOnly: false }]);
    await removeSessionDir(layout);
    expect(existsSync(layout.tmp)).toBe(true);
  });

  it("removes session directories of processes that are gone, and only those", async () => {
    const shm = temp("pw-layout-shm-");
    const dead = deadPid();
    const orphan = join(shm, `pipewright-session-${dead}-abc123`);
    const live = join(shm, `pipewright-session-${process.pid}-def456`);
    const unrelated = join(shm, "pipewright-session-notapid");
    const other = join(shm, "someone-else");
    for (const dir of [orphan, live, unrelated, other]) mkdirSync(dir);
    expect(await removeOrphanedSessionDirs(shm)).toBe(1);
    expect(existsSync(orphan)).toBe(false);
    expect([live, unrelated, other].every((d) => existsSync(d))).toBe(true);
  });
});
