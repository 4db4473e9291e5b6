import type { ExceptionType } from "../../model/exceptions.js";
import type { RepositoryRecord } from "../../store/types.js";
import { apiError } from "../errors.js";
import type { CodeCommitDeps } from "./deps.js";
import { hasControlCharacter } from "./file-paths.js";

/**
 * The full id of the commit a CodeCommit `commitSpecifier` names: a commit id, a branch or tag
 * name, or a full ref (`refs/heads/main`); absent, the head of the default branch. Resolved by
 * git itself (store.commit), never read as an option.
 */
export async function resolveCommitSpecifier(
  deps: CodeCommitDeps,
  record: RepositoryRecord,
  specifier: string | undefined,
  missing: ExceptionType = "CommitDoesNotExistException",
): Promise<string> {
  const revision =
    specifier === undefined || specifier === ""
      ? record.defaultBranch === undefined
        ? undefined
        : `refs/heads/${record.defaultBranch}`
      : specifier;
  if (revision === undefined) {
    throw apiError(
      missing,
      `No commit was specified, and repository ${record.name} has no default branch (it has no commits yet).`,
    );
  }
  if (revision.length > 1000 || hasControlCharacter(revision)) {
    throw apiError("InvalidCommitException", `The specified commit is not valid: ${revision.slice(0, 100)}`);
  }
  const commit = await deps.repositories.commit(record, revision);
  if (!commit) {
    throw apiError(
      missing,
      `The specified commit '${revision.slice(0, 300)}' does not exist in repository ${record.name}. Use a commit ID, a branch or tag name, or a reference such as refs/heads/main.`,
    );
  }
  return commit.commitId;
}
