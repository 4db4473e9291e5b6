import type { RepositoryTreeEntry } from "../../store/types.js";
import { apiError } from "../errors.js";
import { cleanPath, FILE_MODES, type FileMode, fileModeOf, isFileMode, parentOf } from "./file-paths.js";

/** CodeCommit's limits for CreateCommit. */
export const MAX_FILE_ENTRIES = 100;
export const MAX_CONTENT_BYTES = 6 * 1024 * 1024;

export interface PutFileRequest {
  readonly filePath?: string;
  readonly fileMode?: string;
  readonly fileContent?: Uint8Array;
  readonly sourceFile?: { readonly filePath?: string; readonly isMove?: boolean };
}

export interface CommitChangesRequest {
  readonly putFiles?: readonly PutFileRequest[];
  readonly deleteFiles?: readonly { readonly filePath?: string }[];
  readonly setFileModes?: readonly { readonly filePath?: string; readonly fileMode?: string }[];
  readonly keepEmptyFolders?: boolean;
}

export interface PlannedFile {
  readonly path: string;
  readonly mode: string;
  readonly content?: Uint8Array;
  readonly objectId?: string;
}

/** The new tree's full snapshot, and what CreateCommit reports as added, updated and deleted. */
export interface CommitPlan {
  readonly files: PlannedFile[];
  readonly added: string[];
  readonly updated: string[];
  readonly deleted: { readonly path: string; readonly objectId: string; readonly fileMode: FileMode }[];
}

/**
 * Applies CreateCommit's putFiles, deleteFiles and setFileModes to the parent commit's files
 * (`existing`: blobs and submodules, full paths), with CodeCommit's checks and exceptions. Pure:
 * blobs are written later, by the store.
 */
