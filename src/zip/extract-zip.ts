import { constants } from "node:fs";
import { chmod, lstat, lutimes, mkdir, open, realpath, symlink, unlink, utimes } from "node:fs/promises";
import { dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { type ByteSource, openByteSource } from "./byte-source.js";
import { readCentralDirectory } from "./central-directory.js";
import { readEntryData } from "./entry-data.js";
import { type PlannedEntry, planExtraction } from "./extraction-plan.js";

export interface ExtractZipOptions {
  /**
   * Recreate symlink entries (default false: an archive holding any symlink is refused). Even
   * when allowed, a symlink whose target resolves outside destDir is refused.
   */
  readonly allowSymlinks?: boolean;
}

/**
 * Extracts a zip archive (a file path, read piecewise through a handle, or bytes) into
 * `destDir`, creating it if needed. Supports stored and deflate entries, data descriptors and
 * ZIP64. Restores permission bits (setuid/setgid/sticky dropped) and modification times of
 * files, directories and symlinks. When a name appears twice, the later entry wins.
 *
 * Safety: the whole archive is checked first (see planExtraction) and refused with an Error
 * naming the entry before anything is written; symlinks are created after every file and
 * directory, and no entry is ever written through a symlink (an existing symlink in the way of
 * a directory is an error; one in place of a file is replaced, never followed).
 *
 * Returns the extracted entries' relative paths (normalized, directories without trailing
 * slash), in archive order.
 */
export async function extractZip(
  source: string | Uint8Array,
  destDir: string,
  options: ExtractZipOptions = {},
): Promise<string[]> {
  await mkdir(destDir, { recursive: true });
  const root = await realpath(destDir);
  const bytes = await openByteSource(source);
  try {
    const entries = await readCentralDirectory(bytes);
    const plan = await planExtraction(bytes, entries, root, options.allowSymlinks === true);
    const directories = new Directories(root);
    const links: (PlannedEntry & { target: string })[] = [];
    for (const item of plan.entries) {
      if (item.target !== undefined) links.push({ ...item, target: item.target });
      else if (item.entry.kind === "directory") await directories.ensure(item.path, item.path);
      else await writeFile(bytes, item, root, directories);
    }
    for (const link of links) {
      await directories.ensure(dirname(link.path), link.path);
      const host = join(root, link.path);
      await removeNonDirectory(host, link.path);
      await symlink(link.target, host);
      await lutimes(host, link.entry.mtime, link.entry.mtime);
    }
    await restoreDirectoryAttributes(root, plan.entries);
    return plan.entries.map((item) => item.path);
  } finally {
    await bytes.close();
  }
}

async function writeFile(
  bytes: ByteSource,
  item: PlannedEntry,
  root: string,
  directories: Directories,
): Promise<void> {
  await directories.ensure(dirname(item.path), item.path);
  const host = join(root, item.path);
  await removeNonDirectory(host, item.path);
  // O_EXCL after the unlink: if something races a symlink into place, we fail instead of following it.
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  const handle = await open(host, flags, 0o600);
  await pipeline(readEntryData(bytes, item.entry), handle.createWriteStream());
  await chmod(host, item.entry.mode ?? 0o644);
  await utimes(host, item.entry.mtime, item.entry.mtime);
}

/** Makes room for a file or symlink: removes whatever non-directory is there. */
async function removeNonDirectory(host: string, name: string): Promise<void> {
  const existing = await lstat(host).catch(() => undefined);
  if (existing === undefined) return;
  if (existing.isDirectory()) throw new Error(`zip: entry '${name}' would replace the directory '${host}'`);
  await unlink(host);
}

/** Creates directories below root, refusing to pass through anything but real directories. */
class Directories {
  private readonly known = new Set<string>(["."]);

  constructor(private readonly root: string) {}

  async ensure(path: string, entryName: string): Promise<void> {
    if (this.known.has(path)) return;
    const segments = path.split("/");
    for (let i = 1; i <= segments.length; i++) {
      const prefix = segments.slice(0, i).join("/");
      if (this.known.has(prefix)) continue;
      const host = join(this.root, prefix);
      const existing = await lstat(host).catch(() => undefined);
      if (existing === undefined) await mkdir(host, { mode: 0o755 });
      else if (existing.isSymbolicLink()) {
        throw new Error(
          `zip: refusing entry '${entryName}': it would be written through the symlink '${prefix}'`,
        );
      } else if (!existing.isDirectory()) {
        throw new Error(`zip: entry '${entryName}' needs '${prefix}' to be a directory, but it is a file`);
      }
      this.known.add(prefix);
    }
  }
}

/** Directory modes and times go last (deepest first): a read-only directory must be filled first. */
async function restoreDirectoryAttributes(root: string, entries: readonly PlannedEntry[]): Promise<void> {
  const directories = entries
    .filter((item) => item.entry.kind === "directory")
    .sort((a, b) => b.path.split("/").length - a.path.split("/").length);
  for (const item of directories) {
    const host = join(root, item.path);
    await chmod(host, item.entry.mode ?? 0o755);
    await utimes(host, item.entry.mtime, item.entry.mtime);
  }
}
