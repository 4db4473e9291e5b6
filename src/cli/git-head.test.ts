import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { gitHead } from "./git-head.js";

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@e",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@e",
    },
  })
    .toString()
    .trim();
}

describe("gitHead", () => {
  it("reads what git rev-parse HEAD prints: loose, packed, detached, from a subdirectory and a worktree", () => {
    const repo = mkdtempSync(join(tmpdir(), "pw-head-"));
    roots.push(repo);
    git(repo, "init", "-q", "-b", "main");
    expect(gitHead(repo)).toBeUndefined(); // no commit yet
    git(repo, "commit", "-q", "--allow-empty", "-m", "one");
    const one = git(repo, "rev-parse", "HEAD");
    expect(gitHead(repo)).toBe(one);
    git(repo, "pack-refs", "--all");
    expect(gitHead(repo)).toBe(one);
    git(repo, "commit", "-q", "--allow-empty", "-m", "two");
    const two = git(repo, "rev-parse", "HEAD");
    execFileSync("mkdir", ["-p", join(repo, "a", "b")]);
    expect(gitHead(join(repo, "a", "b"))).toBe(two);
    git(repo, "checkout", "-q", "--detach", one);
    expect(gitHead(repo)).toBe(one);
    const tree = join(repo, "..", `${repo.split("/").pop()}-wt`);
    roots.push(tree);
    git(repo, "worktree", "add", "-q", "-b", "side", tree, two);
    expect(gitHead(tree)).toBe(two);
    const outside = mkdtempSync(join(tmpdir(), "pw-nohead-"));
    roots.push(outside);
    expect(gitHead(outside)).toBeUndefined();
  });
});
