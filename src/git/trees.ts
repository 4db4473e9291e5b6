import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runGit } from "./run-git.js";

const OBJECT_ID = /^[0-9a-f]{40}([0-9a-f]{24})?$/u;

/** One entry of a tree as `git ls-tree -l` lists it. */
export interface GitTreeEntry {
  /** As git records it: `100644`, `100755`, `120000` (symlink), `040000` (tree), `160000` (submodule). */
  readonly mode: string;
  readonly type: "blob" | "tree" | "commit";
  readonly objectId: string;
  /** The full path from the root of the commit's tree, without a leading `/`. */
  readonly path: string;
  /** Blobs only: the size in bytes. */
  readonly size?: number;
}

/** One path that differs between two trees (`git diff-tree --raw`, no rename detection). */
export interface GitTreeChange {
  /** A added, M modified (content or mode), D deleted. */
  readonly changeType: "A" | "M" | "D";
  readonly path: string;
  readonly before?: { readonly mode: string; readonly objectId: string };
  readonly after?: { readonly mode: string; readonly objectId: string };
}

function assertObjectId(id: string, what: string): void {
  if (!OBJECT_ID.test(id)) throw new Error(`${what}: '${id}' is not a full object id`);
}

/** Paths reach git as literal pathspecs: `*`, `:(glob)` and friends mean nothing. */
const LITERAL = { GIT_LITERAL_PATHSPECS: "1" };

function parseLsTree(stdout: Buffer, prefix: string): GitTreeEntry[] {
  const entries: GitTreeEntry[] = [];
  for (const record of stdout.toString("utf8").split("\0")) {
    if (record === "") continue;
    const tab = record.indexOf("\t");
    const [mode, type, objectId, size] = record.slice(0, tab).split(/ +/u);
    const path = record.slice(tab + 1);
    if (!mode || !objectId || (type !== "blob" && type !== "tree" && type !== "commit")) {
      throw new Error(`git ls-tree: unexpected entry '${record}'`);
    }
    entries.push({
      mode,
      type,
      objectId,
      path: `${prefix}${path}`,
      ...(type === "blob" && size !== undefined && size !== "-" ? { size: Number(size) } : {}),
    });
  }
  return entries;
}

/**
 * The entry at `path` in commit `commitId`'s tree (`""`: the root tree itself), or undefined
 * when there is none. `path` must already be a clean relative path (no `..`, no leading `/`).
 */
export async function treeEntry(
  gitDir: string,
  commitId: string,
  path: string,
): Promise<GitTreeEntry | undefined> {
  assertObjectId(commitId, "tree entry");
  if (path === "") {
    const { stdout } = await runGit(["--git-dir", gitDir, "rev-parse", "--verify", `${commitId}^{tree}`]);
    return { mode: "040000", type: "tree", objectId: stdout.toString("utf8").trim(), path: "" };
  }
  const { stdout } = await runGit(["--git-dir", gitDir, "ls-tree", "-z", "-l", commitId, "--", path], {
    env: LITERAL,
  });
  return parseLsTree(stdout, "").find((e) => e.path === path);
}

/** The entries directly inside tree `treeId`, their paths prefixed with `prefix` (`dir/`). */
export async function treeChildren(gitDir: string, treeId: string, prefix: string): Promise<GitTreeEntry[]> {
  assertObjectId(treeId, "tree children");
  const { stdout } = await runGit(["--git-dir", gitDir, "ls-tree", "-z", "-l", treeId]);
  return parseLsTree(stdout, prefix);
}

/** Every blob and submodule of commit `commitId`'s tree, recursively, in git's order. */
export async function treeFiles(gitDir: string, commitId: string): Promise<GitTreeEntry[]> {
  assertObjectId(commitId, "tree files");
  const { stdout } = await runGit(["--git-dir", gitDir, "ls-tree", "-r", "-z", "-l", commitId]);
  return parseLsTree(stdout, "");
}

/** A blob's bytes. */
export async function readBlob(gitDir: string, blobId: string): Promise<Uint8Array> {
  assertObjectId(blobId, "read blob");
  const { stdout } = await runGit(["--git-dir", gitDir, "cat-file", "blob", blobId]);
  return new Uint8Array(stdout.buffer, stdout.byteOffset, stdout.byteLength);
}

/** An object's type and size (`git cat-file -t/-s`); undefined when the repository has no such object. */
export async function objectInfo(
  gitDir: string,
  objectId: string,
): Promise<{ type: string; size: number } | undefined> {
  assertObjectId(objectId, "object info");
  const out = await runGit(["--git-dir", gitDir, "cat-file", "--batch-check=%(objecttype) %(objectsize)"], {
    input: `${objectId}\n`,
  });
  const [type, size] = out.stdout.toString().trim().split(" ");
  if (type === undefined || size === undefined || type === "missing" || size === "missing") return undefined;
  return { type, size: Number(size) };
}

