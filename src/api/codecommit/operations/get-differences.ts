import { int, optional, string, struct } from "../../../lib/shape.js";
import type { RepositoryTreeChange } from "../../../store/types.js";
import { apiError } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import { resolveCommitSpecifier } from "../commit-specifier.js";
import { decodeContinuationToken, encodeContinuationToken } from "../continuation-token.js";
import type { CodeCommitDeps } from "../deps.js";
import { cleanPath } from "../file-paths.js";
import { findRepository } from "./repositories.js";

/** Differences per page when MaxResults is not given (AWS does not document its own). */
const DEFAULT_PAGE = 100;

const under = (path: string, prefix: string) =>
  prefix === "" || path === prefix || path.startsWith(`${prefix}/`);

/**
 * GetDifferences: the blobs that differ between two commits (every blob of the after commit when
 * there is no before commit), optionally limited to a path on each side, paged. No rename
 * detection: a moved file is a D and an A, as git's plumbing reports it.
 */
export const getDifferences = (deps: CodeCommitDeps) =>
  defineOperation({
    name: "GetDifferences",
    input: struct({
      repositoryName: optional(string()),
      beforeCommitSpecifier: optional(string()),
      afterCommitSpecifier: optional(string()),
      beforePath: optional(string()),
      afterPath: optional(string()),
      MaxResults: optional(int()),
      NextToken: optional(string()),
    }),
    async handle(input, ctx) {
      const record = await findRepository(deps, ctx, input.repositoryName);
      if (input.afterCommitSpecifier === undefined || input.afterCommitSpecifier === "") {
        throw apiError("CommitRequiredException", "A commit must be specified: set afterCommitSpecifier.");
      }
      if (input.MaxResults !== undefined && input.MaxResults < 1) {
        throw apiError(
          "InvalidMaxResultsException",
          `MaxResults must be at least 1, not ${input.MaxResults}.`,
        );
      }
      const after = await resolveCommitSpecifier(deps, record, input.afterCommitSpecifier);
      const before =
        input.beforeCommitSpecifier === undefined || input.beforeCommitSpecifier === ""
          ? undefined
          : await resolveCommitSpecifier(deps, record, input.beforeCommitSpecifier);
      const clean = (raw: string | undefined, field: string) =>
        raw === undefined || raw === "" ? undefined : cleanPath(raw, { folder: true, field });
      const beforePath = clean(input.beforePath, "beforePath");
      const afterPath = clean(input.afterPath, "afterPath");
      await mustExist(before, beforePath, "beforePath");
      await mustExist(after, afterPath, "afterPath");
      // One path given limits both sides (a folder compared with itself).
      const beforeLimit = beforePath ?? afterPath ?? "";
      const afterLimit = afterPath ?? beforePath ?? "";
      const changes = (await deps.repositories.treeChanges(record, before, after)).filter(
        (c) =>
          (c.before !== undefined && under(c.path, beforeLimit)) ||
          (c.after !== undefined && under(c.path, afterLimit)),
      );
      const kind = `GetDifferences:${record.repositoryId}:${before ?? ""}:${after}:${beforeLimit}:${afterLimit}`;
      const start = Number(decodeContinuationToken(kind, input.NextToken) ?? "0");
      if (!Number.isSafeInteger(start) || start < 0) {
        throw apiError("InvalidContinuationTokenException", "The specified continuation token is not valid.");
      }
      const size = input.MaxResults ?? deps.pageSize ?? DEFAULT_PAGE;
      const page = changes.slice(start, start + size);
      return {
        differences: page.map(render),
        ...(start + size < changes.length
          ? { NextToken: encodeContinuationToken(kind, String(start + size)) }
          : {}),
      };

      async function mustExist(commitId: string | undefined, path: string | undefined, field: string) {
        if (path === undefined || path === "") return;
        const entry =
          commitId === undefined ? undefined : await deps.repositories.treeEntry(record, commitId, path);
        if (!entry) {
          throw apiError(
            "PathDoesNotExistException",
            `The ${field} ${path} does not exist in ${commitId === undefined ? "the before commit (none was specified)" : `commit ${commitId}`}.`,
          );
        }
      }
    },
  });

function render(change: RepositoryTreeChange) {
  const blob = (side: { mode: string; objectId: string } | undefined) =>
    side === undefined ? undefined : { blobId: side.objectId, path: change.path, mode: side.mode };
  const beforeBlob = blob(change.before);
  const afterBlob = blob(change.after);
  return {
    ...(beforeBlob ? { beforeBlob } : {}),
    ...(afterBlob ? { afterBlob } : {}),
    changeType: change.changeType,
  };
}
