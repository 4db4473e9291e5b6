import { bool, optional, string, struct } from "../../../lib/shape.js";
import { apiError } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import type { CodeCommitDeps } from "../deps.js";
import { commitOnBranch } from "./commit-on-branch.js";
import { decodeBase64Member } from "./create-commit.js";
import { findRepository } from "./repositories.js";

/**
 * PutFile: one file added or replaced in a commit on a branch (an empty repository gets its
 * first branch), with CreateCommit's checks; the same content and mode again is refused with
 * SameFileContentException, as CodeCommit does.
 */
export const putFile = (deps: CodeCommitDeps) =>
  defineOperation({
    name: "PutFile",
    input: struct({
      repositoryName: optional(string()),
      branchName: optional(string()),
      fileContent: optional(string()),
      filePath: optional(string()),
      fileMode: optional(string()),
      parentCommitId: optional(string()),
      commitMessage: optional(string()),
      name: optional(string()),
      email: optional(string()),
    }),
    async handle(input, ctx) {
      const record = await findRepository(deps, ctx, input.repositoryName);
      if (input.fileContent === undefined) {
        throw apiError(
          "FileContentRequiredException",
          "The file cannot be added because it is empty: give its content in fileContent (base64).",
        );
      }
      const content = decodeBase64Member(input.fileContent, "fileContent");
      const { commitId, treeId, plan, blobIds } = await commitOnBranch(deps, ctx, record, {
        ...input,
        ...(input.name === undefined ? {} : { authorName: input.name }),
        defaultMessage: `Added ${input.filePath ?? "a file"}`,
        changes: {
          putFiles: [
            {
              ...(input.filePath === undefined ? {} : { filePath: input.filePath }),
              ...(input.fileMode === undefined ? {} : { fileMode: input.fileMode }),
              fileContent: content,
            },
          ],
        },
        noChange: () => {
          throw apiError(
            "SameFileContentException",
            `The file ${input.filePath} was not added or updated because its content and mode are exactly those of the file on branch ${input.branchName}.`,
          );
        },
      });
      const path = [...plan.added, ...plan.updated][0] ?? "";
      return { commitId, blobId: blobIds.get(path) ?? "", treeId };
    },
  });

/** DeleteFile: one file removed in a commit on a branch (parentCommitId required, as in CodeCommit). */
export const deleteFile = (deps: CodeCommitDeps) =>
  defineOperation({
    name: "DeleteFile",
    input: struct({
      repositoryName: optional(string()),
      branchName: optional(string()),
      filePath: optional(string()),
      parentCommitId: optional(string()),
      keepEmptyFolders: optional(bool()),
      commitMessage: optional(string()),
      name: optional(string()),
      email: optional(string()),
    }),
    async handle(input, ctx) {
      const record = await findRepository(deps, ctx, input.repositoryName);
      if (input.parentCommitId === undefined || input.parentCommitId === "") {
        throw apiError(
          "ParentCommitIdRequiredException",
          "A parent commit ID is required: set parentCommitId to the latest commit of the branch, from GetBranch or git log.",
        );
      }
      const { commitId, treeId, plan } = await commitOnBranch(deps, ctx, record, {
        ...input,
        ...(input.name === undefined ? {} : { authorName: input.name }),
        defaultMessage: `Deleted ${input.filePath ?? "a file"}`,
        changes: {
          deleteFiles: [input.filePath === undefined ? {} : { filePath: input.filePath }],
          ...(input.keepEmptyFolders === undefined ? {} : { keepEmptyFolders: input.keepEmptyFolders }),
        },
        noChange: () => {
          throw apiError("FileDoesNotExistException", `The file ${input.filePath} does not exist.`);
        },
      });
      const deleted = plan.deleted[0];
      return { commitId, blobId: deleted?.objectId ?? "", treeId, filePath: deleted?.path ?? "" };
    },
  });
