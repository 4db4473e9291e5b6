import { optional, string, struct } from "../../../lib/shape.js";
import { apiError } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import { decodeContinuationToken, encodeContinuationToken } from "../continuation-token.js";
import type { CodeCommitDeps } from "../deps.js";

/** CodeCommit returns at most 1,000 repositories per call. */
const DEFAULT_PAGE = 1000;

export const listRepositories = (deps: CodeCommitDeps) =>
  defineOperation({
    name: "ListRepositories",
    input: struct({ nextToken: optional(string()), sortBy: optional(string()), order: optional(string()) }),
    async handle(input, ctx) {
      const sortBy = input.sortBy ?? "repositoryName";
      if (sortBy !== "repositoryName" && sortBy !== "lastModifiedDate") {
        throw apiError(
          "InvalidSortByException",
          "The specified sort by value is not valid. Use repositoryName or lastModifiedDate.",
        );
      }
      const order = input.order ?? "ascending";
      if (order !== "ascending" && order !== "descending") {
        throw apiError(
          "InvalidOrderException",
          "The specified sort order is not valid. Use ascending or descending.",
        );
      }
      // A token continues only the listing it came from: same sort, same order.
      const kind = `ListRepositories:${sortBy}:${order}`;
      const after = decodeContinuationToken(kind, input.nextToken);
      const page = await deps.repositories.list(ctx.scope, {
        limit: deps.pageSize ?? DEFAULT_PAGE,
        sortBy,
        descending: order === "descending",
        ...(after === undefined ? {} : { after }),
      });
      return {
        repositories: page.items.map((r) => ({ repositoryName: r.name, repositoryId: r.repositoryId })),
        ...(page.nextAfter === undefined ? {} : { nextToken: encodeContinuationToken(kind, page.nextAfter) }),
      };
    },
  });
