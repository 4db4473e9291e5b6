import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloneUrl, createGitCli, type GitCli } from "../support/git-cli.js";
import { GIT_CREDENTIALS, startGitTestApi } from "../support/git-test-api.js";

// The git front end and CodeCommit in process (memory stores), with the real git client over a
// loopback port: onPush must hear exactly the refs each push changed, and nothing else.
describe("push events from the git front end", () => {
  let api: Awaited<ReturnType<typeof startGitTestApi>>;
  let cli: GitCli;
  let url: string;
  let work: string;

  beforeAll(async () => {
    api = await startGitTestApi();
    cli = createGitCli();
    expect((await api.codecommit("CreateRepository", { repositoryName: "events" })).status).toBe(200);
    url = cloneUrl(api.endpoint, "events", GIT_CREDENTIALS);
    work = cli.dir("work");
    await cli.ok(work, "clone", "-q", url, ".");
  });
  afterAll(async () => {
    await api?.close();
    cli?.cleanup();
  });

  const lastPush = () => api.pushes.at(-1)!;

  it("reports a first push of main, with the pusher and the repository's new default branch", async () => {
    const first = await cli.commit(work, "first", { "README.md": "hello\n" });
    await cli.ok(work, "push", "-q", "origin", "main");
    expect(api.pushes).toHaveLength(1);
    expect(lastPush().updates).toEqual([{ ref: "refs/heads/main", newCommit: first }]);
    expect(lastPush().pusher).toBe(GIT_CREDENTIALS.accessKeyId);
    expect(lastPush().repository).toMatchObject({ name: "events", defaultBranch: "main" });
    expect(lastPush().scope).toEqual({ accountId: "123456789012", region: "us-east-1" });
  });

  it("reports every ref of a multi-ref push once, annotated tags as the commit they tag", async () => {
    const main = await cli.commit(work, "second", { "a.txt": "a\n" });
    await cli.ok(work, "branch", "feature");
    await cli.ok(work, "tag", "-a", "-m", "release", "v1.0.0");
    await cli.ok(work, "push", "-q", "origin", "main", "feature", "v1.0.0");
    expect(api.pushes).toHaveLength(2);
    const previous = api.pushes[0]!.updates[0]!.newCommit;
    expect(lastPush().updates).toEqual([
      { ref: "refs/heads/feature", newCommit: main },
      { ref: "refs/heads/main", oldCommit: previous, newCommit: main },
      { ref: "refs/tags/v1.0.0", newCommit: main },
    ]);
  });

  it("reports force pushes and deletions, and nothing for a push that changes nothing", async () => {
    const before = await cli.ok(work, "rev-parse", "feature");
    await cli.ok(work, "checkout", "-q", "feature");
    const rewritten = await cli
      .ok(work, "commit", "-q", "--amend", "-m", "rewritten")
      .then(() => cli.ok(work, "rev-parse", "HEAD"));
    await cli.ok(work, "push", "-q", "--force", "origin", "feature");
    expect(lastPush().updates).toEqual([
      { ref: "refs/heads/feature", oldCommit: before, newCommit: rewritten },
    ]);
    await cli.ok(work, "push", "-q", "origin", "--delete", "feature");
    expect(lastPush().updates).toEqual([{ ref: "refs/heads/feature", oldCommit: rewritten }]);
    const count = api.pushes.length;
    await cli.ok(work, "push", "-q", "origin", "main");
    expect(api.pushes).toHaveLength(count);
  });

  it("reports nothing for a refused push (the default branch cannot be deleted)", async () => {
    const count = api.pushes.length;
    const refused = await cli.git(work, "push", "origin", "--delete", "main");
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/deletion of the current branch prohibited/);
    expect(api.pushes).toHaveLength(count);
  });

  it("keeps concurrent pushes apart: each event holds only its own branch", async () => {
    const clones = await Promise.all(
      ["c1", "c2", "c3"].map(async (name) => {
        const dir = cli.dir(name);
        await cli.ok(dir, "clone", "-q", url, ".");
        await cli.ok(dir, "checkout", "-q", "-b", name);
        return { name, dir, commit: await cli.commit(dir, name, { [`${name}.txt`]: name }) };
      }),
    );
    const count = api.pushes.length;
    await Promise.all(clones.map((c) => cli.ok(c.dir, "push", "-q", "origin", c.name)));
    const events = api.pushes.slice(count).map((p) => p.updates);
    expect(events).toHaveLength(3);
    expect(events.sort((a, b) => (a[0]!.ref < b[0]!.ref ? -1 : 1))).toEqual(
      clones.map((c) => [{ ref: `refs/heads/${c.name}`, newCommit: c.commit }]),
    );
  });

  it("logs a failing push hook and still completes the push", async () => {
    api.failPushHook = true;
    try {
      await cli.ok(work, "checkout", "-q", "main");
      const commit = await cli.commit(work, "hook fails", { "b.txt": "b\n" });
      await cli.ok(work, "push", "-q", "origin", "main");
      expect(lastPush().updates).toEqual([
        expect.objectContaining({ ref: "refs/heads/main", newCommit: commit }),
      ]);
      expect(api.errors.map((e) => e.message)).toContain("git push hook failed");
      expect(await cli.ok(work, "ls-remote", "origin", "refs/heads/main")).toBe(`${commit}\trefs/heads/main`);
    } finally {
      api.failPushHook = false;
    }
  });
});
