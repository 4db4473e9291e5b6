import { optional, string, struct } from "../../../lib/shape.js";
import { apiError } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import { resolveCommitSpecifier } from "../commit-specifier.js";
import type { CodeCommitDeps } from "../deps.js";
import { fileModeOf, requirePath } from "../file-paths.js";
import { findRepository } from "./repositories.js";

/** CodeCommit's GetFile limit (the model's FileContent maximum). */
export const MAX_FILE_BYTES = 6 * 1024 * 1024;

/** GetFile: one blob of a commit's tree, base64 on the wire as every blob member is. */
export const getFile = (deps: CodeCommitDeps) =>
  defineOperation({
    name: "GetFile",
    input: struct({
      repositoryName: optional(string()),
      commitSpecifier: optional(string()),
      filePath: optional(string()),
    }),
    async handle(input, ctx) {
      const record = await findRepository(deps, ctx, input.repositoryName);
      const path = requirePath(input.filePath, { field: "filePath" });
      const commitId = await resolveCommitSpecifier(deps, record, input.commitSpecifier);
      const entry = await deps.repositories.treeEntry(record, commitId, path);
      if (entry?.type !== "blob") {
        throw apiError(
          "FileDoesNotExistException",
          `The specified file ${path} does not exist in commit ${commitId}${entry?.type === "tree" ? " (it is a folder: use GetFolder)" : ""}. Verify that you have used the correct file name, full path, and extension.`,
        );
      }
      if ((entry.size ?? 0) > MAX_FILE_BYTES) {
        throw apiError(
          "FileTooLargeException",
          `The file ${path} is ${entry.size} bytes; GetFile returns files of at most ${MAX_FILE_BYTES} bytes. Use git to fetch it.`,
        );
      }
      const content = await deps.repositories.readBlob(record, entry.objectId);
      return {
        commitId,
        blobId: entry.objectId,
        filePath: path,
        fileMode: fileModeOf(entry.mode),
        fileSize: content.byteLength,
        fileContent: Buffer.from(content).toString("base64"),
      };
    },
  });

/** GetFolder: the folders, files, symbolic links and submodules directly inside one folder. */
export const getFolder = (deps: CodeCommitDeps) =>
  defineOperation({
    name: "GetFolder",
    input: struct({
      repositoryName: optional(string()),
      commitSpecifier: optional(string()),
      folderPath: optional(string()),
    }),
    async handle(input, ctx) {
      const record = await findRepository(deps, ctx, input.repositoryName);
      const path = requirePath(input.folderPath, { field: "folderPath", folder: true });
      const commitId = await resolveCommitSpecifier(deps, record, input.commitSpecifier);
      const entry = await deps.repositories.treeEntry(record, commitId, path);
      if (entry?.type !== "tree") {
        throw apiError(
          "FolderDoesNotExistException",
          `The specified folder ${path} does not exist in commit ${commitId}${entry?.type === "blob" ? " (it is a file: use GetFile)" : entry ? " (it is a submodule)" : ""}.`,
        );
      }
      const prefix = path === "" ? "" : `${path}/`;
      const children = await deps.repositories.treeChildren(record, entry.objectId, prefix);
      const relative = (p: string) => p.slice(prefix.length);
      const blobs = children.filter((c) => c.type === "blob");
      return {
        commitId,
        folderPath: path === "" ? "/" : path,
        treeId: entry.objectId,
        subFolders: children
          .filter((c) => c.type === "tree")
          .map((c) => ({ treeId: c.objectId, absolutePath: c.path, relativePath: relative(c.path) })),
        files: blobs
          .filter((c) => fileModeOf(c.mode) !== "SYMLINK")
          .map((c) => ({
            blobId: c.objectId,
            absolutePath: c.path,
            relativePath: relative(c.path),
            fileMode: fileModeOf(c.mode),
          })),
        symbolicLinks: blobs
          .filter((c) => fileModeOf(c.mode) === "SYMLINK")
          .map((c) => ({
            blobId: c.objectId,
            absolutePath: c.path,
            relativePath: relative(c.path),
            fileMode: "SYMLINK",
          })),
        subModules: children
          .filter((c) => c.type === "commit")
          .map((c) => ({ commitId: c.objectId, absolutePath: c.path, relativePath: relative(c.path) })),
      };
    },
  });
