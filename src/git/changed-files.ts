import { runGit } from "./run-git.js";

const OBJECT_ID = /^[0-9a-f]{40}([0-9a-f]{24})?$/u;

/**
 * Paths whose content differs between commits `from` and `to` (full ids, as resolved by
 * readCommit: nothing here is read as an option), in byte order. A rename counts as both of its
 * paths, and no rename detection or diff configuration applies (diff-tree is plumbing). Without
 * `from` (a branch's first commit): every file of `to`.
 */
export async function changedFiles(gitDir: string, from: string | undefined, to: string): Promise<string[]> {
  for (const id of [from, to]) {
    if (id !== undefined && !OBJECT_ID.test(id))
      throw new Error(`changed files: '${id}' is not a full object id`);
  }
  const args =
    from === undefined
      ? ["--git-dir", gitDir, "ls-tree", "-r", "-z", "--name-only", to]
      : ["--git-dir", gitDir, "diff-tree", "-r", "-z", "--name-only", "--no-renames", from, to];
  const { stdout } = await runGit(args);
  const paths = stdout
    .toString("utf8")
    .split("\0")
    .filter((path) => path !== "");
  return [...new Set(paths)].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}
