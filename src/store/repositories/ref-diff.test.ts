import { describe, expect, it } from "vitest";
import { chooseDefaultBranch, diffRefs } from "./ref-diff.js";

const refs = (entries: Record<string, string>) => new Map(Object.entries(entries));

describe("diffing ref snapshots", () => {
  it("reports created, moved and deleted refs, in ref order, and nothing that stayed", () => {
    const before = refs({ "refs/heads/main": "a1", "refs/heads/old": "b1", "refs/tags/v1": "c1" });
    const after = refs({ "refs/heads/main": "a2", "refs/heads/new": "d1", "refs/tags/v1": "c1" });
    expect(diffRefs(before, after)).toEqual([
      { ref: "refs/heads/main", oldCommit: "a1", newCommit: "a2" },
      { ref: "refs/heads/new", newCommit: "d1" },
      { ref: "refs/heads/old", oldCommit: "b1" },
    ]);
    expect(diffRefs(after, after)).toEqual([]);
  });
});

describe("choosing the default branch after a push", () => {
  const update = (branch: string) => ({ ref: `refs/heads/${branch}`, newCommit: "x" });

  it("takes the first branch pushed to a repository without one", () => {
    expect(chooseDefaultBranch(undefined, [update("feature")], refs({ "refs/heads/feature": "x" }))).toBe(
      "feature",
    );
  });

  it("prefers main, then master, when one push creates several branches", () => {
    const after = refs({ "refs/heads/a": "x", "refs/heads/main": "x", "refs/heads/master": "x" });
    expect(chooseDefaultBranch(undefined, [update("a"), update("master"), update("main")], after)).toBe(
      "main",
    );
    expect(chooseDefaultBranch(undefined, [update("b"), update("master")], after)).toBe("master");
    expect(chooseDefaultBranch(undefined, [update("zeta"), update("alpha")], after)).toBe("alpha");
  });

  it("keeps a default branch that still exists, and ignores tags", () => {
    const after = refs({ "refs/heads/main": "x", "refs/heads/dev": "y" });
    expect(chooseDefaultBranch("main", [update("dev")], after)).toBeUndefined();
    expect(
      chooseDefaultBranch(undefined, [{ ref: "refs/tags/v1", newCommit: "x" }], refs({})),
    ).toBeUndefined();
  });

  it("moves off a default branch the push deleted, to a remaining branch", () => {
    const after = refs({ "refs/heads/dev": "y" });
    expect(chooseDefaultBranch("main", [{ ref: "refs/heads/main", oldCommit: "x" }], after)).toBe("dev");
  });
});
