import { describe, expect, it } from "vitest";
import { runGit, writeCommit } from "../../git/index.js";
import { type CurrentStores, scope, T0 } from "./builders.contract.js";
import { author, createPusher, createRepository, readAll } from "./repository-builders.contract.js";

/** What the store reads out of its bare repositories, and pushes served through smartHttp. */
export function describeRepositoryGitContract(current: CurrentStores): void {
  describe("git", () => {
    it("reads refs with annotated tags peeled, commits, and changed files", async () => {
      const { repositories } = current().stores;
      const record = await createRepository(repositories, "app");
      const gitDir = repositories.gitDir(record);
      const first = await writeCommit(gitDir, {
        files: { "README.md": "hello\n", "src/app.js": "1\n", "src/old.js": "x\n" },
        message: "First commit\n\nWith a body.",
        author,
        committer: { name: "Bot", email: "bot@example.com", date: T0 + 5000, timezone: "+0530" },
        ref: "refs/heads/main",
      });
      const second = await writeCommit(gitDir, {
        files: { "README.md": "hello\n", "src/app.js": "2\n", "src/new.js": "y\n" },
        parents: [first],
        message: "Second",
        author,
        ref: "refs/heads/main",
      });
      await runGit(["--git-dir", gitDir, "update-ref", "refs/heads/feature", first]);
      await runGit(["--git-dir", gitDir, "update-ref", "refs/tags/light", first]);
      await runGit(["--git-dir", gitDir, "tag", "-a", "-m", "release", "v1", second], {
        env: { GIT_COMMITTER_NAME: "Bot", GIT_COMMITTER_EMAIL: "bot@example.com" },
      });
      expect(await repositories.refs(record)).toEqual(
        new Map([
          ["refs/heads/feature", first],
          ["refs/heads/main", second],
          ["refs/tags/light", first],
          ["refs/tags/v1", second],
        ]),
      );

      const commit = await repositories.commit(record, first);
      expect(commit).toEqual({
        commitId: first,
        treeId: expect.stringMatching(/^[0-9a-f]{40}$/),
        parents: [],
        message: "First commit\n\nWith a body.",
        author: { name: "Jane Doe", email: "jane@example.com", date: T0, timezone: "-0800" },
        committer: { name: "Bot", email: "bot@example.com", date: T0 + 5000, timezone: "+0530" },
      });
      expect((await repositories.commit(record, second.slice(0, 10)))?.parents).toEqual([first]);
      expect((await repositories.commit(record, "refs/tags/v1"))?.commitId).toBe(second);
      expect((await repositories.commit(record, "main~1"))?.commitId).toBe(first);
      for (const unknown of ["0".repeat(40), "nope", "--output=/tmp/x", "-h", "", commit!.treeId]) {
        expect(await repositories.commit(record, unknown), unknown).toBeUndefined();
      }

      expect(await repositories.changedFiles(record, undefined, first)).toEqual([
        "README.md",
        "src/app.js",
        "src/old.js",
      ]);
      expect(await repositories.changedFiles(record, first, "main")).toEqual([
        "src/app.js",
        "src/new.js",
        "src/old.js",
      ]);
      expect(await repositories.changedFiles(record, second, second)).toEqual([]);
      await expect(repositories.changedFiles(record, undefined, "nope")).rejects.toThrow(/names no commit/);
    });

    it("streams a zip of a commit's tree", async () => {
      const { repositories } = current().stores;
      const record = await createRepository(repositories, "app");
      const id = await writeCommit(repositories.gitDir(record), {
        files: { "buildspec.yml": "version: 0.2\n", "src/index.js": "console.log(1)\n" },
        message: "zip me",
        author,
        ref: "refs/heads/main",
      });
      const zip = await readAll(repositories.archive(record, "main"));
      expect(zip.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
      expect(zip.includes("buildspec.yml")).toBe(true);
      expect(zip.includes("src/index.js")).toBe(true);
      expect(zip.includes(".git/")).toBe(false);
      expect((await readAll(repositories.archive(record, id))).equals(zip)).toBe(true);
      await expect(readAll(repositories.archive(record, "nope"))).rejects.toThrow(/names no commit/);
    });

    it("serves a push through smartHttp, reports exactly the refs it changed, and records it", async () => {
      const { repositories } = current().stores;
      const record = await createRepository(repositories, "app", { lastModified: 1000 });
      const pusher = await createPusher();
      try {
        const one = await pusher.commit({ "a.txt": "1" });
        const two = await pusher.commit({ "a.txt": "2" }, [one]);
        const created = await pusher.push(repositories, record, { "refs/heads/feature": [undefined, one] });
        expect(created.report).toContain("unpack ok");
        expect(created.response.headers["content-type"]).toBe("application/x-git-receive-pack-result");
        expect(await created.response.refUpdates).toEqual([{ ref: "refs/heads/feature", newCommit: one }]);
        const afterFirst = await repositories.get(scope, "app");
        expect(afterFirst?.defaultBranch).toBe("feature");
        expect(afterFirst!.lastModified).toBeGreaterThan(1000);
        expect(
          (
            await runGit(["--git-dir", repositories.gitDir(record), "symbolic-ref", "HEAD"])
          ).stdout.toString(),
        ).toBe("refs/heads/feature\n");

        const several = await pusher.push(repositories, record, {
          "refs/heads/feature": [one, two],
          "refs/heads/main": [undefined, two],
          "refs/tags/v1": [undefined, one],
        });
        expect(await several.response.refUpdates).toEqual([
          { ref: "refs/heads/feature", oldCommit: one, newCommit: two },
          { ref: "refs/heads/main", newCommit: two },
          { ref: "refs/tags/v1", newCommit: one },
        ]);
        expect((await repositories.get(scope, "app"))?.defaultBranch).toBe("feature");

        // Force pushes and deletions are accepted, as CodeCommit accepts them; deleting the
        // default branch is not (CodeCommit: DefaultBranchCannotBeDeletedException).
        const forced = await pusher.push(repositories, record, {
          "refs/heads/feature": [two, one],
          "refs/heads/main": [two, undefined],
        });
        expect(forced.report).toContain("ok refs/heads/feature");
        expect(await forced.response.refUpdates).toEqual([
          { ref: "refs/heads/feature", oldCommit: two, newCommit: one },
          { ref: "refs/heads/main", oldCommit: two },
        ]);
        const refused = await pusher.push(repositories, record, { "refs/heads/feature": [one, undefined] });
        expect(refused.report).toMatch(/ng refs\/heads\/feature/);
        expect(await refused.response.refUpdates).toEqual([]);
        expect((await repositories.get(scope, "app"))?.defaultBranch).toBe("feature");
        expect(await repositories.refs(record)).toEqual(
          new Map([
            ["refs/heads/feature", one],
            ["refs/tags/v1", one],
          ]),
        );

        const stale = await pusher.push(repositories, record, { "refs/heads/feature": [two, two] });
        expect(stale.report).toMatch(/ng refs\/heads\/feature/);
        expect(await stale.response.refUpdates).toEqual([]);
      } finally {
        await pusher.cleanup();
      }
    });

    it("serialises pushes to one repository, so each reports only its own updates", async () => {
      const { repositories } = current().stores;
      const record = await createRepository(repositories, "app");
      const pusher = await createPusher();
      try {
        const commits = await Promise.all([1, 2, 3, 4].map((n) => pusher.commit({ "n.txt": String(n) })));
        const pushes = await Promise.all(
          commits.map((id, n) =>
            pusher.push(repositories, record, { [`refs/heads/b${n}`]: [undefined, id] }),
          ),
        );
        const updates = await Promise.all(pushes.map((p) => p.response.refUpdates));
        expect(updates).toEqual(commits.map((id, n) => [{ ref: `refs/heads/b${n}`, newCommit: id }]));
      } finally {
        await pusher.cleanup();
      }
    });

    it("advertises refs to fetches without taking part in ref updates", async () => {
      const { repositories } = current().stores;
      const record = await createRepository(repositories, "app");
      const id = await writeCommit(repositories.gitDir(record), {
        files: { f: "1" },
        message: "m",
        author,
        ref: "refs/heads/main",
      });
      const response = await repositories.smartHttp(record, {
        method: "GET",
        pathInfo: "/info/refs",
        query: "service=git-upload-pack",
      });
      expect(response.status).toBe(200);
      expect((await readAll(response.body)).toString("latin1")).toContain(`${id} refs/heads/main`);
      expect(await response.refUpdates).toEqual([]);
      const removed = { ...record };
      await repositories.remove(scope, "app");
      const gone = await repositories.smartHttp(removed, {
        method: "GET",
        pathInfo: "/info/refs",
        query: "service=git-upload-pack",
      });
      expect(gone.status).toBe(404);
      await readAll(gone.body);
    });
  });
}
