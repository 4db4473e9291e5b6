import { lstat, readdir, readlink, realpath, stat } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import type { ArtifactPattern } from "../buildspec/artifact-glob.js";

/**
 * Finding the files a CodeBuild pattern names on disk (artifacts, reports, cache). Symlinks:
 * with `enableSymlinks` a link is kept as a link (never descended into); without, links are
 * followed, to files and to directories (whose contents are walked, cycles skipped). Either
 * way a link resolving outside `boundary` is skipped with a log line; a dangling link is kept
 * as a link with `enableSymlinks` (if its target text stays inside) and skipped otherwise.
 */

export interface FoundFile {
  /** Where the file appears: below the pattern's root, through link names (not resolved). */
  readonly logicalPath: string;
  /** What to read: the real path (a followed link's target). */
  readonly hostPath: string;
  /** Set when the file is a symlink to keep as one: the link's target text. */
  readonly symlinkTarget?: string;
}

export interface WalkOptions {
  readonly enableSymlinks: boolean;
  /** A real path nothing may resolve outside of (the build root); absent: no limit. */
  readonly boundary?: string;
  /** How log lines name the boundary (default "the build root"). */
  readonly boundaryLabel?: string;
  readonly log: (line: string) => void;
}

/** Whether `path` is `root` or below it (both absolute). */
export function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === "" || !(rel === ".." || rel.startsWith("../") || isAbsolute(rel));
}

/**
 * The files `pattern` matches with relative patterns read from `baseDir` (an absolute path).
 * The caller has checked that the pattern's literal root stays inside the boundary.
 */
export async function expandPattern(
  pattern: ArtifactPattern,
  baseDir: string,
  options: WalkOptions,
): Promise<FoundFile[]> {
  const root = pattern.absolute ? pattern.literalPrefix : resolve(baseDir, pattern.literalPrefix);
  const found: FoundFile[] = [];
  const walker = new Walker(options, found);
  if (pattern.plainPath) {
    // A plain path naming a directory (or a link to one, even with enableSymlinks) means its contents.
    const real = await realpath(root).catch(() => undefined);
    if (real !== undefined && (await stat(real)).isDirectory()) {
      const dir = await walker.directory(root);
      if (dir !== undefined) await walker.walk(root, dir, Number.POSITIVE_INFINITY, () => true);
      return found;
    }
    // A file (or link): lstat follows links in the parent components, so resolve those first.
    const parent = await walker.directory(dirname(root));
    if (parent !== undefined)
      await walker.visit(root, join(parent, basename(root)), Number.POSITIVE_INFINITY, () => true);
    return found;
  }
  const rootDir = await walker.directory(root);
  if (rootDir === undefined) return found;
  await walker.walk(root, rootDir, pattern.depthBelowPrefix, (logical) =>
    pattern.matchesBelowPrefix(relative(root, logical)),
  );
  return found;
}

/**
 * The directories a (possibly wildcard) base-directory pattern names, as logical absolute
 * paths in walk order; links to directories inside the boundary count as directories.
 */
export async function expandDirectories(
  pattern: ArtifactPattern,
  from: string,
  options: WalkOptions,
): Promise<string[]> {
  const root = pattern.absolute ? pattern.literalPrefix : resolve(from, pattern.literalPrefix);
  const walker = new Walker({ ...options, enableSymlinks: false }, []);
  const rootDir = await walker.directory(root);
  if (rootDir === undefined) return [];
  if (pattern.plainPath) return [root];
  return walker.directories(root, rootDir, pattern.depthBelowPrefix, (logical) =>
    pattern.matchesBelowPrefix(relative(root, logical)),
  );
}

class Walker {
  /** Real directories on the current descent, to stop symlink cycles. */
  private readonly descending = new Set<string>();

  constructor(
    private readonly options: WalkOptions,
    private readonly found: FoundFile[],
  ) {}

  /** The real path of `path` if it is (or links to) a directory inside the boundary. */
  async directory(path: string): Promise<string | undefined> {
    const real = await realpath(path).catch(() => undefined);
    if (real === undefined || !(await stat(real)).isDirectory()) return undefined;
    if (!this.allowed(real)) {
      this.options.log(`Skipping ${path}: it resolves to ${real}, outside ${this.label}`);
      return undefined;
    }
    return real;
  }

  async walk(
    logical: string,
    real: string,
    depth: number,
    wanted: (logical: string) => boolean,
  ): Promise<void> {
    if (depth <= 0 || this.descending.has(real)) return;
    this.descending.add(real);
    try {
      for (const name of await sortedNames(real)) {
        await this.visit(join(logical, name), join(real, name), depth - 1, wanted);
      }
    } finally {
      this.descending.delete(real);
    }
  }

  /** Visits one node: `depth` is how many more levels below it may still be walked. */
  async visit(
    logical: string,
    host: string,
    depth: number,
    wanted: (logical: string) => boolean,
  ): Promise<void> {
    const info = await lstat(host).catch(() => undefined);
    if (info === undefined) return;
    if (info.isDirectory()) return this.walk(logical, host, depth, wanted);
    if (info.isFile()) {
      if (wanted(logical)) this.found.push({ logicalPath: logical, hostPath: host });
      return;
    }
    if (!info.isSymbolicLink()) {
      if (wanted(logical)) this.options.log(`Skipping ${logical}: not a regular file, directory or symlink`);
      return;
    }
    const target = await readlink(host);
    const real = await realpath(host).catch(() => undefined);
    const resolved = real ?? resolve(dirname(host), target);
    if (!this.allowed(resolved)) {
      if (wanted(logical) || real !== undefined) {
        this.options.log(`Skipping symlink ${logical} -> ${target}: it points outside ${this.label}`);
      }
      return;
    }
    if (this.options.enableSymlinks) {
      if (wanted(logical)) this.found.push({ logicalPath: logical, hostPath: host, symlinkTarget: target });
      return;
    }
    if (real === undefined) {
      if (wanted(logical))
        this.options.log(`Skipping symlink ${logical} -> ${target}: its target does not exist`);
      return;
    }
    const targetInfo = await stat(real);
    if (targetInfo.isDirectory()) return this.walk(logical, real, depth, wanted);
    if (targetInfo.isFile() && wanted(logical)) this.found.push({ logicalPath: logical, hostPath: real });
  }

  async directories(
    logical: string,
    real: string,
    depth: number,
    wanted: (logical: string) => boolean,
  ): Promise<string[]> {
    if (depth <= 0 || this.descending.has(real)) return [];
    this.descending.add(real);
    const out: string[] = [];
    try {
      for (const name of await sortedNames(real)) {
        const child = await this.directory(join(real, name));
        if (child === undefined) continue;
        const childLogical = join(logical, name);
        if (wanted(childLogical)) out.push(childLogical);
        out.push(...(await this.directories(childLogical, child, depth - 1, wanted)));
      }
    } finally {
      this.descending.delete(real);
    }
    return out;
  }

  private get label(): string {
    return this.options.boundaryLabel ?? "the build root";
  }

  private allowed(real: string): boolean {
    return this.options.boundary === undefined || isInside(real, this.options.boundary);
  }
}

async function sortedNames(dir: string): Promise<string[]> {
  const names = await readdir(dir);
  return names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