export function planCommit(
  existing: readonly RepositoryTreeEntry[],
  request: CommitChangesRequest,
): CommitPlan {
  const puts = request.putFiles ?? [];
  const deletes = request.deleteFiles ?? [];
  const modes = request.setFileModes ?? [];
  const count = puts.length + deletes.length + modes.length;
  if (count === 0) {
    throw apiError(
      "FileEntryRequiredException",
      "The commit cannot be created because no files were specified: give at least one putFiles, deleteFiles or setFileModes entry.",
    );
  }
  if (count > MAX_FILE_ENTRIES) {
    throw apiError(
      "MaximumFileEntriesExceededException",
      `The commit has ${count} file entries; CreateCommit takes at most ${MAX_FILE_ENTRIES}. Use git for larger changes.`,
    );
  }
  const path = (raw: string | undefined, field: string) => {
    if (raw === undefined || raw === "")
      throw apiError("PathRequiredException", `A ${field} is required, but was not specified.`);
    return cleanPath(raw, { field });
  };
  const tree = new Map(existing.map((e) => [e.path, e]));
  const submodules = existing.filter((e) => e.type === "commit").map((e) => e.path);
  const claimed = new Map<string, string>();
  const claim = (p: string, what: string) => {
    const other = claimed.get(p);
    if (other !== undefined) {
      throw apiError(
        other === "putFiles" && what === "putFiles"
          ? "PutFileEntryConflictException"
          : "SamePathRequestException",
        `The path ${p} appears in ${other} and in ${what}; each path may be changed by one entry only.`,
      );
    }
    if (submodules.some((s) => p === s || p.startsWith(`${s}/`))) {
      throw apiError(
        "FilePathConflictsWithSubmodulePathException",
        `The path ${p} is, or is inside, a submodule; CreateCommit cannot change submodules.`,
      );
    }
    claimed.set(p, what);
  };
  const existingFile = (p: string, field: string) => {
    const entry = tree.get(p);
    if (entry?.type !== "blob") {
      throw apiError(
        "FileDoesNotExistException",
        `The ${field} ${p} does not exist in the parent commit. Verify that you have used the correct file name, full path, and extension.`,
      );
    }
    return entry;
  };
  const mode = (raw: string | undefined, fallback: FileMode): string => {
    if (raw === undefined) return FILE_MODES[fallback];
    if (!isFileMode(raw))
      throw apiError(
        "InvalidFileModeException",
        `The file mode ${raw} is not valid; use NORMAL, EXECUTABLE or SYMLINK.`,
      );
    return FILE_MODES[raw];
  };

  const next = new Map<string, PlannedFile>(
    existing.map((e) => [e.path, { path: e.path, mode: e.mode, objectId: e.objectId }]),
  );
  const plan: CommitPlan = { files: [], added: [], updated: [], deleted: [] };
  const remove = (p: string) => {
    const old = existingFile(p, "file to delete");
    next.delete(p);
    plan.deleted.push({ path: p, objectId: old.objectId, fileMode: fileModeOf(old.mode) });
  };
  let contentBytes = 0;
  const putPaths: string[] = [];
  for (const put of puts) {
    const p = path(put.filePath, "filePath of a putFiles entry");
    claim(p, "putFiles");
    putPaths.push(p);
    if (put.fileContent !== undefined && put.sourceFile !== undefined) {
      throw apiError(
        "FileContentAndSourceFileSpecifiedException",
        `The putFiles entry for ${p} has both fileContent and sourceFile; give one of them.`,
      );
    }
    if (put.fileContent === undefined && put.sourceFile === undefined) {
      throw apiError(
        "SourceFileOrContentRequiredException",
        `The putFiles entry for ${p} has neither fileContent nor sourceFile; give one of them.`,
      );
    }
    if (put.fileContent !== undefined) {
      if (put.fileContent.byteLength > MAX_CONTENT_BYTES) {
        throw apiError(
          "FileContentSizeLimitExceededException",
          `The content of ${p} is ${put.fileContent.byteLength} bytes; the limit is ${MAX_CONTENT_BYTES}.`,
        );
      }
      contentBytes += put.fileContent.byteLength;
      next.set(p, { path: p, mode: mode(put.fileMode, "NORMAL"), content: put.fileContent });
    } else {
      const source = path(put.sourceFile?.filePath, "sourceFile.filePath");
      if (source === p)
        throw apiError(
          "SamePathRequestException",
          `The putFiles entry for ${p} names itself as its sourceFile.`,
        );
      const from = existingFile(source, "sourceFile");
      if (put.sourceFile?.isMove) {
        claim(source, "a move's sourceFile");
        remove(source);
      }
      next.set(p, { path: p, mode: mode(put.fileMode, fileModeOf(from.mode)), objectId: from.objectId });
    }
    (tree.has(p) ? plan.updated : plan.added).push(p);
  }
  if (contentBytes > MAX_CONTENT_BYTES) {
    throw apiError(
      "FolderContentSizeLimitExceededException",
      `The commit adds ${contentBytes} bytes of content; the limit is ${MAX_CONTENT_BYTES}. Use git for larger changes.`,
    );
  }
  for (const entry of deletes) {
    const p = path(entry.filePath, "filePath of a deleteFiles entry");
    claim(p, "deleteFiles");
    remove(p);
  }
  for (const entry of modes) {
    const p = path(entry.filePath, "filePath of a setFileModes entry");
    claim(p, "setFileModes");
    if (entry.fileMode === undefined)
      throw apiError("FileModeRequiredException", `The setFileModes entry for ${p} has no fileMode.`);
    const old = existingFile(p, "file of a setFileModes entry");
    next.set(p, { path: p, mode: mode(entry.fileMode, "NORMAL"), objectId: old.objectId });
    if (next.get(p)!.mode !== old.mode) plan.updated.push(p);
  }
  // A file where a folder is, or a folder where a file is.
  for (const p of putPaths) {
    for (let dir = parentOf(p); dir !== ""; dir = parentOf(dir)) {
      if (next.has(dir)) {
        throw apiError(
          "DirectoryNameConflictsWithFileNameException",
          `The file ${p} cannot be added: ${dir} is a file in this repository, not a folder.`,
        );
      }
    }
    const inside = `${p}/`;
    if ([...next.keys()].some((k) => k.startsWith(inside))) {
      throw apiError(
        "FileNameConflictsWithDirectoryNameException",
        `The file ${p} cannot be added: ${p} is a folder in this repository.`,
      );
    }
  }
  // git has no empty folders: keepEmptyFolders keeps one with a .gitkeep file, as CodeCommit does.
  if (request.keepEmptyFolders) {
    const paths = [...next.keys()];
    for (const gone of plan.deleted) {
      // The folder the file was in, if nothing is left in it (its parents then hold the .gitkeep).
      const dir = parentOf(gone.path);
      if (dir === "" || paths.some((k) => k.startsWith(`${dir}/`))) continue;
      const keep = `${dir}/.gitkeep`;
      next.set(keep, { path: keep, mode: FILE_MODES.NORMAL, content: new Uint8Array(0) });
      paths.push(keep);
      plan.added.push(keep);
    }
  }
  plan.files.push(...next.values());
  return plan;
}
