import { describe, expect, it } from "vitest";
import type { RepositoryTreeEntry } from "../../store/types.js";
import { ApiError } from "../errors.js";
import { planCommit } from "./commit-plan.js";
import { cleanPath } from "./file-paths.js";

const blob = (path: string, mode = "100644", objectId = "a".repeat(40)): RepositoryTreeEntry => ({
  mode,
  type: "blob",
  objectId,
  path,
});
const text = (s: string) => new TextEncoder().encode(s);
const typeOf = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    if (error instanceof ApiError) return error.type;
    throw error;
  }
  return "no error";
};

describe("CreateCommit's plan: the parent's files with the request's changes applied", () => {
  const tree = [
    blob("README.md"),
    blob("bin/run.sh", "100755", "b".repeat(40)),
    blob("deep/a/b/c.txt"),
    blob("deep/keep.txt"),
    { mode: "160000", type: "commit", objectId: "c".repeat(40), path: "vendor/mod" } as const,
  ];

  it("keeps every untouched file as it is, submodules included, and classifies each change", () => {
    const plan = planCommit(tree, {
      putFiles: [
        { filePath: "new.txt", fileContent: text("n") },
        { filePath: "/README.md", fileContent: text("r") },
      ],
      setFileModes: [{ filePath: "bin/run.sh", fileMode: "EXECUTABLE" }],
    });
    expect(plan.added).toEqual(["new.txt"]);
    // Setting the mode a file already has changes nothing, so it is not reported.
    expect(plan.updated).toEqual(["README.md"]);
    expect(plan.files.find((f) => f.path === "vendor/mod")).toEqual({
      path: "vendor/mod",
      mode: "160000",
      objectId: "c".repeat(40),
    });
    expect(plan.files.map((f) => f.path).sort()).toEqual([
      "README.md",
      "bin/run.sh",
      "deep/a/b/c.txt",
      "deep/keep.txt",
      "new.txt",
      "vendor/mod",
    ]);
  });

  it("keeps only the folder that became empty with a .gitkeep, not its parents", () => {
    const plan = planCommit(tree, { deleteFiles: [{ filePath: "deep/a/b/c.txt" }], keepEmptyFolders: true });
    expect(plan.added).toEqual(["deep/a/b/.gitkeep"]);
    const without = planCommit(tree, { deleteFiles: [{ filePath: "deep/a/b/c.txt" }] });
    expect(without.files.some((f) => f.path.startsWith("deep/a/"))).toBe(false);
  });

  it("copies keep the source's mode and blob; moves delete the source", () => {
    const plan = planCommit(tree, {
      putFiles: [
        { filePath: "copy.sh", sourceFile: { filePath: "bin/run.sh" } },
        { filePath: "docs/README.md", sourceFile: { filePath: "README.md", isMove: true } },
      ],
    });
    expect(plan.files.find((f) => f.path === "copy.sh")).toEqual({
      path: "copy.sh",
      mode: "100755",
      objectId: "b".repeat(40),
    });
    expect(plan.deleted).toEqual([{ path: "README.md", objectId: "a".repeat(40), fileMode: "NORMAL" }]);
    expect(plan.files.some((f) => f.path === "README.md")).toBe(false);
  });

  it("refuses what CodeCommit refuses, naming the exception", () => {
    expect(typeOf(() => planCommit(tree, { putFiles: [{ filePath: "deep", fileContent: text("x") }] }))).toBe(
      "FileNameConflictsWithDirectoryNameException",
    );
    expect(
      typeOf(() => planCommit(tree, { putFiles: [{ filePath: "README.md/x", fileContent: text("x") }] })),
    ).toBe("DirectoryNameConflictsWithFileNameException");
    expect(typeOf(() => planCommit(tree, { deleteFiles: [{ filePath: "vendor/mod" }] }))).toBe(
      "FilePathConflictsWithSubmodulePathException",
    );
    expect(typeOf(() => planCommit(tree, { deleteFiles: [{ filePath: "deep" }] }))).toBe(
      "FileDoesNotExistException",
    );
    expect(
      typeOf(() =>
        planCommit(tree, {
          putFiles: [{ filePath: "x", sourceFile: { filePath: "README.md", isMove: true } }],
          deleteFiles: [{ filePath: "README.md" }],
        }),
      ),
    ).toBe("SamePathRequestException");
    expect(
      typeOf(() => planCommit(tree, { putFiles: [{ filePath: "x", sourceFile: { filePath: "x" } }] })),
    ).toBe("SamePathRequestException");
    expect(
      typeOf(() =>
        planCommit(tree, {
          putFiles: [{ filePath: "big", fileContent: new Uint8Array(6 * 1024 * 1024 + 1) }],
        }),
      ),
    ).toBe("FileContentSizeLimitExceededException");
    expect(
      typeOf(() =>
        planCommit(tree, {
          putFiles: [1, 2].map((i) => ({ filePath: `f${i}`, fileContent: new Uint8Array(4 * 1024 * 1024) })),
        }),
      ),
    ).toBe("FolderContentSizeLimitExceededException");
    expect(typeOf(() => planCommit(tree, { deleteFiles: [{}] }))).toBe("PathRequiredException");
  });
});

describe("paths CodeCommit takes", () => {
  it("are made relative to the root, and never leave it", () => {
    expect(cleanPath("/a/b.txt", { field: "filePath" })).toBe("a/b.txt");
    expect(cleanPath("a/b/", { field: "folderPath", folder: true })).toBe("a/b");
    expect(cleanPath("/", { field: "folderPath", folder: true })).toBe("");
    expect(cleanPath("weird name*?.txt", { field: "filePath" })).toBe("weird name*?.txt");
    for (const bad of [
      "..",
      "a/../../b",
      "a/./b",
      "//a",
      "a//b",
      "a/",
      ".git",
      "sub/.GIT/config",
      "a\nb",
      "/",
    ]) {
      expect(
        typeOf(() => cleanPath(bad, { field: "filePath" })),
        JSON.stringify(bad),
      ).toBe("InvalidPathException");
    }
  });
});
