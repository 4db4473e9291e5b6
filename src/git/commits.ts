import { runGit } from "./run-git.js";

/** An author or committer as the commit object records it. */
export interface GitSignature {
  readonly name: string;
  readonly email: string;
  /** Milliseconds since the epoch. */
  readonly date: number;
  /** The offset from UTC as recorded, e.g. `-0800`. */
  readonly timezone: string;
}

export interface GitCommit {
  readonly commitId: string;
  readonly treeId: string;
  readonly parents: readonly string[];
  /** The whole message (subject and body) without the final newline git adds. */
  readonly message: string;
  readonly author: GitSignature;
  readonly committer: GitSignature;
}

/**
 * The full id of the commit `revision` names (a full or abbreviated id, a ref, `main~2`, a tag),
 * or undefined when it names no commit. The revision is passed after `--end-of-options`, so
 * `--output=x` is a revision that does not exist, never an option.
 */
export async function resolveCommit(gitDir: string, revision: string): Promise<string | undefined> {
  if (revision === "" || revision.includes("\0")) return undefined;
  const resolved = await runGit(
    ["--git-dir", gitDir, "rev-parse", "--verify", "--quiet", "--end-of-options", `${revision}^{commit}`],
    { okExitCodes: [1, 128] },
  );
  const commitId = resolved.stdout.toString("utf8").trim();
  return resolved.exitCode === 0 && /^[0-9a-f]{40}([0-9a-f]{24})?$/u.test(commitId) ? commitId : undefined;
}

/** The commit `revision` names (see resolveCommit), or undefined when it names no commit. */
export async function readCommit(gitDir: string, revision: string): Promise<GitCommit | undefined> {
  const commitId = await resolveCommit(gitDir, revision);
  if (commitId === undefined) return undefined;
  const { stdout } = await runGit(["--git-dir", gitDir, "cat-file", "commit", commitId]);
  return parseCommitObject(commitId, stdout.toString("utf8"));
}

/**
 * Parses a raw commit object (`git cat-file commit`): header lines (`tree`, `parent`, `author`,
 * `committer`, and others such as `gpgsig` whose continuation lines start with a space), a blank
 * line, then the message.
 */
export function parseCommitObject(commitId: string, raw: string): GitCommit {
  const blank = raw.indexOf("\n\n");
  const header = blank < 0 ? raw : raw.slice(0, blank);
  const body = blank < 0 ? "" : raw.slice(blank + 2);
  let treeId: string | undefined;
  const parents: string[] = [];
  let author: GitSignature | undefined;
  let committer: GitSignature | undefined;
  for (const line of header.split("\n")) {
    if (line.startsWith(" ")) continue;
    const space = line.indexOf(" ");
    const key = line.slice(0, space);
    const value = line.slice(space + 1);
    if (key === "tree") treeId = value;
    else if (key === "parent") parents.push(value);
    else if (key === "author") author = parseSignature(value);
    else if (key === "committer") committer = parseSignature(value);
  }
  if (!treeId || !author || !committer) throw new Error(`commit ${commitId} is malformed: ${header}`);
  return {
    commitId,
    treeId,
    parents,
    message: body.endsWith("\n") ? body.slice(0, -1) : body,
    author,
    committer,
  };
}

/** `Name <email> 1484167798 -0800` (the name may be empty, the email may hold anything but `>`). */
export function parseSignature(value: string): GitSignature {
  const match = /^(.*?) ?<([^>]*)> (\d+) ([+-]\d{4})$/u.exec(value);
  if (!match) throw new Error(`malformed git signature '${value}'`);
  return { name: match[1]!, email: match[2]!, date: Number(match[3]) * 1000, timezone: match[4]! };
}
