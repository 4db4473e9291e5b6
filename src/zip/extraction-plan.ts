import { lstat, readlink } from "node:fs/promises";
import { isAbsolute, join, posix, relative } from "node:path";
import type { ByteSource } from "./byte-source.js";
import type { CentralEntry } from "./central-directory.js";
import { readEntryBytes } from "./entry-data.js";
import { normalizeEntryName } from "./entry-name.js";

/** An entry that passed the checks, with its safe relative path. */
export interface PlannedEntry {
  readonly entry: CentralEntry;
  readonly path: string;
}

export interface ExtractionPlan {
  /** Every entry to extract, in archive order (symlinks carry their target). */
  readonly entries: readonly (PlannedEntry & { readonly target?: string })[];
}

const MAX_LINK_HOPS = 40;
const MAX_TARGET_BYTES = 4096;

/**
 * Checks a whole archive before anything is written, so a refused archive leaves destDir
 * untouched. Refuses (an Error naming the entry): unsafe names (see normalizeEntryName), any
 * symlink when `allowSymlinks` is false, symlinks whose target resolves outside `root` (resolved
 * component by component through the archive's other symlinks and any already on disk, so
 * chains of individually harmless links cannot escape), and entries below one of the archive's
 * own symlinks (which would be written through it).
 */
export async function planExtraction(
  source: ByteSource,
  entries: readonly CentralEntry[],
  root: string,
  allowSymlinks: boolean,
): Promise<ExtractionPlan> {
  // path -> entry; a later entry with the same path replaces the earlier one ("last wins").
  const planned = new Map<string, PlannedEntry & { target?: string }>();
  const links = new Map<string, string>();
  const paths = new Set<string>();
  for (const entry of entries) {
    const normalized = normalizeEntryName(entry.name);
    if (!normalized.ok) throw refusal(entry.name, `its name ${normalized.error}`);
    if (normalized.value === "") continue;
    const path = normalized.value;
    paths.add(path);
    planned.delete(path);
    if (entry.kind !== "symlink") {
      links.delete(path);
      planned.set(path, { entry, path });
      continue;
    }
    if (!allowSymlinks) throw refusal(entry.name, "it is a symbolic link and symlinks are not allowed here");
    if (entry.size > MAX_TARGET_BYTES) throw refusal(entry.name, "its symlink target is implausibly long");
    const target = (await readEntryBytes(source, entry)).toString("utf8");
    if (target === "" || target.includes("\0"))
      throw refusal(entry.name, "its symlink target is empty or has a NUL");
    links.set(path, target);
    planned.set(path, { entry, path, target });
  }
  for (const path of paths) {
    const segments = path.split("/");
    for (let i = 1; i < segments.length; i++) {
      const prefix = segments.slice(0, i).join("/");
      if (links.has(prefix))
        throw refusal(path, `it would be written through the symlink '${prefix}' in the same archive`);
    }
  }
  for (const [path, target] of links) {
    const resolved = await resolveInside(root, posix.dirname(path), target, links, paths);
    if (resolved !== "inside") throw refusal(path, `its symlink target '${target}' ${resolved}`);
  }
  return { entries: [...planned.values()] };
}

function refusal(name: string, reason: string): Error {
  return new Error(`zip: refusing entry '${name}': ${reason}`);
}

/**
 * Follows `target` from directory `from` (relative to root) one component at a time, expanding
 * symlinks of the archive (`links`) and, for paths the archive does not create, symlinks
 * already on disk. Returns "inside" or why not.
 */
async function resolveInside(
  root: string,
  from: string,
  target: string,
  links: ReadonlyMap<string, string>,
  archivePaths: ReadonlySet<string>,
): Promise<string> {
  let stack = from === "." ? [] : from.split("/");
  let queue = target.split("/");
  if (isAbsolute(target)) {
    const inRoot = relative(root, target);
    if (isOutside(inRoot)) return "points outside the extraction directory";
    stack = [];
    queue = inRoot.split("/");
  }
  let hops = 0;
  while (queue.length > 0) {
    const component = queue.shift()!;
    if (component === "" || component === ".") continue;
    if (component === "..") {
      if (stack.length === 0) return "points outside the extraction directory";
      stack.pop();
      continue;
    }
    const candidate = [...stack, component].join("/");
    const link =
      links.get(candidate) ?? (archivePaths.has(candidate) ? undefined : await diskLink(root, candidate));
    if (link === undefined) {
      stack.push(component);
      continue;
    }
    if (++hops > MAX_LINK_HOPS) return "goes through too many levels of symbolic links";
    if (isAbsolute(link)) {
      const inRoot = relative(root, link);
      if (isOutside(inRoot))
        return `goes through '${candidate}', which points outside the extraction directory`;
      stack = [];
      queue = [...inRoot.split("/"), ...queue];
    } else {
      queue = [...link.split("/"), ...queue];
    }
  }
  return "inside";
}

async function diskLink(root: string, path: string): Promise<string | undefined> {
  const host = join(root, path);
  const info = await lstat(host).catch(() => undefined);
  return info?.isSymbolicLink() ? readlink(host) : undefined;
}

function isOutside(relativePath: string): boolean {
  return relativePath === ".." || relativePath.startsWith("../") || isAbsolute(relativePath);
}
