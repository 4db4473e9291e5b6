import { optional, string, struct } from "../../../lib/shape.js";
import { apiError } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import type { CodeCommitDeps } from "../deps.js";
import { isValidBranchName } from "../git-names.js";
import { announceRefUpdates } from "./commit-on-branch.js";
import { findRepository } from "./repositories.js";

const HEADS = "refs/heads/";
const FULL_ID = /^[0-9a-f]{40}$/u;

function branchNameOf(name: string | undefined): string {
  if (name === undefined || name === "") {
    throw apiError("BranchNameRequiredException", "A branch name is required, but was not specified.");
  }
  if (!isValidBranchName(name)) {
    throw apiError("InvalidBranchNameException", `The specified reference name is not valid: ${name}`);
  }
  return name;
}

/**
 * CreateBranch: a new branch at a commit (full id, or any revision git resolves to a commit, as
 * CodeCommit takes a commit id). A created branch starts the pipelines that watch it, as a push
 * creating it does (CodeCommit's referenceCreated event).
 */
export const createBranch = (deps: CodeCommitDeps) =>
  defineOperation({
    name: "CreateBranch",
    input: struct({
      repositoryName: optional(string()),
      branchName: optional(string()),
      commitId: optional(string()),
    }),
    async handle(input, ctx) {
      const record = await findRepository(deps, ctx, input.repositoryName);
      const branchName = branchNameOf(input.branchName);
      if (input.commitId === undefined || input.commitId === "") {
        throw apiError("CommitIdRequiredException", "A commit ID is required, but was not specified.");
      }
      const commit = await deps.repositories.commit(record, input.commitId);
      if (!commit) {
        throw apiError(
          FULL_ID.test(input.commitId) ? "CommitDoesNotExistException" : "InvalidCommitIdException",
          `The specified commit ${input.commitId.slice(0, 100)} does not exist in repository ${record.name}; give a commit ID from GetBranch or git log.`,
        );
      }
      const ref = `${HEADS}${branchName}`;
      const updates = await deps.repositories.moveRef(record, { ref, newCommit: commit.commitId });
      if (updates === undefined) {
        throw apiError(
          "BranchNameExistsException",
          `Branch ${branchName} already exists in repository ${record.name}; choose another name or move it with git.`,
        );
      }
      await announceRefUpdates(deps, ctx, record, updates);
      return {};
    },
  });

/** DeleteBranch: removes a branch other than the default one; a branch that is not there answers no deletedBranch. */
export const deleteBranch = (deps: CodeCommitDeps) =>
  defineOperation({
    name: "DeleteBranch",
    input: struct({ repositoryName: optional(string()), branchName: optional(string()) }),
    async handle(input, ctx) {
      const record = await findRepository(deps, ctx, input.repositoryName);
      const branchName = branchNameOf(input.branchName);
      if (record.defaultBranch === branchName) {
        throw apiError(
          "DefaultBranchCannotBeDeletedException",
          `Branch ${branchName} is the default branch of repository ${record.name} and cannot be deleted; make another branch the default with UpdateDefaultBranch first.`,
        );
      }
      const ref = `${HEADS}${branchName}`;
      for (;;) {
        const tip = (await deps.repositories.refs(record)).get(ref);
        if (tip === undefined) return {};
        // A push that moved the branch in between: delete what it points at now.
        if (await deps.repositories.moveRef(record, { ref, expected: tip })) {
          return { deletedBranch: { branchName, commitId: tip } };
        }
      }
    },
  });

/** UpdateDefaultBranch: makes an existing branch the default one (the record and HEAD of the bare repository). */
export const updateDefaultBranch = (deps: CodeCommitDeps) =>
  defineOperation({
    name: "UpdateDefaultBranch",
    input: struct({ repositoryName: optional(string()), defaultBranchName: optional(string()) }),
    async handle(input, ctx) {
      const record = await findRepository(deps, ctx, input.repositoryName);
      const branchName = branchNameOf(input.defaultBranchName);
      if (!(await deps.repositories.refs(record)).has(`${HEADS}${branchName}`)) {
        throw apiError(
          "BranchDoesNotExistException",
          `Branch ${branchName} does not exist in repository ${record.name}`,
        );
      }
      await deps.repositories.setDefaultBranch(record, branchName);
      return {};
    },
  });
