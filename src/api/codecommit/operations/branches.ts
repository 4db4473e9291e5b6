import { optional, string, struct } from "../../../lib/shape.js";
import { apiError } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import { decodeContinuationToken, encodeContinuationToken } from "../continuation-token.js";
import type { CodeCommitDeps } from "../deps.js";
import { isValidBranchName } from "../git-names.js";
import { findRepository } from "./repositories.js";

const HEADS = "refs/heads/";
/** Branches per ListBranches page (AWS does not document its own page size). */
const DEFAULT_PAGE = 100;

export const getBranch = (deps: CodeCommitDeps) =>
  defineOperation({
    name: "GetBranch",
    input: struct({ repositoryName: optional(string()), branchName: optional(string()) }),
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
      const commitId = (await deps.repositories.refs(record)).get(`${HEADS}${branchName}`);
      if (commitId === undefined) {
        throw apiError(
          "BranchDoesNotExistException",
          `Branch ${branchName} does not exist in repository ${record.name}`,
        );
      }
      return { branch: { branchName, commitId } };
    },
  });

export const listBranches = (deps: CodeCommitDeps) =>
  defineOperation({
    name: "ListBranches",
    input: struct({ repositoryName: optional(string()), nextToken: optional(string()) }),
    async handle(input, ctx) {
      const record = await findRepository(deps, ctx, input.repositoryName);
      const kind = `ListBranches:${record.repositoryId}`;
      const after = decodeContinuationToken(kind, input.nextToken);
      // Refs come in byte order, so the page starts right after the last branch of the previous one.
      const branches = [...(await deps.repositories.refs(record)).keys()]
        .filter((ref) => ref.startsWith(HEADS))
        .map((ref) => ref.slice(HEADS.length))
        .filter((name) => after === undefined || Buffer.compare(Buffer.from(name), Buffer.from(after)) > 0);
      const size = deps.pageSize ?? DEFAULT_PAGE;
      const page = branches.slice(0, size);
      return {
        branches: page,
        ...(branches.length > size ? { nextToken: encodeContinuationToken(kind, page.at(-1)!) } : {}),
      };
    },
  });
