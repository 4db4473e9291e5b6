import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type CurrentStores,
  otherAccount,
  otherRegion,
  scope,
  T0,
  tryToMutate,
} from "./builders.contract.js";
import { createRepository, newRepositoryId, repositoryRecord } from "./repository-builders.contract.js";
import { describeRepositoryCommitContract } from "./repository-commit.contract.js";
import { describeRepositoryGitContract } from "./repository-git.contract.js";

/** RepositoryStore's behaviour (types.ts states it in words): records, listing, files, git. */
export function describeRepositoryStoreContract(current: CurrentStores): void {
  describe("repositories", () => {
    describeRecordsContract(current);
    describeListContract(current);
    describeFilesContract(current);
    describeRepositoryGitContract(current);
    describeRepositoryCommitContract(current);
  });
}

function describeRecordsContract(current: CurrentStores): void {
  it("creates a repository once per scope and reads it back", async () => {
    const { repositories } = current().stores;
    const record = repositoryRecord("app", { description: "the app" });
    expect(await repositories.create(record)).toEqual({ ok: true });
    expect(await repositories.get(scope, "app")).toEqual(record);
    expect(await repositories.create(repositoryRecord("app"))).toEqual({ ok: false, reason: "NameInUse" });
    expect(await repositories.create(repositoryRecord("app", { scope: otherRegion }))).toEqual({ ok: true });
    expect(await repositories.create(repositoryRecord("app", { scope: otherAccount }))).toEqual({ ok: true });
    expect(await repositories.get(scope, "App")).toBeUndefined();
    expect((await repositories.get(otherRegion, "app"))?.repositoryId).not.toBe(record.repositoryId);
  });

  it("keeps stored records apart from what callers hand in and get back", async () => {
    const { repositories } = current().stores;
    const record = { ...repositoryRecord("app"), description: "first" };
    await repositories.create(record);
    record.description = "edited input";
    const got = await repositories.get(scope, "app");
    tryToMutate(() => {
      (got as { description?: string }).description = "edited output";
    });
    expect((await repositories.get(scope, "app"))?.description).toBe("first");
  });

  it("removes the record and the repository's files; removing again finds nothing", async () => {
    const { repositories } = current().stores;
    const record = await createRepository(repositories, "app");
    const gitDir = repositories.gitDir(record);
    expect(existsSync(join(gitDir, "HEAD"))).toBe(true);
    expect(await repositories.remove(scope, "app")).toEqual(record);
    expect(existsSync(gitDir)).toBe(false);
    expect(await repositories.get(scope, "app")).toBeUndefined();
    expect(await repositories.remove(scope, "app")).toBeUndefined();
    const again = await createRepository(repositories, "app");
    expect(again.repositoryId).not.toBe(record.repositoryId);
    expect(await repositories.refs(again)).toEqual(new Map());
  });

  it("rejects calls after close", async () => {
    const { stores } = current();
    const record = await createRepository(stores.repositories, "app");
    await stores.close();
    await expect(stores.repositories.get(scope, "app")).rejects.toThrow();
    await expect(stores.repositories.create(repositoryRecord("other"))).rejects.toThrow();
    await expect(stores.repositories.list(scope, { limit: 1 })).rejects.toThrow();
    await expect(stores.repositories.refs(record)).rejects.toThrow();
  });
}

