import { describe, expect, it } from "vitest";
import { writeCommit } from "../../git/index.js";
import { type CurrentStores, T0 } from "./builders.contract.js";
import { author, createRepository } from "./repository-builders.contract.js";

const identity = { name: "Jane Doe", email: "jane@example.com", date: T0, timezone: "+0000" };

/** Trees, blobs and commits written onto a branch (CodeCommit's file operations). */
export function describeRepositoryCommitContract(current: CurrentStores): void {
  describe("trees and commits to a branch", () => {
    it("reads tree entries, folder children, all files, blobs and changes", async () => {
      const { repositories } = current().stores;
      const record = await createRepository(repositories, "app");
      const gitDir = repositories.gitDir(record);
      const first = await writeCommit(gitDir, {
        files: { "README.md": "hello\n", "src/a.js": "1\n" },
        message: "first",
        author,
        ref: "refs/heads/main",
      });
      const readme = await repositories.treeEntry(record, first, "README.md");
      expect(readme).toEqual({
        mode: "100644",
        type: "blob",
        objectId: expect.any(String),
        path: "README.md",
        size: 6,
      });
      expect(Buffer.from(await repositories.readBlob(record, readme!.objectId)).toString()).toBe("hello\n");
      const src = await repositories.treeEntry(record, first, "src");
      expect(src?.type).toBe("tree");
      expect((await repositories.treeChildren(record, src!.objectId, "src/")).map((e) => e.path)).toEqual([
        "src/a.js",
      ]);
      expect((await repositories.treeEntry(record, first, ""))?.type).toBe("tree");
      // Pathspec magic is not read: `*` and `:(glob)` name nothing.
      for (const path of ["nope", "*", ":(glob)**", "src/*"]) {
        expect(await repositories.treeEntry(record, first, path), path).toBeUndefined();
      }
      expect((await repositories.treeFiles(record, first)).map((e) => e.path)).toEqual([
        "README.md",
        "src/a.js",
      ]);
      expect((await repositories.treeChanges(record, undefined, first)).map((c) => c.changeType)).toEqual([
        "A",
        "A",
      ]);
    });

    it("creates and deletes refs only from what they point at, and sets the default branch", async () => {
      const { repositories } = current().stores;
      const record = await createRepository(repositories, "app");
      const gitDir = repositories.gitDir(record);
      const first = await writeCommit(gitDir, {
        files: { "README.md": "hello\n" },
        message: "first",
        author,
        ref: "refs/heads/main",
      });
      const blob = await repositories.treeEntry(record, first, "README.md");
      expect(await repositories.objectInfo(record, blob!.objectId)).toEqual({ type: "blob", size: 6 });
      expect((await repositories.objectInfo(record, first))?.type).toBe("commit");
      expect(await repositories.objectInfo(record, "0".repeat(40))).toBeUndefined();

      const created = await repositories.moveRef(record, { ref: "refs/heads/release", newCommit: first });
      expect(created).toEqual([{ ref: "refs/heads/release", newCommit: first }]);
      // Creating it again finds it there; deleting from a commit it is not at changes nothing.
      expect(
        await repositories.moveRef(record, { ref: "refs/heads/release", newCommit: first }),
      ).toBeUndefined();
      const other = await writeCommit(gitDir, {
        files: { b: "b\n" },
        message: "other",
        author,
        ref: "refs/heads/x",
      });
      expect(
        await repositories.moveRef(record, { ref: "refs/heads/release", expected: other }),
      ).toBeUndefined();
      expect((await repositories.refs(record)).get("refs/heads/release")).toBe(first);

      await repositories.setDefaultBranch(record, "release");
      expect((await repositories.get(record.scope, "app"))?.defaultBranch).toBe("release");
      expect(await repositories.moveRef(record, { ref: "refs/heads/main", expected: first })).toEqual([
        { ref: "refs/heads/main", oldCommit: first },
      ]);
      expect([...(await repositories.refs(record)).keys()].sort()).toEqual([
        "refs/heads/release",
        "refs/heads/x",
      ]);
    });

    it("moves the branch only from the parent it was given, serialised with other writers", async () => {
      const { repositories } = current().stores;
      const record = await createRepository(repositories, "app");
      const root = await repositories.commitToBranch(record, {
        ref: "refs/heads/main",
        files: [{ path: "a.txt", mode: "100644", content: new TextEncoder().encode("a\n") }],
        message: "root",
        author: identity,
      });
      if (!root.ok) throw new Error("the first commit failed");
      expect(root.updates).toEqual([{ ref: "refs/heads/main", newCommit: root.commitId }]);
      expect((await repositories.get(record.scope, "app"))?.defaultBranch).toBe("main");
      // The branch exists now: a second "first commit" does not replace it.
      expect(
        await repositories.commitToBranch(record, {
          ref: "refs/heads/main",
          files: [{ path: "b.txt", mode: "100644", content: new Uint8Array(0) }],
          message: "again",
          author: identity,
        }),
      ).toEqual({ ok: false, reason: "ParentOutdated" });
      const racers = await Promise.all(
        ["one", "two", "three"].map((name) =>
          repositories.commitToBranch(record, {
            ref: "refs/heads/main",
            parent: root.commitId,
            files: [{ path: `${name}.txt`, mode: "100644", content: new TextEncoder().encode(name) }],
            message: name,
            author: identity,
          }),
        ),
      );
      const won = racers.filter((r) => r.ok);
      expect(won).toHaveLength(1);
      expect(racers.filter((r) => !r.ok)).toEqual([
        { ok: false, reason: "ParentOutdated" },
        { ok: false, reason: "ParentOutdated" },
      ]);
      expect((await repositories.refs(record)).get("refs/heads/main")).toBe(
        won[0]!.ok ? won[0]!.commitId : "",
      );
      const same = await repositories.commitToBranch(record, {
        ref: "refs/heads/main",
        parent: root.commitId,
        files: [{ path: "a.txt", mode: "100644", content: new TextEncoder().encode("a\n") }],
        message: "no change",
        author: identity,
      });
      expect(same).toEqual({ ok: false, reason: "NoChange" });
    });
  });
}
