import { realpath } from "node:fs/promises";
import { dirname, relative, resolve } from "node:path";
import { type ArtifactPattern, compileArtifactPattern } from "../buildspec/artifact-glob.js";
import { expandDirectories, expandPattern, type FoundFile, isInside } from "./file-walk.js";

/**
 * CodeBuild's file selection (spec/buildspec.md §3.6), shared by artifacts and reports: globs
 * read from the primary source directory or `base-directory` (never the shell's working
 * directory, which this code does not know), base-directory globs merging several directories,
 * exclusions, flattening, and CodeBuild's upload log lines.
 */

/** The keys of an `artifacts` (or `reports`) block that choose files; values already expanded. */
export interface FileSetSpec {
  readonly files: readonly string[];
  readonly baseDirectory?: string;
  readonly excludePaths: readonly string[];
  readonly discardPaths: boolean;
  readonly enableSymlinks: boolean;
}

export interface SelectionOptions {
  /** The primary source directory ($CODEBUILD_SRC_DIR). */
  readonly sourceDir: string;
  /** Everything a build may hand out lies below this directory; sourceDir is inside it. */
  readonly buildRoot: string;
}

export interface SelectedFile {
  /** The file to read (for a followed symlink, its target). */
  readonly hostPath: string;
  /** Its path inside the artifact (posix, relative). */
  readonly zipName: string;
  /** Set when the entry is a symlink kept as one (enable-symlinks): the link's target text. */
  readonly symlinkTarget?: string;
}

/** A selected file with where it was found (through link names), for reports' raw-data paths. */
export interface LocatedFile extends SelectedFile {
  readonly logicalPath: string;
}

export type SelectionResult =
  | { readonly ok: true; readonly files: LocatedFile[]; readonly log: string[] }
  | { readonly ok: false; readonly message: string; readonly log: string[] };

/**
 * Selects the files `spec` names. Fails (ok: false, the message naming the key and the
 * pattern) for a pattern that does not compile and for a base-directory or pattern whose path
 * leaves `buildRoot`; symlinks resolving outside it are skipped with a log line. An empty
 * selection is not a failure here (artifacts and reports treat it differently).
 *
 * Files come in pattern order (sorted by name within a pattern), each once. When two files get
 * the same zipName (discard-paths, merged base directories) the later one replaces the earlier
 * at the earlier's position, with a log line.
 */
export async function selectFiles(spec: FileSetSpec, options: SelectionOptions): Promise<SelectionResult> {
  const log: string[] = [];
  const fail = (message: string): SelectionResult => ({ ok: false, message, log });
  const buildRoot = await realpath(options.buildRoot);
  const sourceDir = await realpath(options.sourceDir);
  if (!isInside(sourceDir, buildRoot)) {
    throw new Error(
      `file selection: source directory ${sourceDir} is not inside the build root ${buildRoot}`,
    );
  }
  const compiled = compileAll(spec);
  if (!compiled.ok) return fail(compiled.message);
  const { base, files, excludes } = compiled;
  const walk = {
    enableSymlinks: spec.enableSymlinks,
    boundary: buildRoot,
    log: (line: string) => log.push(line),
  };

  const baseText = spec.baseDirectory ?? ".";
  log.push(`Expanding base directory path: ${baseText}`, "Assembling file list", `Expanding ${baseText}`);
  if (base !== undefined && !isInside(literalRoot(base, sourceDir), buildRoot)) {
    return fail(`base-directory '${baseText}' is outside the build root ${buildRoot}`);
  }
  const baseDirs = base === undefined ? [sourceDir] : await expandDirectories(base, sourceDir, { ...walk });
  if (baseDirs.length === 0) log.push(`Skipping invalid base directory path ${baseText}`);

  const selected = new Map<string, LocatedFile>();
  for (const baseDir of baseDirs) {
    log.push(
      `Expanding file paths for base directory ${display(baseDir, sourceDir)}`,
      "Assembling file list",
    );
    for (const pattern of files) {
      const root = literalRoot(pattern, baseDir);
      if (!isInside(root, buildRoot)) {
        return fail(
          `files pattern '${pattern.source}' resolves to ${root}, outside the build root ${buildRoot}`,
        );
      }
      log.push(`Expanding ${pattern.source}`);
      const found = await expandPattern(pattern, baseDir, walk);
      if (found.length === 0) log.push(`Skipping invalid file path ${pattern.source}`);
      for (const file of found) {
        const path = zipPath(file, baseDir, pattern, root);
        if (excludes.some((exclude) => exclude.matches(path))) continue;
        add(selected, toSelected(file, spec.discardPaths ? path.split("/").pop()! : path), log);
      }
    }
  }
  if (selected.size > 0) log.push(`Found ${selected.size} file(s)`);
  return { ok: true, files: [...selected.values()], log };
}

type Compiled =
  | { ok: true; base?: ArtifactPattern; files: ArtifactPattern[]; excludes: ArtifactPattern[] }
  | { ok: false; message: string };

function compileAll(spec: FileSetSpec): Compiled {
  const compileList = (key: string, patterns: readonly string[]) => {
    const out: ArtifactPattern[] = [];
    for (const pattern of patterns) {
      const result = compileArtifactPattern(pattern);
      if (!result.ok) return { ok: false as const, message: `${key}: ${result.error}` };
      out.push(result.value);
    }
    return { ok: true as const, patterns: out };
  };
  const files = compileList("files", spec.files);
  if (!files.ok) return files;
  const excludes = compileList("exclude-paths", spec.excludePaths);
  if (!excludes.ok) return excludes;
  if (spec.baseDirectory === undefined)
    return { ok: true, files: files.patterns, excludes: excludes.patterns };
  const base = compileList("base-directory", [spec.baseDirectory]);
  if (!base.ok) return base;
  return { ok: true, base: base.patterns[0]!, files: files.patterns, excludes: excludes.patterns };
}

/** Where a pattern's literal part points, read from `from` (lexically: `..` is applied as text). */
function literalRoot(pattern: ArtifactPattern, from: string): string {
  return pattern.absolute ? resolve(pattern.literalPrefix) : resolve(from, pattern.literalPrefix);
}

/**
 * A file's path inside the artifact: relative to its base directory. Decision: a pattern that
 * leaves the base directory (`../README.md`, an absolute path inside the build root) names its
 * files from the pattern's literal root instead (a plain path keeps its last component:
 * `../shared` gives `shared/...`), since `../` cannot appear in a zip.
 */
function zipPath(file: FoundFile, baseDir: string, pattern: ArtifactPattern, root: string): string {
  if (isInside(file.logicalPath, baseDir) && file.logicalPath !== baseDir)
    return relative(baseDir, file.logicalPath);
  const anchor = pattern.plainPath ? dirname(root) : root;
  return relative(anchor, file.logicalPath);
}

function toSelected(file: FoundFile, zipName: string): LocatedFile {
  const { hostPath, logicalPath } = file;
  return file.symlinkTarget === undefined
    ? { hostPath, zipName, logicalPath }
    : { hostPath, zipName, symlinkTarget: file.symlinkTarget, logicalPath };
}

function add(selected: Map<string, LocatedFile>, file: LocatedFile, log: string[]): void {
  const earlier = selected.get(file.zipName);
  if (earlier !== undefined && earlier.hostPath !== file.hostPath) {
    log.push(`Duplicate artifact path ${file.zipName}: ${file.hostPath} replaces ${earlier.hostPath}`);
  }
  selected.set(file.zipName, file);
}

function display(dir: string, sourceDir: string): string {
  if (!isInside(dir, sourceDir)) return dir;
  return relative(sourceDir, dir) || ".";
}
