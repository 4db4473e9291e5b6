import { constants } from "node:fs";
import { access, mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Executor, Mount } from "./types.js";

/**
 * A build's directories on the host. `root` holds everything the build may write besides the
 * primary source directory, which `pipewright build` uses in place (outside root).
 *
 *   <root>/src           primary source (CODEBUILD_SRC_DIR), unless given elsewhere
 *   <root>/src_<id>      secondary sources (CODEBUILD_SRC_DIR_<id>)
 *   <root>/tmp           the session's command files and checkpoints, unless on tmpfs (below)
 *   <root>/home          HOME (/root) for sandboxed and container builds
 *
 * The session directory is written and rewritten on every command (the command file, and the
 * shell's checkpoint of its variables and directory). On ext4 creating or truncating a file
 * costs about 0.2 to 0.9 ms (it starts write-back), more than running a small command, so the
 * session directory goes to tmpfs (`/dev/shm/pipewright-session-*`) when that is writable
 * (measured in bench/builds.mjs). `removeSessionDir` deletes it at the end of the build.
 */
export interface BuildLayout {
  readonly root: string;
  readonly primary: string;
  readonly secondary: ReadonlyMap<string, string>;
  readonly tmp: string;
  readonly home: string;
}

/** Where session directories go when the caller does not say: tmpfs when it is writable. */
export const DEFAULT_SESSION_PARENT = "/dev/shm";

export async function createLayout(
  root: string,
  options: { primary?: string; secondaryIds?: readonly string[]; sessionParent?: string | null } = {},
): Promise<BuildLayout> {
  const secondary = new Map((options.secondaryIds ?? []).map((id) => [id, join(root, `src_${id}`)] as const));
  const sessionParent = options.sessionParent === undefined ? DEFAULT_SESSION_PARENT : options.sessionParent;
  const layout: BuildLayout = {
    root,
    primary: options.primary ?? join(root, "src"),
    secondary,
    tmp: (sessionParent && (await sessionDirIn(sessionParent))) || join(root, "tmp"),
    home: join(root, "home"),
  };
  for (const dir of [layout.primary, ...secondary.values(), layout.tmp, layout.home]) {
    await mkdir(dir, { recursive: true });
  }
  return layout;
}

/**
 * A fresh session directory under `parent` (`pipewright-session-<pid>-XXXXXX`, mode 0700), or
 * undefined when it cannot be written. Directories left by processes that no longer exist (a
 * crash mid-build) are removed first: they hold the build's variables, secrets included.
 */
async function sessionDirIn(parent: string): Promise<string | undefined> {
  try {
    await access(parent, constants.W_OK);
    await removeOrphanedSessionDirs(parent);
    return await mkdtemp(join(parent, `${SESSION_PREFIX}${process.pid}-`));
  } catch {
    return undefined;
  }
}

const SESSION_PREFIX = "pipewright-session-";

/** Removes session directories under `parent` whose process is gone; returns how many. */
export async function removeOrphanedSessionDirs(parent: string): Promise<number> {
  let removed = 0;
  for (const name of await readdir(parent).catch(() => [] as string[])) {
    const pid = Number(/^pipewright-session-(\d+)-/.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid <= 0 || processExists(pid)) continue;
    await rm(join(parent, name), { recursive: true, force: true }).catch(() => {});
    removed++;
  }
  return removed;
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Deletes the session directory when it lives outside the build root (on tmpfs). */
export async function removeSessionDir(layout: BuildLayout): Promise<void> {
  if (!isOutside(layout.tmp, layout.root)) return;
  await rm(layout.tmp, { recursive: true, force: true }).catch(() => {});
}

function isOutside(path: string, root: string): boolean {
  return path !== root && !path.startsWith(`${root}/`);
}

/** Where container builds see the build root (CodeBuild's own path prefix). */
export const CONTAINER_ROOT = "/codebuild/output";

/** Where container builds see a session directory kept outside the build root. */
export const CONTAINER_SESSION_DIR = "/codebuild/session";

/**
 * What the executor must make visible. Host builds see everything in place. Sandboxed builds
 * see the root and the primary source read-write at their own paths and the build's home at
 * /root. Containers see the root at /codebuild/output (the primary source at
 * /codebuild/output/src) and the home at /root.
 */
export function mountsFor(layout: BuildLayout, kind: Executor["kind"]): Mount[] {
  const inRoot = layout.primary.startsWith(`${layout.root}/`);
  const sessionOutside = isOutside(layout.tmp, layout.root);
  const session = (path: string): Mount[] =>
    sessionOutside ? [{ hostPath: layout.tmp, path, readOnly: false }] : [];
  if (kind === "host") {
    return [{ hostPath: layout.root, path: layout.root, readOnly: false }, ...session(layout.tmp)];
  }
  if (kind === "sandbox") {
    return [
      { hostPath: layout.home, path: "/root", readOnly: false },
      { hostPath: layout.root, path: layout.root, readOnly: false },
      ...(inRoot ? [] : [{ hostPath: layout.primary, path: layout.primary, readOnly: false }]),
      ...session(layout.tmp),
    ];
  }
  return [
    { hostPath: layout.root, path: CONTAINER_ROOT, readOnly: false },
    ...(inRoot ? [] : [{ hostPath: layout.primary, path: `${CONTAINER_ROOT}/src`, readOnly: false }]),
    { hostPath: layout.home, path: "/root", readOnly: false },
    ...session(CONTAINER_SESSION_DIR),
  ];
}
