import { bool, list, optional, string, struct } from "../../../lib/shape.js";
import { apiError } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import type { CommitPlan } from "../commit-plan.js";
import type { CodeCommitDeps } from "../deps.js";
import { fileModeOf } from "../file-paths.js";
import { commitOnBranch } from "./commit-on-branch.js";
import { findRepository } from "./repositories.js";

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/u;

const putFileEntry = struct({
  filePath: optional(string()),
  fileMode: optional(string()),
  fileContent: optional(string()),
  sourceFile: optional(struct({ filePath: optional(string()), isMove: optional(bool()) })),
});
const pathEntry = struct({ filePath: optional(string()) });
const modeEntry = struct({ filePath: optional(string()), fileMode: optional(string()) });

/**
 * CreateCommit: a commit on a branch from file changes, written by git's plumbing into the
 * repository (commitOnBranch: the branch moves only from `parentCommitId`, and the commit
 * starts the pipelines its branch triggers exactly as `git push` of that commit would).
 */
export const createCommit = (deps: CodeCommitDeps) =>
  defineOperation({
    name: "CreateCommit",
    input: struct({
      repositoryName: optional(string()),
      branchName: optional(string()),
      parentCommitId: optional(string()),
      authorName: optional(string()),
      email: optional(string()),
      commitMessage: optional(string()),
      keepEmptyFolders: optional(bool()),
      putFiles: optional(list(putFileEntry)),
      deleteFiles: optional(list(pathEntry)),
      setFileModes: optional(list(modeEntry)),
    }),
    async handle(input, ctx) {
      const record = await findRepository(deps, ctx, input.repositoryName);
      const { commitId, treeId, plan, blobIds } = await commitOnBranch(deps, ctx, record, {
        ...input,
        // CodeCommit: "If no message is specified, a default message is used."
        defaultMessage: "Commit made with CreateCommit",
        changes: {
          ...(input.putFiles ? { putFiles: input.putFiles.map(decodePut) } : {}),
          ...(input.deleteFiles ? { deleteFiles: input.deleteFiles } : {}),
          ...(input.setFileModes ? { setFileModes: input.setFileModes } : {}),
          ...(input.keepEmptyFolders === undefined ? {} : { keepEmptyFolders: input.keepEmptyFolders }),
        },
        noChange: () => {
          throw apiError(
            "NoChangeException",
            "The commit cannot be created because it changes nothing: the new tree is the parent commit's.",
          );
        },
      });
      return { commitId, treeId, ...metadata(plan, blobIds) };
    },
  });

/** A blob member's base64 text as bytes, refused as AWS refuses it when it is not base64. */
export function decodeBase64Member(text: string, what: string): Uint8Array {
  if (!BASE64.test(text) || text.length % 4 === 1) {
    throw apiError("SerializationException", `${what} is not base64 (blob members are base64 on the wire).`);
  }
  return new Uint8Array(Buffer.from(text, "base64"));
}

function decodePut(put: {
  filePath?: string;
  fileMode?: string;
  fileContent?: string;
  sourceFile?: { filePath?: string; isMove?: boolean };
}) {
  const { fileContent, ...rest } = put;
  if (fileContent === undefined) return rest;
  return {
    ...rest,
    fileContent: decodeBase64Member(fileContent, `fileContent of ${put.filePath ?? "a putFiles entry"}`),
  };
}

function metadata(plan: CommitPlan, blobIds: ReadonlyMap<string, string>) {
  const modes = new Map(plan.files.map((f) => [f.path, f.mode]));
  const file = (path: string) => ({
    absolutePath: path,
    blobId: blobIds.get(path) ?? "",
    fileMode: fileModeOf(modes.get(path) ?? ""),
  });
  return {
    filesAdded: plan.added.map(file),
    filesUpdated: plan.updated.map(file),
    filesDeleted: plan.deleted.map((d) => ({
      absolutePath: d.path,
      blobId: d.objectId,
      fileMode: d.fileMode,
    })),
  };
}
