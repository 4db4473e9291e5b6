import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeCommit } from "../../git/index.js";
import { silentLogger } from "../../lib/logger.js";
import { createMemoryStores } from "../../store/memory/create-memory-stores.js";
import type { Stores } from "../../store/types.js";
import { createApp, type FetchHandler } from "../app.js";
import { createCodeCommitService } from "./service.js";

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const ORIGIN = "http://git.example.test:4577";

describe("the CodeCommit service", () => {
  let stores: Stores;
  let app: FetchHandler;
  let ids = 0;
  beforeEach(() => {
    ids = 0;
    stores = createMemoryStores();
    app = createApp({
      jsonServices: [
        createCodeCommitService({
          repositories: stores.repositories,
          tags: stores.tags,
          newId: () => `00000000-0000-4000-8000-${(++ids).toString(16).padStart(12, "0")}`,
          pageSize: 2,
        }),
      ],
      authenticator: { authenticate: () => ({ ok: true, principal: "test" }) },
      defaultScope: { accountId: "123456789012", region: "eu-west-1" },
      maxBodyBytes: 64 * 1024,
      logger: silentLogger,
      now: () => NOW,
      newRequestId: () => "request-1",
      version: "test",
    });
  });
  afterEach(() => stores.close());

  async function call(operation: string, input: unknown) {
    const response = await app(
      new Request(`${ORIGIN}/`, {
        method: "POST",
        headers: {
          "x-amz-target": `CodeCommit_20150413.${operation}`,
          "content-type": "application/x-amz-json-1.1",
        },
        body: JSON.stringify(input),
      }),
    );
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response members.
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  }
  const errorOf = async (operation: string, input: unknown) => {
    const { status, body } = await call(operation, input);
    return [status, body.__type, body.message];
  };

  it("creates a repository and answers its metadata with a clone URL on the request's own origin", async () => {
    const created = await call("CreateRepository", { repositoryName: "app", repositoryDescription: "d" });
    const metadata = {
      accountId: "123456789012",
      repositoryId: "00000000-0000-4000-8000-000000000001",
      repositoryName: "app",
      repositoryDescription: "d",
      lastModifiedDate: NOW / 1000,
      creationDate: NOW / 1000,
      cloneUrlHttp: `${ORIGIN}/v1/repos/app`,
      Arn: "arn:aws:codecommit:eu-west-1:123456789012:app",
    };
    expect(created).toEqual({ status: 200, body: { repositoryMetadata: metadata } });
    expect((await call("GetRepository", { repositoryName: "app" })).body).toEqual({
      repositoryMetadata: metadata,
    });
  });

  it("answers name problems with CodeCommit's own exceptions", async () => {
    await call("CreateRepository", { repositoryName: "app" });
    expect(await errorOf("CreateRepository", { repositoryName: "app" })).toEqual([
      400,
      "RepositoryNameExistsException",
      "Repository named app already exists",
    ]);
    expect((await errorOf("CreateRepository", {}))[1]).toBe("RepositoryNameRequiredException");
    for (const repositoryName of ["a/b", "..", "x.git", "a b", "x".repeat(101)]) {
      expect((await errorOf("CreateRepository", { repositoryName }))[1], repositoryName).toBe(
        "InvalidRepositoryNameException",
      );
    }
    expect(await errorOf("GetRepository", { repositoryName: "nope" })).toEqual([
      400,
      "RepositoryDoesNotExistException",
      "nope does not exist",
    ]);
    expect((await errorOf("GetRepository", { repositoryName: 5 }))[1]).toBe("SerializationException");
    expect(
      (
        await errorOf("CreateRepository", { repositoryName: "d", repositoryDescription: "x".repeat(1001) })
      )[1],
    ).toBe("InvalidRepositoryDescriptionException");
  });

  it("keeps tags under the repository's ARN, refusing aws: keys, and drops them on delete", async () => {
    expect((await errorOf("CreateRepository", { repositoryName: "t", tags: { "aws:x": "1" } }))[1]).toBe(
      "InvalidSystemTagUsageException",
    );
    expect((await errorOf("CreateRepository", { repositoryName: "t", tags: { "": "1" } }))[1]).toBe(
      "InvalidTagsMapException",
    );
    await call("CreateRepository", { repositoryName: "t", tags: { team: "core", env: "dev" } });
    const arn = "arn:aws:codecommit:eu-west-1:123456789012:t";
    expect(await stores.tags.get(arn)).toEqual([
      { key: "env", value: "dev" },
      { key: "team", value: "core" },
    ]);
    expect((await call("DeleteRepository", { repositoryName: "t" })).body).toEqual({
      repositoryId: "00000000-0000-4000-8000-000000000001",
    });
    expect(await stores.tags.get(arn)).toEqual([]);
    expect(await call("DeleteRepository", { repositoryName: "t" })).toEqual({ status: 200, body: {} });
  });

  it("lists repositories by name or date, either way, in pages bound to their sort", async () => {
    for (const name of ["c", "a", "b"]) await call("CreateRepository", { repositoryName: name });
    const names = (body: Record<string, unknown>) =>
      (body.repositories as { repositoryName: string }[]).map((r) => r.repositoryName);
    const first = await call("ListRepositories", {});
    expect(names(first.body)).toEqual(["a", "b"]);
    const second = await call("ListRepositories", { nextToken: first.body.nextToken });
    expect([names(second.body), second.body.nextToken]).toEqual([["c"], undefined]);
    expect(names((await call("ListRepositories", { order: "descending" })).body)).toEqual(["c", "b"]);
    expect(names((await call("ListRepositories", { sortBy: "lastModifiedDate" })).body)).toEqual(["a", "b"]);
    expect((await errorOf("ListRepositories", { sortBy: "size" }))[1]).toBe("InvalidSortByException");
    expect((await errorOf("ListRepositories", { order: "up" }))[1]).toBe("InvalidOrderException");
    for (const nextToken of ["forged", first.body.nextToken]) {
      expect((await errorOf("ListRepositories", { nextToken, order: "descending" }))[1]).toBe(
        "InvalidContinuationTokenException",
      );
    }
  });

  it("reads branches and commits of what was pushed, with CodeCommit's date format", async () => {
    await call("CreateRepository", { repositoryName: "app" });
    const record = (await stores.repositories.get(
      { accountId: "123456789012", region: "eu-west-1" },
      "app",
    ))!;
    const author = { name: "Jane", email: "jane@example.com", date: 1484167798000, timezone: "-0800" };
    const gitDir = stores.repositories.gitDir(record);
    const first = await writeCommit(gitDir, {
      files: { a: "1" },
      message: "one\n",
      author,
      ref: "refs/heads/main",
    });
    for (const branch of ["b1", "b2"]) {
      await writeCommit(gitDir, {
        files: { a: branch },
        parents: [first],
        message: branch,
        author,
        ref: `refs/heads/${branch}`,
      });
    }
    expect((await call("GetBranch", { repositoryName: "app", branchName: "main" })).body).toEqual({
      branch: { branchName: "main", commitId: first },
    });
    const page = await call("ListBranches", { repositoryName: "app" });
    expect(page.body.branches).toEqual(["b1", "b2"]);
    const rest = await call("ListBranches", { repositoryName: "app", nextToken: page.body.nextToken });
    expect(rest.body).toEqual({ branches: ["main"] });
    expect(
      (await call("GetCommit", { repositoryName: "app", commitId: first.toUpperCase() })).body.commit,
    ).toEqual({
      commitId: first,
      treeId: expect.stringMatching(/^[0-9a-f]{40}$/),
      parents: [],
      message: "one",
      author: { name: "Jane", email: "jane@example.com", date: "1484167798 -0800" },
      committer: { name: "Jane", email: "jane@example.com", date: "1484167798 -0800" },
      additionalData: "",
    });
    const errors = [
      ["GetBranch", { repositoryName: "app" }, "BranchNameRequiredException"],
      ["GetBranch", { repositoryName: "app", branchName: "a..b" }, "InvalidBranchNameException"],
      ["GetBranch", { repositoryName: "app", branchName: "nope" }, "BranchDoesNotExistException"],
      ["GetBranch", { branchName: "main" }, "RepositoryNameRequiredException"],
      ["ListBranches", { repositoryName: "gone" }, "RepositoryDoesNotExistException"],
      ["ListBranches", { repositoryName: "app", nextToken: "forged" }, "InvalidContinuationTokenException"],
      ["GetCommit", { repositoryName: "app" }, "CommitIdRequiredException"],
      ["GetCommit", { repositoryName: "app", commitId: "main" }, "InvalidCommitIdException"],
      ["GetCommit", { repositoryName: "app", commitId: first.slice(0, 12) }, "InvalidCommitIdException"],
      ["GetCommit", { repositoryName: "app", commitId: "0".repeat(40) }, "CommitIdDoesNotExistException"],
    ] as const;
    for (const [operation, input, type] of errors) {
      expect((await errorOf(operation, input))[1], `${operation} ${JSON.stringify(input)}`).toBe(type);
    }
  });

  it("answers the model's other operations with UnsupportedOperationException", async () => {
    expect((await errorOf("CreatePullRequest", {}))[1]).toBe("UnsupportedOperationException");
    expect((await errorOf("NoSuchThing", {}))[1]).toBe("UnknownOperationException");
  });
});
