import { apiError } from "../errors.js";

/**
 * CodeCommit's repository name rule: letters, digits, `_`, `.` and `-`, 1 to 100 of them (the
 * model's pattern `[\w\.-]+`), never `.` or `..`, and never ending in `.git` (CodeCommit's
 * quotas page). A valid name is one path segment, so it can never name another path.
 */
export function isValidRepositoryName(name: string): boolean {
  return (
    /^[A-Za-z0-9_.-]{1,100}$/u.test(name) &&
    name !== "." &&
    name !== ".." &&
    !name.toLowerCase().endsWith(".git")
  );
}

/**
 * The name an operation was given, or CodeCommit's error: RepositoryNameRequiredException when
 * it is missing or empty, InvalidRepositoryNameException when it breaks the rule. (CodeCommit
 * reports names with its own exceptions, not ValidationException.)
 */
export function requireRepositoryName(name: string | undefined): string {
  if (name === undefined || name === "") {
    throw apiError(
      "RepositoryNameRequiredException",
      "A repository name is required, but was not specified.",
    );
  }
  if (!isValidRepositoryName(name)) {
    throw apiError(
      "InvalidRepositoryNameException",
      "The repository name is not valid. Repository names can be any valid combination of letters, numbers, " +
        "periods, underscores, and dashes between 1 and 100 characters in length, and cannot end in .git. " +
        "Names are case sensitive.",
    );
  }
  return name;
}
