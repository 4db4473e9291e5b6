import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { silentLogger } from "../../lib/logger.js";
import { createMemoryStores } from "../../store/memory/create-memory-stores.js";
import type { Stores } from "../../store/types.js";
import { createApp, type FetchHandler } from "../app.js";
import type { PushEvent } from "../git/deps.js";
import { createCodeCommitService } from "./service.js";

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const b64 = (text: string | Uint8Array) => Buffer.from(text).toString("base64");
const SUBMODULE_COMMIT = "1234567890abcdef1234567890abcdef12345678";

describe("CodeCommit files and commits: GetFile, GetFolder, GetDifferences, CreateCommit", () => {
  let stores: Stores;
  let app: FetchHandler;
  let pushes: PushEvent[];
  beforeEach(async () => {
    stores = createMemoryStores();
    pushes = [];
    app = createApp({
      jsonServices: [
        createCodeCommitService({
          repositories: stores.repositories,
          tags: stores.tags,
          newId: () => "00000000-0000-4000-8000-000000000001",
          pageSize: 2,
          onCommit: (push) => {
            pushes.push(push);
          },
        }),
      ],
      authenticator: { authenticate: () => ({ ok: true, principal: "AKIDTEST" }) },
      defaultScope: { accountId: "123456789012", region: "eu-west-1" },
      maxBodyBytes: 1024 * 1024,
      logger: silentLogger,
      now: () => NOW,
      newRequestId: () => "request-1",
      version: "test",
    });
    await call("CreateRepository", { repositoryName: "app" });
  });
  afterEach(() => stores.close());

  async function call(operation: string, input: unknown) {
    const response = await app(
      new Request("http://localhost/", {
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

  /** The first commit: text, binary, an executable, a symlink, a nested folder. */
  async function seed() {
    const first = await call("CreateCommit", {
      repositoryName: "app",
      branchName: "main",
      authorName: "Jane",
      email: "jane@example.com",
      commitMessage: "first",
      putFiles: [
        { filePath: "README.md", fileContent: b64("# app\n") },
        { filePath: "/bin/run.sh", fileContent: b64("#!/bin/sh\necho hi\n"), fileMode: "EXECUTABLE" },
        { filePath: "img/logo.png", fileContent: b64(new Uint8Array([0, 255, 137, 80, 78, 71, 0])) },
        { filePath: "link", fileContent: b64("README.md"), fileMode: "SYMLINK" },
        { filePath: "src/lib/a.ts", fileContent: b64("export const a = 1;\n") },
      ],
    });
    expect(first.status).toBe(200);
    return first.body;
  }

  it("writes the first commit of an empty repository, sets the default branch and tells the push listener", async () => {
    const first = await seed();
    expect(first.commitId).toMatch(/^[0-9a-f]{40}$/u);
    expect(first.filesAdded.map((f: { absolutePath: string }) => f.absolutePath).sort()).toEqual([
      "README.md",
      "bin/run.sh",
      "img/logo.png",
      "link",
      "src/lib/a.ts",
    ]);
    expect(
      first.filesAdded.find((f: { absolutePath: string }) => f.absolutePath === "bin/run.sh").fileMode,
    ).toBe("EXECUTABLE");
    expect(first.filesUpdated).toEqual([]);
    const branch = await call("GetBranch", { repositoryName: "app", branchName: "main" });
    expect(branch.body.branch.commitId).toBe(first.commitId);
    expect(
      (await call("GetRepository", { repositoryName: "app" })).body.repositoryMetadata.defaultBranch,
    ).toBe("main");
    const commit = (await call("GetCommit", { repositoryName: "app", commitId: first.commitId })).body.commit;
    expect(commit).toMatchObject({
      message: "first",
      parents: [],
      author: { name: "Jane", email: "jane@example.com" },
    });
    expect(pushes).toEqual([
      expect.objectContaining({
        pusher: "AKIDTEST",
        updates: [{ ref: "refs/heads/main", newCommit: first.commitId }],
        repository: expect.objectContaining({ name: "app", defaultBranch: "main" }),
      }),
    ]);
  });

  it("GetFile answers a binary file's exact bytes in base64, with mode and size, at the default branch or any commit specifier", async () => {
    const first = await seed();
    const file = (await call("GetFile", { repositoryName: "app", filePath: "/img/logo.png" })).body;
    expect(file).toMatchObject({
      commitId: first.commitId,
      filePath: "img/logo.png",
      fileMode: "NORMAL",
      fileSize: 7,
    });
    expect([...Buffer.from(file.fileContent, "base64")]).toEqual([0, 255, 137, 80, 78, 71, 0]);
    for (const commitSpecifier of ["main", "refs/heads/main", first.commitId]) {
      const run = (await call("GetFile", { repositoryName: "app", filePath: "bin/run.sh", commitSpecifier }))
        .body;
      expect(run.fileMode).toBe("EXECUTABLE");
      expect(Buffer.from(run.fileContent, "base64").toString()).toBe("#!/bin/sh\necho hi\n");
    }
    expect((await call("GetFile", { repositoryName: "app", filePath: "link" })).body.fileMode).toBe(
      "SYMLINK",
    );
  });

  it("GetFile refuses paths that leave the tree, missing files, folders and unknown commits with CodeCommit's exceptions", async () => {
    await seed();
    for (const filePath of [
      "../etc/passwd",
      "src/../README.md",
      "src//lib/a.ts",
      "./README.md",
      ".git/config",
      "a\u0000b",
    ]) {
      const [status, type, message] = await errorOf("GetFile", { repositoryName: "app", filePath });
      expect([status, type], filePath).toEqual([400, "InvalidPathException"]);
      expect(message).toContain("is not valid");
    }
    expect(await errorOf("GetFile", { repositoryName: "app" })).toEqual([
      400,
      "PathRequiredException",
      "A filePath is required, but was not specified.",
    ]);
    expect((await errorOf("GetFile", { repositoryName: "app", filePath: "nope.txt" })).slice(0, 2)).toEqual([
      400,
      "FileDoesNotExistException",
    ]);
    expect((await errorOf("GetFile", { repositoryName: "app", filePath: "src" }))[2]).toContain(
      "it is a folder",
    );
    expect(
      (
        await errorOf("GetFile", {
          repositoryName: "app",
          filePath: "README.md",
          commitSpecifier: "--output=/tmp/x",
        })
      ).slice(0, 2),
    ).toEqual([400, "CommitDoesNotExistException"]);
    expect((await errorOf("GetFile", { repositoryName: "nope", filePath: "README.md" })).slice(0, 2)).toEqual(
      [400, "RepositoryDoesNotExistException"],
    );
  });

  it("GetFile in an empty repository says there is no commit", async () => {
    expect((await errorOf("GetFile", { repositoryName: "app", filePath: "README.md" })).slice(0, 2)).toEqual([
      400,
      "CommitDoesNotExistException",
    ]);
  });

  it("GetFolder lists subfolders, files, symbolic links and submodules with absolute and relative paths", async () => {
    const first = await seed();
    // A submodule (a gitlink) can only come from git; write one with the store's plumbing.
    const files = (
      await stores.repositories.treeFiles(
        (await stores.repositories.get({ accountId: "123456789012", region: "eu-west-1" }, "app"))!,
        first.commitId,
      )
    ).map((f) => ({ path: f.path, mode: f.mode, objectId: f.objectId }));
    const record = (await stores.repositories.get(
      { accountId: "123456789012", region: "eu-west-1" },
      "app",
    ))!;
    const withModule = await stores.repositories.commitToBranch(record, {
      ref: "refs/heads/main",
      parent: first.commitId,
      files: [...files, { path: "vendor/lib", mode: "160000", objectId: SUBMODULE_COMMIT }],
      message: "submodule",
      author: { name: "J", email: "j@x", date: NOW, timezone: "+0000" },
    });
    expect(withModule.ok).toBe(true);
    const root = (await call("GetFolder", { repositoryName: "app", folderPath: "/" })).body;
    expect(root.folderPath).toBe("/");
    expect(root.subFolders.map((f: { relativePath: string }) => f.relativePath)).toEqual([
      "bin",
      "img",
      "src",
      "vendor",
    ]);
    expect(root.files).toEqual([
      expect.objectContaining({ absolutePath: "README.md", relativePath: "README.md", fileMode: "NORMAL" }),
    ]);
    expect(root.symbolicLinks).toEqual([
      expect.objectContaining({ absolutePath: "link", relativePath: "link", fileMode: "SYMLINK" }),
    ]);
    const src = (await call("GetFolder", { repositoryName: "app", folderPath: "src/" })).body;
    expect(src.subFolders).toEqual([
      { treeId: expect.stringMatching(/^[0-9a-f]{40}$/u), absolutePath: "src/lib", relativePath: "lib" },
    ]);
    const vendor = (await call("GetFolder", { repositoryName: "app", folderPath: "vendor" })).body;
    expect(vendor.subModules).toEqual([
      { commitId: SUBMODULE_COMMIT, absolutePath: "vendor/lib", relativePath: "lib" },
    ]);
    expect(vendor.files).toEqual([]);
    expect(
      (await errorOf("GetFolder", { repositoryName: "app", folderPath: "vendor/lib" })).slice(1),
    ).toEqual([
      "FolderDoesNotExistException",
      `The specified folder vendor/lib does not exist in commit ${withModule.ok ? withModule.commitId : ""} (it is a submodule).`,
    ]);
    const old = (
      await call("GetFolder", { repositoryName: "app", folderPath: "/", commitSpecifier: first.commitId })
    ).body;
    expect(old.subFolders.map((f: { relativePath: string }) => f.relativePath)).toEqual([
      "bin",
      "img",
      "src",
    ]);
    expect(
      (await errorOf("GetFolder", { repositoryName: "app", folderPath: "README.md" })).slice(0, 2),
    ).toEqual([400, "FolderDoesNotExistException"]);
    expect((await errorOf("GetFolder", { repositoryName: "app", folderPath: "" })).slice(0, 2)).toEqual([
      400,
      "PathRequiredException",
    ]);
    expect((await errorOf("GetFolder", { repositoryName: "app", folderPath: "../x" })).slice(0, 2)).toEqual([
      400,
      "InvalidPathException",
    ]);
    // CreateCommit refuses to change a submodule.
    expect(
      (
        await errorOf("CreateCommit", {
          repositoryName: "app",
          branchName: "main",
          parentCommitId: withModule.ok ? withModule.commitId : "",
          putFiles: [{ filePath: "vendor/lib/x", fileContent: b64("x") }],
        })
      ).slice(0, 2),
    ).toEqual([400, "FilePathConflictsWithSubmodulePathException"]);
  });

  it("CreateCommit on a branch needs the branch's latest commit as parent, and refuses a stale one", async () => {
    const first = await seed();
    const put = [{ filePath: "README.md", fileContent: b64("# app v2\n") }];
    expect(
      (await errorOf("CreateCommit", { repositoryName: "app", branchName: "main", putFiles: put })).slice(
        0,
        2,
      ),
    ).toEqual([400, "ParentCommitIdRequiredException"]);
    const second = await call("CreateCommit", {
      repositoryName: "app",
      branchName: "main",
      parentCommitId: first.commitId,
      putFiles: put,
    });
    expect(second.status).toBe(200);
    expect(
      (await call("GetCommit", { repositoryName: "app", commitId: second.body.commitId })).body.commit
        .message,
    ).toBe("Commit made with CreateCommit");
    expect(second.body.filesUpdated).toEqual([
      { absolutePath: "README.md", blobId: expect.any(String), fileMode: "NORMAL" },
    ]);
    const [status, type, message] = await errorOf("CreateCommit", {
      repositoryName: "app",
      branchName: "main",
      parentCommitId: first.commitId,
      putFiles: [{ filePath: "other.txt", fileContent: b64("x") }],
    });
    expect([status, type]).toEqual([400, "ParentCommitIdOutdatedException"]);
    expect(message).toContain(second.body.commitId);
    expect(
      (
        await errorOf("CreateCommit", {
          repositoryName: "app",
          branchName: "main",
          parentCommitId: "abc",
          putFiles: put,
        })
      ).slice(0, 2),
    ).toEqual([400, "InvalidParentCommitIdException"]);
    expect(
      (
        await errorOf("CreateCommit", {
          repositoryName: "app",
          branchName: "main",
          parentCommitId: "f".repeat(40),
          putFiles: put,
        })
      ).slice(0, 2),
    ).toEqual([400, "ParentCommitDoesNotExistException"]);
    expect(
      (
        await errorOf("CreateCommit", {
          repositoryName: "app",
          branchName: "feature",
          parentCommitId: second.body.commitId,
          putFiles: put,
        })
      ).slice(0, 2),
    ).toEqual([400, "BranchDoesNotExistException"]);
    expect(
      (
        await errorOf("CreateCommit", {
          repositoryName: "app",
          branchName: "main",
          parentCommitId: second.body.commitId,
          putFiles: put,
        })
      ).slice(0, 2),
    ).toEqual([400, "NoChangeException"]);
    expect(pushes.map((p) => p.updates[0]?.newCommit)).toEqual([first.commitId, second.body.commitId]);
  });

  it("CreateCommit deletes, moves, copies and changes modes, keeps empty folders on request, and refuses conflicting entries", async () => {
    const first = await seed();
    const result = await call("CreateCommit", {
      repositoryName: "app",
      branchName: "main",
      parentCommitId: first.commitId,
      keepEmptyFolders: true,
      putFiles: [
        { filePath: "docs/README.md", sourceFile: { filePath: "README.md", isMove: true } },
        { filePath: "bin/copy.sh", sourceFile: { filePath: "bin/run.sh" } },
      ],
      deleteFiles: [{ filePath: "src/lib/a.ts" }],
      setFileModes: [{ filePath: "bin/run.sh", fileMode: "NORMAL" }],
    });
    expect(result.status).toBe(200);
    const paths = (list: { absolutePath: string }[]) => list.map((f) => f.absolutePath).sort();
    expect(paths(result.body.filesAdded)).toEqual(["bin/copy.sh", "docs/README.md", "src/lib/.gitkeep"]);
    expect(paths(result.body.filesUpdated)).toEqual(["bin/run.sh"]);
    expect(paths(result.body.filesDeleted)).toEqual(["README.md", "src/lib/a.ts"]);
    const get = async (filePath: string) => (await call("GetFile", { repositoryName: "app", filePath })).body;
    expect(Buffer.from((await get("docs/README.md")).fileContent, "base64").toString()).toBe("# app\n");
    expect((await get("bin/copy.sh")).fileMode).toBe("EXECUTABLE");
    expect((await get("bin/run.sh")).fileMode).toBe("NORMAL");
    expect((await get("src/lib/.gitkeep")).fileSize).toBe(0);
    expect((await call("GetFile", { repositoryName: "app", filePath: "README.md" })).body.__type).toBe(
      "FileDoesNotExistException",
    );

    const parentCommitId = result.body.commitId;
    const refused = async (input: Record<string, unknown>) =>
      (
        await errorOf("CreateCommit", { repositoryName: "app", branchName: "main", parentCommitId, ...input })
      )[1];
    expect(await refused({})).toBe("FileEntryRequiredException");
    expect(
      await refused({
        putFiles: [
          { filePath: "a", fileContent: b64("1") },
          { filePath: "/a", fileContent: b64("2") },
        ],
      }),
    ).toBe("PutFileEntryConflictException");
    expect(
      await refused({
        putFiles: [{ filePath: "a", fileContent: b64("1") }],
        deleteFiles: [{ filePath: "a" }],
      }),
    ).toBe("SamePathRequestException");
    expect(await refused({ putFiles: [{ filePath: "a" }] })).toBe("SourceFileOrContentRequiredException");
    expect(
      await refused({
        putFiles: [{ filePath: "a", fileContent: b64("1"), sourceFile: { filePath: "bin/run.sh" } }],
      }),
    ).toBe("FileContentAndSourceFileSpecifiedException");
    expect(await refused({ deleteFiles: [{ filePath: "nope" }] })).toBe("FileDoesNotExistException");
    expect(await refused({ setFileModes: [{ filePath: "bin/run.sh", fileMode: "WRITABLE" }] })).toBe(
      "InvalidFileModeException",
    );
    expect(await refused({ setFileModes: [{ filePath: "bin/run.sh" }] })).toBe("FileModeRequiredException");
    expect(await refused({ putFiles: [{ filePath: "bin", fileContent: b64("1") }] })).toBe(
      "FileNameConflictsWithDirectoryNameException",
    );
    expect(await refused({ putFiles: [{ filePath: "bin/run.sh/x", fileContent: b64("1") }] })).toBe(
      "DirectoryNameConflictsWithFileNameException",
    );
    expect(await refused({ putFiles: [{ filePath: "../x", fileContent: b64("1") }] })).toBe(
      "InvalidPathException",
    );
    expect(await refused({ putFiles: [{ filePath: ".git/hooks/post-update", fileContent: b64("1") }] })).toBe(
      "InvalidPathException",
    );
    expect(await refused({ putFiles: [{ filePath: "a", fileContent: "not base64!" }] })).toBe(
      "SerializationException",
    );
    expect(
      await refused({
        putFiles: Array.from({ length: 101 }, (_, i) => ({ filePath: `f${i}`, fileContent: b64("x") })),
      }),
    ).toBe("MaximumFileEntriesExceededException");
    expect(
      await refused({
        commitMessage: "m".repeat(256 * 1024 + 1),
        putFiles: [{ filePath: "a", fileContent: b64("1") }],
      }),
    ).toBe("CommitMessageLengthExceededException");
    expect(await refused({ email: "a<b@x>", putFiles: [{ filePath: "a", fileContent: b64("1") }] })).toBe(
      "InvalidEmailException",
    );
    expect((await errorOf("CreateCommit", { repositoryName: "app", putFiles: [] }))[1]).toBe(
      "BranchNameRequiredException",
    );
    expect((await errorOf("CreateCommit", { repositoryName: "app", branchName: "a..b" }))[1]).toBe(
      "InvalidBranchNameException",
    );
    // Nothing refused moved the branch.
    expect(
      (await call("GetBranch", { repositoryName: "app", branchName: "main" })).body.branch.commitId,
    ).toBe(parentCommitId);
  });

  it("GetDifferences lists added, modified and deleted blobs, limited by path and paged", async () => {
    const first = await seed();
    const second = (
      await call("CreateCommit", {
        repositoryName: "app",
        branchName: "main",
        parentCommitId: first.commitId,
        putFiles: [
          { filePath: "src/lib/a.ts", fileContent: b64("export const a = 2;\n") },
          { filePath: "src/b.ts", fileContent: b64("b\n") },
        ],
        deleteFiles: [{ filePath: "img/logo.png" }],
      })
    ).body;
    const all = (
      await call("GetDifferences", {
        repositoryName: "app",
        beforeCommitSpecifier: first.commitId,
        afterCommitSpecifier: "main",
        MaxResults: 10,
      })
    ).body;
    expect(all.differences).toEqual([
      { beforeBlob: { blobId: expect.any(String), path: "img/logo.png", mode: "100644" }, changeType: "D" },
      { afterBlob: { blobId: expect.any(String), path: "src/b.ts", mode: "100644" }, changeType: "A" },
      {
        beforeBlob: expect.objectContaining({ path: "src/lib/a.ts" }),
        afterBlob: expect.objectContaining({ path: "src/lib/a.ts" }),
        changeType: "M",
      },
    ]);
    const src = (
      await call("GetDifferences", {
        repositoryName: "app",
        beforeCommitSpecifier: first.commitId,
        afterCommitSpecifier: second.commitId,
        afterPath: "src/lib",
      })
    ).body;
    expect(src.differences.map((d: { changeType: string }) => d.changeType)).toEqual(["M"]);
    // Pages of 2 (the test page size), then the rest.
    const page1 = (
      await call("GetDifferences", {
        repositoryName: "app",
        beforeCommitSpecifier: first.commitId,
        afterCommitSpecifier: "main",
      })
    ).body;
    expect(page1.differences).toHaveLength(2);
    const page2 = (
      await call("GetDifferences", {
        repositoryName: "app",
        beforeCommitSpecifier: first.commitId,
        afterCommitSpecifier: "main",
        NextToken: page1.NextToken,
      })
    ).body;
    expect(page2.differences).toHaveLength(1);
    expect(page2.NextToken).toBeUndefined();
    const initial = (
      await call("GetDifferences", {
        repositoryName: "app",
        afterCommitSpecifier: first.commitId,
        MaxResults: 100,
      })
    ).body;
    expect(initial.differences.every((d: { changeType: string }) => d.changeType === "A")).toBe(true);
    expect(initial.differences).toHaveLength(5);
    expect((await errorOf("GetDifferences", { repositoryName: "app" }))[1]).toBe("CommitRequiredException");
    expect(
      (
        await errorOf("GetDifferences", {
          repositoryName: "app",
          afterCommitSpecifier: "main",
          afterPath: "nope",
        })
      )[1],
    ).toBe("PathDoesNotExistException");
    expect(
      (
        await errorOf("GetDifferences", {
          repositoryName: "app",
          afterCommitSpecifier: "main",
          MaxResults: 0,
        })
      )[1],
    ).toBe("InvalidMaxResultsException");
    expect(
      (
        await errorOf("GetDifferences", {
          repositoryName: "app",
          afterCommitSpecifier: "main",
          NextToken: "bogus",
        })
      )[1],
    ).toBe("InvalidContinuationTokenException");
  });
});
