import type { RepositoryRecord } from "../types.js";

/*
 * Checks every repository store makes before it touches metadata or files. Each one guards
 * against a caller bug (the API validates names with AWS's messages first), so it throws.
 */

/** CodeCommit's pattern, and never `.` or `..`: a name can only ever be a single path segment. */
const NAME = /^[A-Za-z0-9_.-]{1,100}$/u;
/**
 * Directories are named after the id, so it must be a lower-case UUID (randomUUID's form) and
 * nothing that could be a path, or collide with another id on a case-insensitive file system.
 */
const REPOSITORY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/u;

/** True for a name a repository can have: one path segment of CodeCommit's characters. */
export function isRepositoryName(name: string): boolean {
  return typeof name === "string" && NAME.test(name) && name !== "." && name !== "..";
}

export function assertRepositoryName(name: string): void {
  if (!isRepositoryName(name)) {
    throw new Error(`repository store: '${String(name).slice(0, 120)}' is not a valid repository name`);
  }
}

export function assertRepositoryId(repositoryId: string): void {
  if (typeof repositoryId !== "string" || !REPOSITORY_ID.test(repositoryId)) {
    throw new Error(
      `repository store: '${String(repositoryId).slice(0, 120)}' is not a repository id (a lower-case UUID)`,
    );
  }
}

export function assertRepositoryRecord(record: RepositoryRecord): void {
  assertRepositoryName(record.name);
  assertRepositoryId(record.repositoryId);
  if (record.defaultBranch !== undefined && !isBranchName(record.defaultBranch)) {
    throw new Error(`repository store: '${record.defaultBranch}' is not a branch name`);
  }
}

/** What `git check-ref-format --branch` accepts, less exotic corners: enough to refuse paths and options. */
export function isBranchName(name: string): boolean {
  return (
    name.length > 0 &&
    name.length <= 256 &&
    !name.startsWith("-") &&
    !name.startsWith("/") &&
    !name.endsWith("/") &&
    !name.endsWith(".") &&
    !name.endsWith(".lock") &&
    !name.includes("..") &&
    !name.includes("//") &&
    !name.includes("@{") &&
    !name.split("/").some((part) => part.startsWith(".")) &&
    name !== "@" &&
    !hasForbiddenCharacter(name)
  );
}

/** Control characters, space, and `~ ^ : ? * [ \` never appear in a ref name. */
function hasForbiddenCharacter(name: string): boolean {
  for (const char of name) {
    const code = char.charCodeAt(0);
    if (code <= 0x20 || code === 0x7f || "~^:?*[\\".includes(char)) return true;
  }
  return false;
}
