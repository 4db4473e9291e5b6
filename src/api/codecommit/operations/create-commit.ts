import { bool, list, optional, string, struct } from "../../../lib/shape.js";
import { apiError } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import { type CommitPlan, planCommit } from "../commit-plan.js";
import type { CodeCommitDeps } from "../deps.js";
import { fileModeOf, hasControlCharacter } from "../file-paths.js";
import { isValidBranchName } from "../git-names.js";
import { findRepository } from "./repositories.js";

const FULL_ID = /^[0-9a-fA-F]{40}$/u;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/u;
/** CodeCommit: "Commit messages are limited to 256 KB." */
const MAX_MESSAGE_BYTES = 256 * 1024;

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
 * repository. The branch moves only from `parentCommitId` (compare-and-swap, serialised with
 * pushes), and the new commit starts the pipelines its branch triggers exactly as `git push`
 * of that commit would (deps.onCommit is the git front end's push listener).
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
      const branchName = input.branchName;
      if (branchName === undefined || branchName === "") {
        throw apiError("BranchNameRequiredException", "A branch name is required, but was not specified.");
      }
      if (!isValidBranchName(branchName)) {
        throw apiError(
          "InvalidBranchNameException",
          `The specified reference name is not valid: ${branchName}`,
        );
      }
      const author = identity(input.authorName, input.email, ctx.principal, ctx.now);
      // CodeCommit: "If no message is specified, a default message is used."
      const message =
        input.commitMessage === undefined || input.commitMessage === ""
          ? "Commit made with CreateCommit"
          : input.commitMessage;
      if (Buffer.byteLength(message) > MAX_MESSAGE_BYTES) {
        throw apiError(
          "CommitMessageLengthExceededException",
          `The commit message is longer than ${MAX_MESSAGE_BYTES} bytes.`,
        );
      }
      const refs = await deps.repositories.refs(record);
      const ref = `refs/heads/${branchName}`;
      const tip = refs.get(ref);
      if (tip === undefined && refs.has(`refs/tags/${branchName}`)) {
        throw apiError(
          "BranchNameIsTagNameException",
          `${branchName} is the name of a tag in repository ${record.name}, not of a branch.`,
        );
      }
      const parent = await parentCommit(input.parentCommitId);
      const hasBranches = [...refs.keys()].some((r) => r.startsWith("refs/heads/"));
      if (tip === undefined && hasBranches) {
        throw apiError(
          "BranchDoesNotExistException",
          `Branch ${branchName} does not exist in repository ${record.name}; CreateCommit adds to an existing branch (or creates the first branch of an empty repository). Create the branch with git first.`,
        );
      }
      if (tip !== undefined && parent === undefined) {
        throw apiError(
          "ParentCommitIdRequiredException",
          `A parent commit ID is required: set parentCommitId to the latest commit of ${branchName} (${tip}), from GetBranch or git log.`,
        );
      }
      if (tip !== undefined && parent !== tip) outdated(branchName, tip);
      if (tip === undefined && parent !== undefined) {
        throw apiError(
          "ParentCommitDoesNotExistException",
          `Repository ${record.name} is empty; the first commit takes no parentCommitId.`,
        );
      }

      const existing = parent === undefined ? [] : await deps.repositories.treeFiles(record, parent);
      const plan = planCommit(existing, {
        ...(input.putFiles ? { putFiles: input.putFiles.map(decodePut) } : {}),
        ...(input.deleteFiles ? { deleteFiles: input.deleteFiles } : {}),
        ...(input.setFileModes ? { setFileModes: input.setFileModes } : {}),
        ...(input.keepEmptyFolders === undefined ? {} : { keepEmptyFolders: input.keepEmptyFolders }),
      });
      const result = await deps.repositories.commitToBranch(record, {
        ref,
        ...(parent === undefined ? {} : { parent }),
        files: plan.files,
        message,
        author,
      });
      if (!result.ok) {
        if (result.reason === "NoChange") {
          throw apiError(
            "NoChangeException",
            "The commit cannot be created because it changes nothing: the new tree is the parent commit's.",
          );
        }
        const now = (await deps.repositories.refs(record)).get(ref);
        outdated(branchName, now);
      }
      if (result.updates.length > 0 && deps.onCommit) {
        const repository = (await deps.repositories.get(ctx.scope, record.name)) ?? record;
        try {
          await deps.onCommit({
            scope: ctx.scope,
            repository,
            updates: result.updates,
            pusher: ctx.principal,
          });
        } catch (error) {
          // The commit is written; what it triggers failing is the trigger's problem, not this call's.
          deps.logger?.error("CreateCommit: starting the pipelines of the new commit failed", {
            repository: record.name,
            error: error instanceof Error ? (error.stack ?? error.message) : String(error),
          });
        }
      }
      return { commitId: result.commitId, treeId: result.treeId, ...metadata(plan, result.blobIds) };

      async function parentCommit(id: string | undefined): Promise<string | undefined> {
        if (id === undefined || id === "") return undefined;
        if (!FULL_ID.test(id)) {
          throw apiError(
            "InvalidParentCommitIdException",
            `The parent commit ID is not valid: ${id.slice(0, 100)}; give a full 40-character commit ID.`,
          );
        }
        const commit = await deps.repositories.commit(record, id.toLowerCase());
        if (commit?.commitId !== id.toLowerCase()) {
          throw apiError(
            "ParentCommitDoesNotExistException",
            `The parent commit ID ${id} does not exist in repository ${record.name}.`,
          );
        }
        return commit.commitId;
      }
    },
  });

function outdated(branchName: string, tip: string | undefined): never {
  throw apiError(
    "ParentCommitIdOutdatedException",
    `The parent commit ID is not the most recent commit on branch ${branchName}${tip ? ` (now ${tip})` : ""}: someone committed or pushed first. Get the branch's latest commit with GetBranch and try again.`,
  );
}

function decodePut(put: {
  filePath?: string;
  fileMode?: string;
  fileContent?: string;
  sourceFile?: { filePath?: string; isMove?: boolean };
}) {
  const { fileContent, ...rest } = put;
  if (fileContent === undefined) return rest;
  if (!BASE64.test(fileContent) || fileContent.length % 4 === 1) {
    throw apiError(
      "SerializationException",
      `fileContent of ${put.filePath ?? "a putFiles entry"} is not base64 (blob members are base64 on the wire).`,
    );
  }
  return { ...rest, fileContent: new Uint8Array(Buffer.from(fileContent, "base64")) };
}

function identity(name: string | undefined, email: string | undefined, principal: string, now: number) {
  const author = name === undefined || name === "" ? principal : name;
  if (author.length > 1024)
    throw apiError("NameLengthExceededException", "The authorName is longer than 1,024 characters.");
  if (/[<>]/u.test(author) || hasControlCharacter(author))
    throw apiError("NameLengthExceededException", "The authorName cannot contain '<', '>' or a line break.");
  const mail = email ?? "";
  if (mail.length > 1024 || /[<>]/u.test(mail) || hasControlCharacter(mail)) {
    throw apiError(
      "InvalidEmailException",
      `The email '${mail.slice(0, 100)}' is not valid: at most 1,024 characters, without '<', '>' or a line break.`,
    );
  }
  return { name: author, email: mail, date: now, timezone: "+0000" };
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
