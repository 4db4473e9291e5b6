import { constants } from "node:fs";
import {
  chmod,
  copyFile,
  lstat,
  lutimes,
  mkdir,
  realpath,
  stat,
  symlink,
  unlink,
  utimes,
} from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { type ArtifactPattern, compileArtifactPattern } from "../buildspec/artifact-glob.js";
import type { CacheSpec } from "../buildspec/types.js";
import { findByPrefix, findSlot, type Slot, writeSlot } from "./cache-slots.js";
import { expandPattern, type FoundFile, isInside } from "./file-walk.js";

export interface CacheOptions {
  /** The project's cache directory (created on first save). */
  readonly cacheRoot: string;
  /** The primary source directory, on the host: relative cache paths are read from here. */
  readonly sourceDir: string;
  /** Receives the agent's cache log lines. */
  readonly log: (line: string) => void;
  /**
   * Maps an absolute path as the build sees it (`/root/.m2`) to the host (container and
   * sandbox builds see other paths than the host; default: the path itself).
   */
  readonly toHost?: (insidePath: string) => string;
}

/**
 * Restores the buildspec's cache (spec/buildspec.md §3.7) before the build: without `key`, the
 * project's one unkeyed slot; with `key`, the slot of exactly that key, else the most recently
 * written slot whose key starts with the first `fallback-keys` entry that has one. Only files
 * the current `paths` match are restored (a slot written for other paths never writes
 * elsewhere), relative paths into sourceDir and absolute ones through `toHost`; files and
 * symlinks are replaced, never written through a symlink. `action: save` restores nothing. A
 * miss is a log line, not an error; errors are infrastructure problems.
 */
export async function restoreCache(spec: CacheSpec, options: CacheOptions): Promise<void> {
  if (spec.action === "save") return options.log("Skipping cache download: the cache action is save");
  if (spec.paths.length === 0)
    return options.log("Unable to initialize cache download: no paths specified to be cached");
  const slot = await chooseSlot(spec, options);
  if (slot === undefined) return;
  const sourceDir = await realpath(options.sourceDir);
  let restored = 0;
  for (const pattern of compilePaths(spec, options.log)) {
    const place = placeOf(pattern, sourceDir, options.toHost);
    if (place === undefined) continue;
    const inSlot = join(slot.dir, place.slotPath);
    const files = await expandPattern({ ...pattern, absolute: true, literalPrefix: inSlot }, "/", {
      enableSymlinks: true,
      log: () => {},
    });
    for (const file of files) {
      const target = join(place.host, relative(inSlot, file.logicalPath));
      if (await restoreFile(file.hostPath, file.symlinkTarget, target, place.anchor, options.log)) restored++;
    }
  }
  options.log(`Restored ${restored} cache file(s)`);
}

/**
 * Saves the buildspec's cache after the build: copies every file `paths` match (symlinks kept
 * as symlinks, modes and modification times kept) into a new slot that appears atomically.
 * The unkeyed slot is replaced on each save; a keyed slot is immutable, so saving an existing
 * key is skipped with a log line, and so is a save that matches no file (an empty keyed slot
 * would stay empty forever). `action: restore` saves nothing. Relative paths that leave
 * sourceDir, and symlinks under them resolving outside it, are skipped with a log line.
 */
export async function saveCache(spec: CacheSpec, options: CacheOptions): Promise<void> {
  if (spec.action === "restore") return options.log("Skipping cache upload: the cache action is restore");
  if (spec.paths.length === 0)
    return options.log("Unable to initialize cache upload: no paths specified to be cached");
  if (spec.key !== undefined && (await findSlot(options.cacheRoot, spec.key)) !== undefined) {
    return options.log(`Cache for key ${spec.key} already exists and is immutable; skipping cache upload`);
  }
  const sourceDir = await realpath(options.sourceDir);
  const entries: { file: FoundFile; slotPath: string }[] = [];
  for (const pattern of compilePaths(spec, options.log)) {
    const place = placeOf(pattern, sourceDir, options.toHost);
    if (place === undefined) {
      options.log(`Skipping cache path ${pattern.source}: it leaves the source directory`);
      continue;
    }
    // Relative paths stay in the source directory even through symlinks; absolute ones are the user's call.
    const walk = {
      enableSymlinks: true,
      log: options.log,
      ...(pattern.absolute ? {} : { boundary: sourceDir, boundaryLabel: "the source directory" }),
    };
    for (const file of await expandPattern(
      { ...pattern, absolute: true, literalPrefix: place.host },
      "/",
      walk,
    )) {
      entries.push({ file, slotPath: join(place.slotPath, relative(place.host, file.logicalPath)) });
    }
  }
  if (entries.length === 0) return options.log("No files match the cache paths; nothing to upload");
  options.log(spec.key === undefined ? "Saving cache" : `Saving cache for key ${spec.key}`);
  const written = await writeSlot(options.cacheRoot, spec.key, async (slotDir) => {
    for (const { file, slotPath } of entries) {
      const target = join(slotDir, slotPath);
      await mkdir(dirname(target), { recursive: true });
      await copyEntry(file.hostPath, file.symlinkTarget, target);
    }
  });
  if (!written)
    return options.log(`Cache for key ${spec.key} was saved by another build meanwhile; keeping that one`);
  options.log(`Saved ${entries.length} cache file(s)`);
}

