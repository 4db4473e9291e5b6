import { optional, string, struct } from "../../../lib/shape.js";
import { apiError } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import type { CodeCommitDeps } from "../deps.js";
import { renderCommit } from "../render.js";
import { findRepository } from "./repositories.js";

/** GetCommit takes a full commit id (CodeCommit: "the full SHA ID of the commit"), nothing else git reads. */
const FULL_ID = /^[0-9a-fA-F]{40}$/u;

export const getCommit = (deps: CodeCommitDeps) =>
  defineOperation({
    name: "GetCommit",
    input: struct({ repositoryName: optional(string()), commitId: optional(string()) }),
    async handle(input, ctx) {
      const record = await findRepository(deps, ctx, input.repositoryName);
      const commitId = input.commitId;
      if (commitId === undefined || commitId === "") {
        throw apiError("CommitIdRequiredException", "A commit ID was not specified.");
      }
      if (!FULL_ID.test(commitId)) {
        throw apiError(
          "InvalidCommitIdException",
          `The specified commit ID is not valid: ${commitId.slice(0, 100)}`,
        );
      }
      const commit = await deps.repositories.commit(record, commitId.toLowerCase());
      // A tag's id resolves to the commit it tags; CodeCommit wants the commit's own id.
      if (!commit || commit.commitId !== commitId.toLowerCase()) {
        throw apiError(
          "CommitIdDoesNotExistException",
          `Could not find commit ${commitId} in repository ${record.name}`,
        );
      }
      return { commit: renderCommit(commit) };
    },
  });