function describeListContract(current: CurrentStores): void {
  const names = (page: { items: { name: string }[] }) => page.items.map((r) => r.name);

  it("lists a scope's repositories by name in byte order, in pages, either way round", async () => {
    const { repositories } = current().stores;
    for (const name of ["beta", "Alpha", "alpha", "a.b", "a-b", "a_b", "zeta"]) {
      await createRepository(repositories, name);
    }
    await createRepository(repositories, "west", { scope: otherRegion });
    const all = ["Alpha", "a-b", "a.b", "a_b", "alpha", "beta", "zeta"];
    expect(names(await repositories.list(scope, { limit: 100 }))).toEqual(all);
    const first = await repositories.list(scope, { limit: 3 });
    expect([names(first), first.nextAfter]).toEqual([all.slice(0, 3), "a.b"]);
    const second = await repositories.list(scope, { limit: 3, after: first.nextAfter! });
    const third = await repositories.list(scope, { limit: 3, after: second.nextAfter! });
    expect([names(second), names(third), third.nextAfter]).toEqual([all.slice(3, 6), ["zeta"], undefined]);
    const down = await repositories.list(scope, { limit: 4, descending: true });
    expect(names(down)).toEqual([...all].reverse().slice(0, 4));
    const rest = await repositories.list(scope, { limit: 4, descending: true, after: down.nextAfter! });
    expect(names(rest)).toEqual([...all].reverse().slice(4));
    expect(names(await repositories.list(otherRegion, { limit: 10 }))).toEqual(["west"]);
    expect(await repositories.list(otherAccount, { limit: 10 })).toEqual({ items: [] });
  });

  it("lists by lastModifiedDate (ties by name), in pages, either way round", async () => {
    const { repositories } = current().stores;
    const when = { c: T0 + 1, a: T0 + 3, b: T0 + 1, d: T0 + 2, e: T0 + 3 };
    for (const [name, lastModified] of Object.entries(when)) {
      await createRepository(repositories, name, { lastModified });
    }
    const sorted = ["b", "c", "d", "a", "e"];
    const options = { sortBy: "lastModifiedDate" as const };
    const first = await repositories.list(scope, { ...options, limit: 2 });
    const second = await repositories.list(scope, { ...options, limit: 2, after: first.nextAfter! });
    const third = await repositories.list(scope, { ...options, limit: 2, after: second.nextAfter! });
    expect([names(first), names(second), names(third)]).toEqual([["b", "c"], ["d", "a"], ["e"]]);
    expect(third.nextAfter).toBeUndefined();
    const down = await repositories.list(scope, { ...options, limit: 3, descending: true });
    const rest = await repositories.list(scope, {
      ...options,
      limit: 3,
      descending: true,
      after: down.nextAfter!,
    });
    expect([...names(down), ...names(rest)]).toEqual([...sorted].reverse());
  });

  it("refuses a page limit that is not a positive integer", async () => {
    const { repositories } = current().stores;
    await expect(repositories.list(scope, { limit: 0 })).rejects.toThrow(RangeError);
  });
}

function describeFilesContract(current: CurrentStores): void {
  const unsafe = ["..", ".", "a/b", "%2e%2e", "../escape", "/abs", "a\\b", "", "a b", "x".repeat(101)];

  it("keeps each repository in a directory named by its id, under one root", async () => {
    const { repositories } = current().stores;
    const record = await createRepository(repositories, "app.git-like_name");
    const gitDir = repositories.gitDir(record);
    expect(gitDir.endsWith(`${record.repositoryId}.git`)).toBe(true);
    expect(readdirSync(dirname(gitDir)).filter((e) => e !== "tmp")).toEqual([`${record.repositoryId}.git`]);
  });

  it("throws for names and ids that could reach outside the root, and creates nothing", async () => {
    const { repositories } = current().stores;
    const anchor = await createRepository(repositories, "anchor");
    const root = dirname(repositories.gitDir(anchor));
    const outside = readdirSync(dirname(root));
    for (const name of unsafe) {
      await expect(repositories.create(repositoryRecord(name)), name).rejects.toThrow(
        /not a valid repository name/,
      );
      expect(await repositories.get(scope, name)).toBeUndefined();
      expect(await repositories.remove(scope, name)).toBeUndefined();
    }
    for (const repositoryId of ["../x", "..", "a/b", "00000000-0000-4000-8000-00000000000A", ""]) {
      await expect(repositories.create({ ...repositoryRecord("ok"), repositoryId })).rejects.toThrow(
        /not a repository id/,
      );
      expect(() => repositories.gitDir({ ...anchor, repositoryId })).toThrow(/not a repository id/);
    }
    expect(readdirSync(root).filter((e) => e !== "tmp")).toEqual([`${anchor.repositoryId}.git`]);
    expect(
      readdirSync(dirname(root)).filter((e) => !outside.includes(e) && /escape|abs|\.git$/u.test(e)),
    ).toEqual([]);
    expect((await repositories.list(scope, { limit: 100 })).items.map((r) => r.name)).toEqual(["anchor"]);
  });

  it("refuses a repository id that is already in use, leaving the first repository intact", async () => {
    const { repositories } = current().stores;
    const first = await createRepository(repositories, "first");
    await expect(
      repositories.create({ ...repositoryRecord("second"), repositoryId: first.repositoryId }),
    ).rejects.toThrow();
    expect(existsSync(join(repositories.gitDir(first), "HEAD"))).toBe(true);
    expect(await repositories.get(scope, "second")).toBeUndefined();
    expect(newRepositoryId()).not.toBe(first.repositoryId);
  });
}
