import { execFileSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";

const SHA = /^[0-9a-f]{40}$/;

/**
 * The commit HEAD points at in the git repository holding `dir` (what `git rev-parse HEAD`
 * prints), read from the repository's files: spawning git costs a process on every
 * `pipewright build`. Worktrees (`.git` file, `commondir`) and packed refs are read; anything
 * else (reftable, a ref it cannot find) asks git itself. Undefined outside a repository or
 * before the first commit.
 */
export function gitHead(dir: string): string | undefined {
  const gitDir = findGitDir(dir);
  if (!gitDir) return undefined;
  try {
    const head = readFileSync(join(gitDir, "HEAD"), "utf8").trim();
    if (SHA.test(head)) return head;
    const ref = /^ref: (refs\/\S+)$/.exec(head)?.[1];
    if (ref) {
      const found = readRef(gitDir, ref);
      if (found) return found;
    }
  } catch {
    // fall through to git
  }
  return askGit(dir);
}

function findGitDir(start: string): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const dotGit = join(dir, ".git");
    try {
      if (statSync(dotGit).isDirectory()) return dotGit;
      const pointer = /^gitdir: (.+)$/m.exec(readFileSync(dotGit, "utf8"))?.[1]?.trim();
      if (pointer) return isAbsolute(pointer) ? pointer : resolve(dir, pointer);
    } catch {
      // not here
    }
    if (dirname(dir) === dir) return undefined;
  }
}

function readRef(gitDir: string, ref: string): string | undefined {
  let common = gitDir;
  try {
    const c = readFileSync(join(gitDir, "commondir"), "utf8").trim();
    common = isAbsolute(c) ? c : resolve(gitDir, c);
  } catch {
    // not a worktree
  }
  for (const base of [gitDir, common]) {
    try {
      const value = readFileSync(join(base, ref), "utf8").trim();
      if (SHA.test(value)) return value;
    } catch {
      // maybe packed
    }
  }
  try {
    for (const line of readFileSync(join(common, "packed-refs"), "utf8").split("\n")) {
      const [sha, name] = line.split(" ");
      if (name === ref && sha && SHA.test(sha)) return sha;
    }
  } catch {
    // no packed refs
  }
  return undefined;
}

function askGit(dir: string): string | undefined {
  try {
    const head = execFileSync("git", ["-C", dir, "rev-parse", "--verify", "-q", "HEAD"], {
      stdio: ["ignore", "pipe", "ignore"],
    })
      .toString()
      .trim();
    return SHA.test(head) ? head : undefined;
  } catch {
    return undefined;
  }
}