async function chooseSlot(spec: CacheSpec, options: CacheOptions): Promise<Slot | undefined> {
  if (spec.key === undefined) {
    const slot = await findSlot(options.cacheRoot, undefined);
    options.log(slot === undefined ? "No cache found to restore" : "Restoring cache");
    return slot;
  }
  const exact = await findSlot(options.cacheRoot, spec.key);
  if (exact !== undefined) {
    options.log(`Restoring cache from key ${spec.key}`);
    return exact;
  }
  for (const fallback of spec.fallbackKeys) {
    const slot = await findByPrefix(options.cacheRoot, fallback);
    if (slot !== undefined) {
      options.log(
        `Cache miss for key ${spec.key}; restoring cache from fallback key ${fallback} (${slot.meta.key})`,
      );
      return slot;
    }
  }
  options.log(`Cache miss for key ${spec.key} and its fallback keys; nothing to restore`);
  return undefined;
}

function compilePaths(spec: CacheSpec, log: (line: string) => void): ArtifactPattern[] {
  const patterns: ArtifactPattern[] = [];
  for (const path of spec.paths) {
    const compiled = compileArtifactPattern(path);
    if (compiled.ok) patterns.push(compiled.value);
    else log(`Skipping cache path ${path}: ${compiled.error}`);
  }
  return patterns;
}

interface Place {
  /** The pattern's literal root on the host. */
  readonly host: string;
  /** The same place inside a slot: `rel/<path>` or `abs/<path as the build sees it>`. */
  readonly slotPath: string;
  /** Restores may create directories below this, but never pass through a symlink below it. */
  readonly anchor: string;
}

/** Where a pattern's files live; undefined for a relative pattern that leaves sourceDir. */
function placeOf(pattern: ArtifactPattern, sourceDir: string, toHost = (p: string) => p): Place | undefined {
  if (pattern.absolute) {
    const inside = resolve(pattern.literalPrefix);
    const host = toHost(inside);
    // A plain path may name a file, which must not be created as a directory.
    return { host, slotPath: join("abs", inside), anchor: pattern.plainPath ? dirname(host) : host };
  }
  const host = resolve(sourceDir, pattern.literalPrefix);
  if (!isInside(host, sourceDir)) return undefined;
  return { host, slotPath: join("rel", relative(sourceDir, host)), anchor: sourceDir };
}

async function copyEntry(from: string, symlinkTarget: string | undefined, to: string): Promise<void> {
  const info = symlinkTarget === undefined ? await stat(from) : await lstat(from);
  if (symlinkTarget !== undefined) {
    await symlink(symlinkTarget, to);
    await lutimes(to, info.atime, info.mtime);
    return;
  }
  await copyFile(from, to, constants.COPYFILE_FICLONE);
  await chmod(to, info.mode & 0o7777);
  await utimes(to, info.atime, info.mtime);
}

/** Puts one cached entry at `target`; false (with a log line) when something is in the way. */
async function restoreFile(
  from: string,
  symlinkTarget: string | undefined,
  target: string,
  anchor: string,
  log: (line: string) => void,
): Promise<boolean> {
  const blocked = await prepareParents(target, anchor);
  if (blocked !== undefined) {
    log(`Skipping cache file ${target}: ${blocked}`);
    return false;
  }
  const existing = await lstat(target).catch(() => undefined);
  if (existing?.isDirectory()) {
    log(`Skipping cache file ${target}: a directory is in the way`);
    return false;
  }
  if (existing !== undefined) await unlink(target);
  await copyEntry(from, symlinkTarget, target);
  return true;
}

/** Creates target's parent directories below anchor; says why not when a non-directory is in the way. */
async function prepareParents(target: string, anchor: string): Promise<string | undefined> {
  await mkdir(anchor, { recursive: true });
  const parts = relative(anchor, dirname(target))
    .split("/")
    .filter((part) => part !== "");
  let current = anchor;
  for (const part of parts) {
    current = join(current, part);
    const info = await lstat(current).catch(() => undefined);
    if (info === undefined) await mkdir(current);
    else if (info.isSymbolicLink()) return `${current} is a symlink`;
    else if (!info.isDirectory()) return `${current} is not a directory`;
  }
  return undefined;
}
