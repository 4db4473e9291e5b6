import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GitSignature } from "./commits.js";
import { runGit } from "./run-git.js";

export interface NewCommit {
  /** Path → content of every file of the commit's tree (a full snapshot, not a change). */
  readonly files: Readonly<Record<string, string | Uint8Array>>;
  readonly parents?: readonly string[];
  readonly message: string;
  readonly author: Omit<GitSignature, "date"> & { readonly date: number };
  readonly committer?: Omit<GitSignature, "date"> & { readonly date: number };
  /** Moves this ref (`refs/heads/main`) to the new commit. */
  readonly ref?: string;
}

/**
 * Writes a commit into the bare repository at `gitDir` with plumbing only (hash-object,
 * update-index on a private index file, write-tree, commit-tree): no work tree, no hooks, no
 * configuration of the machine's user. Returns the new commit's id.
 */
export async function writeCommit(gitDir: string, commit: NewCommit): Promise<string> {
  const scratch = await mkdtemp(join(tmpdir(), "pipewright-index-"));
  try {
    const git = (args: string[], input?: string | Uint8Array, env: Record<string, string> = {}) =>
      runGit(["--git-dir", gitDir, ...args], {
        env: { GIT_INDEX_FILE: join(scratch, "index"), ...env },
        ...(input === undefined ? {} : { input }),
      }).then((out) => out.stdout.toString("utf8").trim());
    const entries: string[] = [];
    for (const [path, content] of Object.entries(commit.files)) {
      const blob = await git(["hash-object", "-w", "--stdin"], content);
      entries.push(`100644 ${blob}\t${path}\n`);
    }
    await git(["update-index", "--add", "-z", "--index-info"], entries.join("").replaceAll("\n", "\0"));
    const tree = await git(["write-tree"]);
    const committer = commit.committer ?? commit.author;
    const id = await git(
      ["commit-tree", tree, ...(commit.parents ?? []).flatMap((p) => ["-p", p])],
      commit.message,
      {
        GIT_AUTHOR_NAME: commit.author.name,
        GIT_AUTHOR_EMAIL: commit.author.email,
        GIT_AUTHOR_DATE: `${Math.floor(commit.author.date / 1000)} ${commit.author.timezone}`,
        GIT_COMMITTER_NAME: committer.name,
        GIT_COMMITTER_EMAIL: committer.email,
        GIT_COMMITTER_DATE: `${Math.floor(committer.date / 1000)} ${committer.timezone}`,
      },
    );
    if (commit.ref) await git(["update-ref", commit.ref, id]);
    return id;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