/** What changed from commit `from` to commit `to`, path by path (`from` absent: every path added). */
export async function treeChanges(
  gitDir: string,
  from: string | undefined,
  to: string,
): Promise<GitTreeChange[]> {
  if (from === undefined) {
    return (await treeFiles(gitDir, to)).map((e) => ({
      changeType: "A",
      path: e.path,
      after: { mode: e.mode, objectId: e.objectId },
    }));
  }
  assertObjectId(from, "tree changes");
  assertObjectId(to, "tree changes");
  const { stdout } = await runGit([
    "--git-dir",
    gitDir,
    "diff-tree",
    "-r",
    "-z",
    "--no-renames",
    "--raw",
    from,
    to,
  ]);
  const fields = stdout.toString("utf8").split("\0");
  const changes: GitTreeChange[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [oldMode, newMode, oldId, newId, status] = fields[i]!.replace(/^:/u, "").split(" ");
    const path = fields[i + 1]!;
    if (!oldMode || !newMode || !oldId || !newId || !status) {
      throw new Error(`git diff-tree: unexpected record '${fields[i]}'`);
    }
    const before = { mode: oldMode, objectId: oldId };
    const after = { mode: newMode, objectId: newId };
    if (status === "A") changes.push({ changeType: "A", path, after });
    else if (status === "D") changes.push({ changeType: "D", path, before });
    else changes.push({ changeType: "M", path, before, after });
  }
  return changes;
}

/** A file of a new tree: its mode, and its content (written as a blob) or an existing blob's id. */
export interface NewTreeFile {
  readonly path: string;
  readonly mode: string;
  readonly content?: Uint8Array;
  readonly objectId?: string;
}

/**
 * Writes the tree holding exactly `files` (a full snapshot) into the bare repository with a
 * private index file, and returns its id and the blob id of each path. Paths must already be
 * clean; git refuses `.git` components itself.
 */
export async function writeTree(
  gitDir: string,
  files: readonly NewTreeFile[],
): Promise<{ treeId: string; blobIds: Map<string, string> }> {
  const scratch = await mkdtemp(join(tmpdir(), "pipewright-tree-"));
  try {
    const env = { GIT_INDEX_FILE: join(scratch, "index") };
    const blobIds = new Map<string, string>();
    const lines: string[] = [];
    for (const file of files) {
      let id = file.objectId;
      if (id === undefined) {
        const out = await runGit(["--git-dir", gitDir, "hash-object", "-w", "--stdin"], {
          input: file.content ?? new Uint8Array(0),
        });
        id = out.stdout.toString("utf8").trim();
      }
      assertObjectId(id, "write tree");
      blobIds.set(file.path, id);
      lines.push(`${file.mode} ${id}\t${file.path}\0`);
    }
    await runGit(["--git-dir", gitDir, "update-index", "--add", "-z", "--index-info"], {
      env,
      input: lines.join(""),
    });
    const { stdout } = await runGit(["--git-dir", gitDir, "write-tree"], { env });
    return { treeId: stdout.toString("utf8").trim(), blobIds };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** A commit object of `treeId` (no ref moves); returns its id. */
export async function commitTree(
  gitDir: string,
  commit: {
    readonly treeId: string;
    readonly parents: readonly string[];
    readonly message: string;
    readonly author: {
      readonly name: string;
      readonly email: string;
      readonly date: number;
      readonly timezone: string;
    };
  },
): Promise<string> {
  assertObjectId(commit.treeId, "commit tree");
  for (const parent of commit.parents) assertObjectId(parent, "commit tree");
  const when = `${Math.floor(commit.author.date / 1000)} ${commit.author.timezone}`;
  const { stdout } = await runGit(
    ["--git-dir", gitDir, "commit-tree", commit.treeId, ...commit.parents.flatMap((p) => ["-p", p])],
    {
      input: commit.message,
      env: {
        GIT_AUTHOR_NAME: commit.author.name,
        GIT_AUTHOR_EMAIL: commit.author.email,
        GIT_AUTHOR_DATE: when,
        GIT_COMMITTER_NAME: commit.author.name,
        GIT_COMMITTER_EMAIL: commit.author.email,
        GIT_COMMITTER_DATE: when,
      },
    },
  );
  return stdout.toString("utf8").trim();
}

/**
 * Moves `ref` to `newId` only if it still points at `oldId` (absent: only if it does not exist
 * yet), atomically (`git update-ref` with its old value). False when the ref had moved.
 */
export async function compareAndSwapRef(
  gitDir: string,
  ref: string,
  newId: string,
  oldId: string | undefined,
): Promise<boolean> {
  assertObjectId(newId, "update ref");
  if (oldId !== undefined) assertObjectId(oldId, "update ref");
  const zero = "0".repeat(newId.length);
  const out = await runGit(["--git-dir", gitDir, "update-ref", ref, newId, oldId ?? zero], {
    okExitCodes: [1, 128],
  });
  return out.exitCode === 0;
}

/** Deletes `ref` only while it points at `oldId` (`git update-ref -d`); false when it did not. */
export async function deleteRefIf(gitDir: string, ref: string, oldId: string): Promise<boolean> {
  assertObjectId(oldId, "delete ref");
  const out = await runGit(["--git-dir", gitDir, "update-ref", "-d", ref, oldId], { okExitCodes: [1, 128] });
  return out.exitCode === 0;
}
